package io.grpo.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command with bad flags, keys, values and files: exit status 2, one message naming the
 * flag / key / file and what is allowed, and nothing created (no run directory). The runs are
 * tiny, so a case that is wrongly accepted finishes fast and fails on its exit status.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    private static final String[] SINGLE = {"train", "--scenario", "urban", "--updates", "1", "--eval-episodes", "1",
            "--set", "num_envs=2", "--set", "rollout_steps=8", "-q"};
    private static final String[] CLUSTER = {"train", "--updates", "1", "--scenarios", "urban", "--envs-per-worker", "2",
            "--set", "rollout_steps=8", "--eval-episodes", "1", "-q"};
    private static final String[] COORDINATOR = {"coordinator", "--updates", "1", "--scenarios", "urban", "--timeout", "1",
            "--eval-episodes", "1", "-q"};
    private static final String[] WORKER = {"worker", "--scenario", "urban", "--seed-nodes", "127.0.0.1:1"};

    static Stream<Arguments> cases() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-directory.conf"));
        Path broken = Files.writeString(tmp.resolve("broken.conf"), "name = \"x\"\n arrivals { = ");
        Path empty = Files.writeString(tmp.resolve("empty.p12"), "");
        byte[] noise = new byte[3000];
        new java.util.Random(4).nextBytes(noise);
        Path corrupt = Files.write(tmp.resolve("corrupt.ckpt"), noise);
        List<Arguments> c = new ArrayList<>();
        // --set: unknown keys, wrong types, out-of-range values
        c.add(of("unknown key", SINGLE, "--set", "lerning_rate=1e-3", "unknown key 'lerning_rate' (allowed: "));
        c.add(of("no =", SINGLE, "--set", "learning_rate", "--set expects KEY=VALUE"));
        c.add(of("int as text", SINGLE, "--set", "num_envs=many", "--set num_envs: 'many' is not a whole number"));
        c.add(of("int as fraction", SINGLE, "--set", "update_epochs=1.5", "--set update_epochs: '1.5' is not a whole number"));
        c.add(of("zero envs", SINGLE, "--set", "num_envs=0", "num_envs must be > 0"));
        c.add(of("negative rate", SINGLE, "--set", "learning_rate=-0.001", "learning_rate must be > 0"));
        c.add(of("infinite rate", SINGLE, "--set", "learning_rate=Infinity", "--set learning_rate: 'Infinity' is not a finite number"));
        c.add(of("rate as text", SINGLE, "--set", "learning_rate=fast", "--set learning_rate: 'fast' is not a number"));
        c.add(of("NaN rate", SINGLE, "--set", "learning_rate=NaN", "learning_rate must be"));
        c.add(of("negative entropy", SINGLE, "--set", "entropy_coef=-0.1", "entropy_coef must be >= 0"));
        c.add(of("gamma above 1", SINGLE, "--set", "gamma=1.5", "gamma must be in [0, 1]"));
        c.add(of("negative layer", SINGLE, "--set", "hidden_sizes=[64,-1]", "hidden_sizes must be non-empty and positive"));
        c.add(of("layers as text", SINGLE, "--set", "hidden_sizes=big", "--set hidden_sizes: 'big' is not a list of whole numbers like [64,64]"));
        c.add(of("empty layers", SINGLE, "--set", "hidden_sizes=[]", "--set hidden_sizes: '[]' is not a list"));
        c.add(of("unknown activation", SINGLE, "--set", "activation=sigmoid", "--set activation: 'sigmoid' is not one of relu, tanh"));
        c.add(of("boolean as text", SINGLE, "--set", "normalize_advantages=maybe", "--set normalize_advantages: 'maybe' is not true or false"));
        c.add(of("seed via --set", SINGLE, "--set", "seed=3", "use --seed"));
        c.add(of("lambda above 1", SINGLE, "--robustness", "1.5", "--robustness must be in [0, 1]"));
        c.add(of("lambda below 0", SINGLE, "--lambda", "-0.1", "--robustness must be in [0, 1]"));
        c.add(of("lambda NaN", SINGLE, "--lambda", "NaN", "--robustness must be in [0, 1]"));
        c.add(of("lambda as text", SINGLE, "--lambda", "high", "--robustness"));
        c.add(of("robust mode", SINGLE, "--robust-mode", "worst", "--robust-mode"));
        c.add(of("dro eta", SINGLE, "--dro-eta", "-1", "--dro-eta must be > 0"));
        c.add(of("seed as text", SINGLE, "--seed", "abc", "--seed"));
        // environments and files
        c.add(of("unknown scenario", new String[]{"train", "--scenario", "mars", "-q"}, "mars"));
        c.add(of("unknown env", new String[]{"train", "--env", "pong", "-q"}, "--env"));
        c.add(of("missing scenario file", new String[]{"train", "--scenario-file", tmp.resolve("nope.conf").toString()},
                "nope.conf"));
        c.add(of("scenario file is a directory", new String[]{"train", "--scenario-file", dir.toString()},
                "a-directory.conf"));
        c.add(of("broken scenario file", new String[]{"train", "--scenario-file", broken.toString()}, "broken.conf"));
        // budgets and counts
        c.add(of("zero updates", new String[]{"train", "--scenario", "urban", "-q"}, "--updates", "0", "--updates must be >= 1"));
        c.add(of("zero cluster updates", new String[]{"train", "--scenarios", "urban", "-q"}, "--updates", "0",
                "--updates must be >= 1"));
        c.add(of("negative env steps", new String[]{"train", "--scenario", "urban", "--max-env-steps", "-5"},
                "--max-env-steps must be >= 1"));
        c.add(of("both budgets", SINGLE, "--max-env-steps", "100", "--updates or --max-env-steps"));
        c.add(of("zero eval episodes", new String[]{"train", "--scenario", "urban", "--updates", "1"}, "--eval-episodes", "0",
                "--eval-episodes must be >= 1"));
        c.add(of("negative checkpoint period", SINGLE, "--checkpoint-every", "-1", "--checkpoint-every must be >= 0"));
        c.add(of("negative eval period", SINGLE, "--eval-every", "-1", "--eval-every must be >= 0"));
        c.add(of("zero envs per worker", SINGLE, "--envs-per-worker", "0", "--envs-per-worker must be >= 1"));
        c.add(of("unknown flag", SINGLE, "--learning-rate", "0.1", "--learning-rate"));
        c.add(of("cluster flag on single run", SINGLE, "--max-policy-lag", "1", "--max-policy-lag applies to"));
        // cluster run
        c.add(of("zero workers", CLUSTER, "--workers-per-scenario", "0", "--workers-per-scenario must be >= 1"));
        c.add(of("unknown scenario in list", new String[]{"train", "--updates", "1", "--scenarios", "urban,mars"}, "mars"));
        c.add(of("scenario twice", CLUSTER, "--scenarios", "urban", "given twice"));
        c.add(of("missing scenario file in list", new String[]{"train", "--updates", "1", "--scenarios",
                tmp.resolve("gone.conf").toString()}, "gone.conf"));
        c.add(of("policy layout", CLUSTER, "--policy-layout", "diagonal", "--policy-layout"));
        c.add(of("grouping", CLUSTER, "--grouping", "age", "--grouping"));
        c.add(of("negative lag", CLUSTER, "--max-policy-lag", "-1", "--max-policy-lag must be >= 0"));
        c.add(of("zero in flight", CLUSTER, "--max-in-flight", "0", "--max-in-flight must be >= 1"));
        c.add(of("zero samples", CLUSTER, "--samples-per-update", "0", "--samples-per-update must be >= 1"));
        c.add(of("frame too small for weights", CLUSTER, "--set", "hidden_sizes=[2048,2048]", "--frame-size"));
        // coordinator: addresses, ports, TLS
        c.add(of("port too high", COORDINATOR, "--port", "70000", "port must be in [0, 65535]"));
        c.add(of("negative port", COORDINATOR, "--port", "-1", "port must be in [0, 65535]"));
        c.add(of("port as text", COORDINATOR, "--port", "http", "--port"));
        c.add(of("seed without port", COORDINATOR, "--seed-nodes", "10.0.0.1", "is not host:port"));
        c.add(of("seed port zero", COORDINATOR, "--seed-nodes", "10.0.0.1:0", "has no valid port"));
        c.add(of("seed of another system", COORDINATOR, "--seed-nodes", "akka://other@10.0.0.1:2552", "is not a 'grpo' system"));
        c.add(of("tiny frame", COORDINATOR, "--frame-size", "100", "frame size must be in [32 KiB, 2 GiB)"));
        c.add(of("zero timeout", new String[]{"coordinator", "--updates", "1"}, "--timeout", "0", "--timeout must be >= 1"));
        c.add(of("negative local workers", COORDINATOR, "--workers-per-scenario", "-1", "--workers-per-scenario must be >= 0"));
        c.add(of("missing keystore", COORDINATOR, "--tls-keystore", tmp.resolve("none.p12").toString(), "truststore too"));
        c.add(of("unreadable keystore", COORDINATOR, "--tls-keystore", empty.toString(), "--tls-truststore",
                empty.toString(), "--tls-password-file", tmp.resolve("no-password").toString(), "no-password"));
        c.add(of("hostname verification word", COORDINATOR, "--tls-hostname-verification", "maybe", "on or off"));
        // worker
        c.add(of("worker without seeds", new String[]{"worker", "--scenario", "urban"}, "needs --seed-nodes"));
        c.add(of("zero workers on node", WORKER, "--workers", "0", "--workers must be >= 1"));
        c.add(of("zero envs on worker", WORKER, "--envs-per-worker", "0", "--envs-per-worker must be >= 1"));
        c.add(of("worker layout", WORKER, "--policy-layout", "x", "--policy-layout"));
        c.add(of("worker scenario", new String[]{"worker", "--seed-nodes", "127.0.0.1:1", "--scenario", "mars"}, "mars"));
        c.add(of("worker bad seed", new String[]{"worker", "--scenario", "urban", "--seed-nodes", "h:99999"}, "has no valid port"));
        // eval and bench
        c.add(of("eval unknown policy", new String[]{"eval", "--scenario", "urban", "--policy", "greedy"}, "--policy"));
        c.add(of("eval corrupt checkpoint", new String[]{"eval", "--scenario", "urban", "--policy", corrupt.toString()},
                "--policy: cannot load checkpoint: " + corrupt));
        c.add(of("eval zero episodes", new String[]{"eval", "--scenario", "urban", "--policy", "fifo", "--episodes", "0"},
                "--episodes must be >= 1"));
        c.add(of("eval baseline on cartpole", new String[]{"eval", "--env", "cartpole", "--policy", "fifo"}, "hospital baseline"));
        c.add(of("bench unknown", new String[]{"bench", "fast"}, "fast"));
        c.add(of("bench wire iterations", new String[]{"bench", "wire", "--iterations", "1"}, "--iterations must be >= 10"));
        c.add(of("bench sim steps", new String[]{"bench", "sim", "--steps", "5"}, "--steps must be >= 1000"));
        c.add(of("bench solve seeds", new String[]{"bench", "solve", "--seeds", "0"}, "--seeds must be >= 1"));
        c.add(of("bench solve lambda", new String[]{"bench", "solve", "--lambda", "2"}, "--robustness must be in [0, 1]"));
        c.add(of("bench transport batches", new String[]{"bench", "transport", "--batches", "1"}, "--batches must be >= 10"));
        c.add(of("bench transport certs", new String[]{"bench", "transport", "--certs", tmp.resolve("no-certs").toString()},
                "--certs: "));
        c.add(of("unknown command", new String[]{"fly"}, "fly"));
        return c.stream();
    }

    private static Arguments of(String name, String[] base, String... rest) {
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(rest).subList(0, rest.length - 1));
        return Arguments.of(name, args, rest[rest.length - 1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAUsageErrorThatNamesTheProblemAndCreatesNothing(String name, List<String> args, String expected)
            throws IOException {
        Path out = tmp.resolve("run-" + name.replace(' ', '-'));
        List<String> all = new ArrayList<>(args);
        boolean makesRunDirectory = List.of("train", "coordinator").contains(all.get(0));
        if (makesRunDirectory) all.addAll(List.of("--out", out.toString()));
        CliRunner cli = new CliRunner();
        int status = cli.grpo(all.toArray(String[]::new));
        String err = cli.err.toString();
        assertEquals(2, status, name + ": exit status; stderr: " + err + " stdout: " + cli.out);
        assertTrue(err.contains(expected), name + ": '" + expected + "' in: " + err);
        assertTrue(err.startsWith("grpo: "), name + ": one message first, not a stack trace: " + err);
        assertFalse(err.contains("Exception"), name + ": no exception names: " + err);
        if (makesRunDirectory) assertFalse(Files.exists(out), name + ": no run directory");
    }
}
