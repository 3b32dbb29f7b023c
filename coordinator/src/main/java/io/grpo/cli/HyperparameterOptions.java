package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpo.coordinator.run.Json;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** --seed, --robustness, --robust-mode, --dro-eta and --set: the learner's configuration. */
final class HyperparameterOptions {
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

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
            tree.set(key, typedValue(key, e.getValue()));
        }
        try {
            return Json.MAPPER.treeToValue(tree, GrpoConfig.class);
        } catch (IOException | IllegalArgumentException ex) {
            Throwable root = ex;
            while (root.getCause() != null) root = root.getCause();
            String msg = firstLine(root.getMessage());
            String field = msg.split(" ", 2)[0];
            String snake = SNAKE.translate(field);
            throw usage("--set: invalid value: " + snake + msg.substring(field.length()));
        }
    }

    /**
     * The value parsed as the type of its config field, so that a wrong type names the key and
     * what it takes (Jackson's own messages name neither, and it would round 1.5 to an int).
     */
    private JsonNode typedValue(String key, String raw) {
        Class<?> type = null;
        for (RecordComponent rc : GrpoConfig.class.getRecordComponents()) {
            if (SNAKE.translate(rc.getName()).equals(key)) type = rc.getType();
        }
        String prefix = "--set " + key + ": '" + raw + "' ";
        if (type == int.class || type == long.class) {
            try {
                return type == int.class ? IntNode.valueOf(Integer.parseInt(raw)) : LongNode.valueOf(Long.parseLong(raw));
            } catch (NumberFormatException e) {
                throw usage(prefix + "is not a whole number" + (type == int.class ? " (32-bit)" : ""));
            }
        }
        if (type == double.class) {
            double v;
            try {
                v = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw usage(prefix + "is not a number");
            }
            if (Double.isInfinite(v)) throw usage(prefix + "is not a finite number");
            return DoubleNode.valueOf(v);
        }
        if (type == boolean.class) {
            if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) return BooleanNode.valueOf(Boolean.parseBoolean(raw));
            throw usage(prefix + "is not true or false");
        }
        if (type != null && type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                if (name.equalsIgnoreCase(raw)) return Json.MAPPER.valueToTree(constant);
                names.add(name.toLowerCase(Locale.ROOT));
            }
            throw usage(prefix + "is not one of " + String.join(", ", names));
        }
        if (type == List.class) {
            try {
                JsonNode list = Json.MAPPER.readTree(raw);
                if (list != null && list.isArray() && list.size() > 0) {
                    boolean ints = true;
                    for (JsonNode n : list) ints &= n.isInt();
                    if (ints) return list;
                }
            } catch (IOException ignored) {
                // reported below
            }
            throw usage(prefix + "is not a list of whole numbers like [64,64]");
        }
        throw new IllegalStateException("no --set parser for " + key + " of type " + type);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
