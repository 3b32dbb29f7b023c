package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpo.coordinator.run.Json;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** --seed, --robustness, --robust-mode, --dro-eta and --set: the learner's configuration. */
final class HyperparameterOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"--robustness", "--lambda"}, paramLabel = "LAMBDA", defaultValue = "0.2",
            description = "Group robustness weight in [0, 1]: 0 = PPO, 1 = fully robust (default: ${DEFAULT-VALUE}).")
    double robustness;

    @Option(names = "--robust-mode", paramLabel = "MODE", defaultValue = "max",
            description = "Worst-group term: max (the original rule) or dro (Group DRO weights) (default: ${DEFAULT-VALUE}).")
    String robustMode;

    @Option(names = "--dro-eta", paramLabel = "ETA",
            description = "Group DRO step size eta (default: the environment's, 0.01).")
    Double droEta;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any hyperparameter of the config, e.g. learning_rate=3e-4, num_envs=16, "
                    + "update_epochs=10, hidden_sizes=[128,128]. Repeatable; see config.json of a run for all keys.")
    List<String> overrides = new ArrayList<>();

    /** Environment defaults, then the named flags, then --set overrides; validated by GrpoConfig. */
    GrpoConfig resolve(GrpoConfig defaults) {
        RobustMode mode = CliSupport.robustMode(mixee, robustMode);
        CliSupport.robustness(mixee, robustness);
        if (droEta != null && !(droEta > 0)) throw usage("--dro-eta must be > 0, got " + droEta);
        GrpoConfig.Builder b = defaults.toBuilder().seed(seed).groupRobustnessWeight(robustness).robustMode(mode);
        if (droEta != null) b.droStepSize(droEta);
        GrpoConfig base;
        try {
            base = b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return overrides.isEmpty() ? base : applyOverrides(base);
    }

    private GrpoConfig applyOverrides(GrpoConfig base) {
        ObjectNode tree = Json.MAPPER.valueToTree(base);
        Map<String, String> sets = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw usage("--set expects KEY=VALUE, got '" + o + "'");
            sets.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        for (Map.Entry<String, String> e : sets.entrySet()) {
            String key = e.getKey();
            if (!tree.has(key)) {
                List<String> keys = new ArrayList<>();
                for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) keys.add(it.next());
                throw usage("--set: unknown key '" + key + "' (allowed: " + String.join(", ", keys) + ")");
            }
            if (key.equals("seed") || key.equals("group_robustness_weight") || key.equals("robust_mode")) {
                throw usage("--set: use --seed, --robustness or --robust-mode for '" + key + "'");
            }
            try {
                JsonNode value = Json.MAPPER.readTree(e.getValue());
                tree.set(key, value);
            } catch (IOException ex) {
                tree.put(key, e.getValue());
            }
        }
        try {
            return Json.MAPPER.treeToValue(tree, GrpoConfig.class);
        } catch (IOException | IllegalArgumentException ex) {
            Throwable root = ex;
            while (root.getCause() != null) root = root.getCause();
            String msg = firstLine(root.getMessage());
            String field = msg.split(" ", 2)[0];
            String snake = new PropertyNamingStrategies.SnakeCaseStrategy().translate(field);
            throw usage("--set: invalid value: " + snake + msg.substring(field.length()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
