package io.grpo.scenarios.hospital;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;

/**
 * Reads a {@link HospitalScenario} from a HOCON scenario file and validates every key.
 *
 * <p>File layout (snake_case keys; every key is required unless {@code base} is given):
 * <pre>
 * base = urban                      # optional: start from this preset, override any subset below
 * name = "urban"                    # non-empty string
 * description = "..."               # string
 * time {
 *   minutes_per_step = 2            # (0, 60]: simulated minutes per step (one admission decision)
 *   episode_hours = 24              # (0, 168]
 *   start_hour = 0                  # integer 0..23: hour of day at which an episode starts
 * }
 * arrivals {
 *   per_hour = 12                   # > 0: mean arrivals per hour at profile 1.0
 *   hourly_profile = [24 numbers]   # >= 0, not all zero; normalised to mean 1
 *   group_mix { pediatric = 0.2, adult = 0.5, elderly = 0.3 }           # >= 0, not all zero; normalised
 *   severity_mix { pediatric = [s, u, c], adult = [...], elderly = [...] }  # >= 0, not all zero; normalised
 * }
 * surge {
 *   events_per_day = 0              # >= 0: mass-casualty events per day (Poisson)
 *   patients_per_event = 0          # >= 0: mean patients per event (Poisson)
 *   event_minutes = 60              # > 0: minutes over which an event's patients arrive
 *   severity_mix = [s, u, c]        # >= 0, not all zero; normalised
 * }
 * capacity { beds = 30, icu_beds = 8, staff = 25 }   # integers >= 1
 * needs {
 *   staff = [1, 1, 2]               # integers >= 1 and <= capacity.staff
 *   icu = [false, false, true]      # booleans: needs an ICU bed instead of a general bed
 * }
 * treatment_minutes { mean = [60, 120, 240] }        # > 0
 * waiting {
 *   adverse_per_hour = [...]        # >= 0
 *   adverse_growth_minutes = [...]  # > 0
 *   patience_minutes = [...]        # >= 0; 0 = never leaves
 * }
 * reward {
 *   treated = [...]                 # >= 0, per admitted patient
 *   wait_per_hour = [...]           # >= 0, cost per waiting patient-hour
 *   adverse = [...]                 # >= 0, cost per adverse event
 *   left_unseen = 5                 # >= 0, cost per patient who leaves unseen
 * }
 * </pre>
 * Lists written {@code [s, u, c]} or {@code [...]} have one entry per {@link Severity}
 * (standard, urgent, critical). Unknown keys at any level, missing keys, wrong types (a
 * string where a number is expected, a number where a list is), wrong list lengths and
 * out-of-range values are errors; all problems of a file are reported together in one
 * {@link ScenarioFileException}, each naming the file and the full dotted key.
 *
 * <p>{@code base = <preset>} merges the file over that preset (objects merge key by key,
 * lists and values replace), so a file may override any subset of keys; the merged result is
 * validated as a whole; a file that leaves out {@code name} keeps the preset's name, so set it to
 * tell a variant apart. Substitutions ({@code ${capacity.beds}}) are resolved after the
 * merge, against the scenario only (not against environment variables or system properties,
 * so that a scenario means the same on every machine). {@code include} works as in HOCON.
 */
public final class ScenarioLoader {
    private static final List<String> PRESETS = List.of("urban", "rural", "pediatric", "surge");

    private static final ConfigParseOptions PARSE = ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF)
            .setAllowMissing(false);
    private static final ConfigResolveOptions RESOLVE = ConfigResolveOptions.noSystem();

    private static final String SEVERITIES = labels(Severity.values());
    private static final List<String> GROUP_KEYS = Arrays.stream(PatientGroup.values()).map(PatientGroup::label).toList();

    private static final List<String> TOP = List.of("base", "name", "description", "time", "arrivals", "surge",
            "capacity", "needs", "treatment_minutes", "waiting", "reward");
    private static final List<String> TIME = List.of("minutes_per_step", "episode_hours", "start_hour");
    private static final List<String> ARRIVALS = List.of("per_hour", "hourly_profile", "group_mix", "severity_mix");
    private static final List<String> SURGE = List.of("events_per_day", "patients_per_event", "event_minutes",
            "severity_mix");
    private static final List<String> CAPACITY = List.of("beds", "icu_beds", "staff");
    private static final List<String> NEEDS = List.of("staff", "icu");
    private static final List<String> TREATMENT = List.of("mean");
    private static final List<String> WAITING = List.of("adverse_per_hour", "adverse_growth_minutes",
            "patience_minutes");
    private static final List<String> REWARD = List.of("treated", "wait_per_hour", "adverse", "left_unseen");

    private ScenarioLoader() {}

    /** The presets shipped as {@code classpath:scenarios/<name>.conf}: urban, rural, pediatric, surge. */
    public static List<String> presetNames() {
        return PRESETS;
    }

    /**
     * A preset by name (case-insensitive).
     *
     * @throws ScenarioFileException for an unknown name (the message lists the presets)
     */
    public static HospitalScenario preset(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(key)) {
            throw new ScenarioFileException("classpath:scenarios/" + name + ".conf",
                    "unknown scenario preset '" + name + "' (available presets: " + String.join(", ", PRESETS) + ")",
                    null);
        }
        return loadResource(key);
    }

    /**
     * Loads and validates a scenario file.
     *
     * @throws ScenarioFileException if the file is missing, unreadable, not valid HOCON or fails validation
     */
    public static HospitalScenario load(Path file) {
        String source = file.toString();
        if (!Files.exists(file)) {
            throw new ScenarioFileException(source, "cannot read scenario file: no such file", null);
        }
        if (Files.isDirectory(file)) {
            throw new ScenarioFileException(source, "cannot read scenario file: it is a directory", null);
        }
        Config raw = parse(source, () -> ConfigFactory.parseFile(file.toFile(), PARSE));
        return build(source, raw);
    }

    /**
     * Loads and validates the classpath resource {@code scenarios/<name>.conf}.
     *
     * @throws ScenarioFileException if there is no such resource or it fails validation
     */
    public static HospitalScenario loadResource(String name) {
        String source = resourceSource(name);
        return build(source, parseResource(name));
    }

    // ------------------------------------------------------------------ parsing and base merging

    private static String resourceSource(String name) {
        return "classpath:" + resourcePath(name);
    }

    private static String resourcePath(String name) {
        return "scenarios/" + name + ".conf";
    }

    private static Config parseResource(String name) {
        String path = resourcePath(name);
        String source = resourceSource(name);
        // The first resource of that name, not ConfigFactory.parseResources: that one merges all
        // resources of the same name on the classpath, so a stray copy would silently change a preset.
        ClassLoader loader = ScenarioLoader.class.getClassLoader();
        URL url = loader == null ? ClassLoader.getSystemResource(path) : loader.getResource(path);
        if (url == null) {
            throw new ScenarioFileException(source, "cannot read scenario file: no such resource on the classpath"
                    + " (presets: " + String.join(", ", PRESETS) + ")", null);
        }
        return parse(source, () -> ConfigFactory.parseURL(url, PARSE));
    }

    private static Config parse(String source, Supplier<Config> parser) {
        try {
            // Resolve what can be resolved now; references into a base preset resolve after the merge.
            return parser.get().resolve(RESOLVE.setAllowUnresolved(true));
        } catch (ConfigException e) {
            throw new ScenarioFileException(source, "cannot parse scenario file: " + reason(e), e);
        }
    }

    /** The parser's message with the origin shortened to a line number (the file is already named). */
    private static String reason(ConfigException e) {
        String message = e.getMessage();
        ConfigOrigin origin = e.origin();
        if (origin != null) {
            String prefix = origin.description() + ": ";
            if (message.startsWith(prefix)) {
                String rest = message.substring(prefix.length()).strip();
                message = origin.lineNumber() >= 0 ? "line " + origin.lineNumber() + ": " + rest : rest;
            }
        }
        return message;
    }

    private static HospitalScenario build(String source, Config raw) {
        Config merged = withBase(source, raw, 0);
        Config resolved;
        try {
            resolved = merged.resolve(RESOLVE);
        } catch (ConfigException e) {
            throw new ScenarioFileException(source, "cannot resolve substitution: " + reason(e), e);
        }
        return new Reader(source).scenario(resolved.root());
    }

    private static Config withBase(String source, Config raw, int depth) {
        ConfigValue base = raw.root().get("base");
        if (base == null) return raw;
        String name = null;
        try {
            if (base.valueType() == ConfigValueType.STRING) name = (String) base.unwrapped();
        } catch (ConfigException.NotResolved e) {
            // an unresolvable substitution as the base: reported below like any other bad value
        }
        if (name == null || !PRESETS.contains(name)) {
            throw new ScenarioFileException(source, "base must be the name of a preset ("
                    + String.join(", ", PRESETS) + "), got " + describeSafely(base), null);
        }
        if (depth > PRESETS.size()) {
            throw new ScenarioFileException(source, "base: presets refer to each other in a cycle", null);
        }
        return raw.withFallback(withBase(resourceSource(name), parseResource(name), depth + 1));
    }

    private static String describeSafely(ConfigValue v) {
        try {
            return describe(v);
        } catch (ConfigException.NotResolved e) {
            return "an unresolved substitution";
        }
    }

    // ------------------------------------------------------------------ validation

    /** A range constraint on a number, with the words that describe it. */
    private record Rule(String text, DoublePredicate test) {
        static Rule atLeast(double min) {
            return new Rule(">= " + fmt(min), x -> x >= min);
        }

        static Rule positive() {
            return new Rule("> 0", x -> x > 0);
        }

        static Rule positiveAtMost(double max) {
            return new Rule("> 0 and <= " + fmt(max), x -> x > 0 && x <= max);
        }

        static Rule between(int min, int max) {
            return new Rule("from " + min + " to " + max, x -> x >= min && x <= max);
        }
    }

    /** Walks the parsed tree, collecting every problem; builds the scenario only if there are none. */
    private static final class Reader {
        private final String source;
        private final List<String> problems = new ArrayList<>();

        Reader(String source) {
            this.source = source;
        }

        HospitalScenario scenario(ConfigObject root) {
            checkKeys(root, "", TOP);
            String name = string(root, "", "name", true);
            String description = string(root, "", "description", false);

            ConfigObject time = section(root, "", "time", TIME);
            Double minutesPerStep = number(time, "time", "minutes_per_step", Rule.positiveAtMost(60));
            Double episodeHours = number(time, "time", "episode_hours", Rule.positiveAtMost(168));
            Integer startHour = integer(time, "time", "start_hour", Rule.between(0, 23));
            if (minutesPerStep != null && episodeHours != null
                    && Math.round(episodeHours * 60.0 / minutesPerStep) < 1) {
                problems.add("time.episode_hours = " + fmt(episodeHours) + " is shorter than one step (time.minutes_per_step = "
                        + fmt(minutesPerStep) + ")");
            }

            ConfigObject arrivals = section(root, "", "arrivals", ARRIVALS);
            Double perHour = number(arrivals, "arrivals", "per_hour", Rule.positive());
            List<Double> profile = numbers(arrivals, "arrivals", "hourly_profile", 24, Rule.atLeast(0), "");
            if (weights(profile, "arrivals.hourly_profile") == null) profile = null;
            ConfigObject groupMixObject = section(arrivals, "arrivals", "group_mix", GROUP_KEYS);
            List<Double> groupMix = new ArrayList<>();
            for (String g : GROUP_KEYS) groupMix.add(number(groupMixObject, "arrivals.group_mix", g, Rule.atLeast(0)));
            groupMix = weights(groupMixObject == null || groupMix.contains(null) ? null : groupMix, "arrivals.group_mix");
            ConfigObject severityMixObject = section(arrivals, "arrivals", "severity_mix", GROUP_KEYS);
            List<List<Double>> severityMix = new ArrayList<>();
            for (String g : GROUP_KEYS) {
                severityMix.add(weights(perSeverity(severityMixObject, "arrivals.severity_mix", g, Rule.atLeast(0)),
                        "arrivals.severity_mix." + g));
            }

            ConfigObject surge = section(root, "", "surge", SURGE);
            Double eventsPerDay = number(surge, "surge", "events_per_day", Rule.atLeast(0));
            Double patientsPerEvent = number(surge, "surge", "patients_per_event", Rule.atLeast(0));
            Double eventMinutes = number(surge, "surge", "event_minutes", Rule.positive());
            List<Double> surgeMix = weights(perSeverity(surge, "surge", "severity_mix", Rule.atLeast(0)),
                    "surge.severity_mix");

            ConfigObject capacity = section(root, "", "capacity", CAPACITY);
            Integer beds = integer(capacity, "capacity", "beds", Rule.atLeast(1));
            Integer icuBeds = integer(capacity, "capacity", "icu_beds", Rule.atLeast(1));
            Integer staff = integer(capacity, "capacity", "staff", Rule.atLeast(1));

            ConfigObject needs = section(root, "", "needs", NEEDS);
            List<Integer> staffNeeded = integers(needs, "needs", "staff", Rule.atLeast(1));
            List<Boolean> needsIcu = booleans(needs, "needs", "icu");
            if (staffNeeded != null && staff != null) {
                for (Severity s : Severity.values()) {
                    int need = staffNeeded.get(s.ordinal());
                    if (need > staff) {
                        problems.add("needs.staff[" + s.ordinal() + "] = " + need + " exceeds capacity.staff = " + staff
                                + ": " + s.label() + " patients could never be admitted");
                    }
                }
            }

            ConfigObject treatment = section(root, "", "treatment_minutes", TREATMENT);
            List<Double> treatmentMean = perSeverity(treatment, "treatment_minutes", "mean", Rule.positive());

            ConfigObject waiting = section(root, "", "waiting", WAITING);
            List<Double> adversePerHour = perSeverity(waiting, "waiting", "adverse_per_hour", Rule.atLeast(0));
            List<Double> adverseGrowth = perSeverity(waiting, "waiting", "adverse_growth_minutes", Rule.positive());
            List<Double> patience = perSeverity(waiting, "waiting", "patience_minutes", Rule.atLeast(0));

            ConfigObject reward = section(root, "", "reward", REWARD);
            List<Double> rewardTreated = perSeverity(reward, "reward", "treated", Rule.atLeast(0));
            List<Double> rewardWait = perSeverity(reward, "reward", "wait_per_hour", Rule.atLeast(0));
            List<Double> rewardAdverse = perSeverity(reward, "reward", "adverse", Rule.atLeast(0));
            Double rewardLeftUnseen = number(reward, "reward", "left_unseen", Rule.atLeast(0));

            if (!problems.isEmpty()) throw new ScenarioFileException(source, problems);
            // Profile: mean 1 rather than sum 1 (dividing by the mean keeps a profile that already has mean 1 exact).
            double profileMean = profile.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            List<Double> hourlyProfile = profile.stream().map(p -> p / profileMean).toList();
            return new HospitalScenario(name, description, minutesPerStep, episodeHours, startHour, perHour,
                    hourlyProfile, groupMix, severityMix, eventsPerDay, patientsPerEvent, eventMinutes, surgeMix,
                    beds, icuBeds, staff, staffNeeded, needsIcu, treatmentMean, adversePerHour, adverseGrowth,
                    patience, rewardTreated, rewardWait, rewardAdverse, rewardLeftUnseen);
        }

        // -------------------------------------------------------------- structure

        /** Reports every key of {@code object} that is not in {@code allowed}. */
        private void checkKeys(ConfigObject object, String path, List<String> allowed) {
            Set<String> keys = new LinkedHashSet<>(object.keySet());
            for (String key : keys) {
                if (!allowed.contains(key)) {
                    String where = path.isEmpty() ? "at top level" : "in " + path;
                    problems.add("unknown key '" + join(path, key) + "' (allowed " + where + ": "
                            + String.join(", ", allowed) + ")");
                }
            }
        }

        /** The value at {@code parent.key}, or null (with a problem recorded) when it is missing. */
        private ConfigValue value(ConfigObject parent, String parentPath, String key, String expected) {
            if (parent == null) return null; // the parent section is already reported
            ConfigValue v = parent.get(key);
            if (v == null) problems.add("missing key '" + join(parentPath, key) + "' (expected " + expected + ")");
            return v;
        }

        /** A nested section, checked for unknown keys; null (reported) when missing or not an object. */
        private ConfigObject section(ConfigObject parent, String parentPath, String key, List<String> allowed) {
            String path = join(parentPath, key);
            String expected = "an object with keys " + String.join(", ", allowed);
            ConfigValue v = value(parent, parentPath, key, expected);
            if (v == null) return null;
            if (v.valueType() != ConfigValueType.OBJECT) {
                problems.add(path + " must be " + expected + ", got " + describe(v));
                return null;
            }
            ConfigObject object = (ConfigObject) v;
            checkKeys(object, path, allowed);
            return object;
        }

        // -------------------------------------------------------------- scalars

        private String string(ConfigObject parent, String parentPath, String key, boolean nonEmpty) {
            String expected = nonEmpty ? "a non-empty string" : "a string";
            ConfigValue v = value(parent, parentPath, key, expected);
            if (v == null) return null;
            if (v.valueType() != ConfigValueType.STRING || (nonEmpty && ((String) v.unwrapped()).isBlank())) {
                problems.add(join(parentPath, key) + " must be " + expected + ", got " + describe(v));
                return null;
            }
            return (String) v.unwrapped();
        }

        private Double number(ConfigObject parent, String parentPath, String key, Rule rule) {
            String path = join(parentPath, key);
            ConfigValue v = value(parent, parentPath, key, "a number " + rule.text());
            return v == null ? null : number(v, path, rule);
        }

        private Double number(ConfigValue v, String path, Rule rule) {
            Double x = v.valueType() == ConfigValueType.NUMBER ? ((Number) v.unwrapped()).doubleValue() : null;
            if (x == null || !Double.isFinite(x) || !rule.test().test(x)) {
                problems.add(path + " must be a number " + rule.text() + ", got " + describe(v));
                return null;
            }
            return x;
        }

        private Integer integer(ConfigObject parent, String parentPath, String key, Rule rule) {
            String path = join(parentPath, key);
            ConfigValue v = value(parent, parentPath, key, "an integer " + rule.text());
            return v == null ? null : integer(v, path, rule);
        }

        private Integer integer(ConfigValue v, String path, Rule rule) {
            Integer i = null;
            if (v.valueType() == ConfigValueType.NUMBER) {
                double x = ((Number) v.unwrapped()).doubleValue();
                if (x == Math.rint(x) && Math.abs(x) <= Integer.MAX_VALUE && rule.test().test(x)) i = (int) x;
            }
            if (i == null) problems.add(path + " must be an integer " + rule.text() + ", got " + describe(v));
            return i;
        }

        // -------------------------------------------------------------- lists

        /** The list at {@code parent.key} if it is a list of {@code size}; null (reported) otherwise. */
        private ConfigList list(ConfigObject parent, String parentPath, String key, int size, String expected) {
            ConfigValue v = value(parent, parentPath, key, expected);
            if (v == null) return null;
            if (v.valueType() != ConfigValueType.LIST || ((ConfigList) v).size() != size) {
                problems.add(join(parentPath, key) + " must be " + expected + ", got " + describe(v));
                return null;
            }
            return (ConfigList) v;
        }

        private List<Double> numbers(ConfigObject parent, String parentPath, String key, int size, Rule rule,
                                     String order) {
            String path = join(parentPath, key);
            ConfigList list = list(parent, parentPath, key, size, "a list of " + size + " numbers " + rule.text() + order);
            if (list == null) return null;
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < size; i++) out.add(number(list.get(i), path + "[" + i + "]", rule));
            return out.contains(null) ? null : out;
        }

        private List<Double> perSeverity(ConfigObject parent, String parentPath, String key, Rule rule) {
            return numbers(parent, parentPath, key, Severity.COUNT, rule, " (" + SEVERITIES + ")");
        }

        private List<Integer> integers(ConfigObject parent, String parentPath, String key, Rule rule) {
            String path = join(parentPath, key);
            ConfigList list = list(parent, parentPath, key, Severity.COUNT,
                    "a list of " + Severity.COUNT + " integers " + rule.text() + " (" + SEVERITIES + ")");
            if (list == null) return null;
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) out.add(integer(list.get(i), path + "[" + i + "]", rule));
            return out.contains(null) ? null : out;
        }

        private List<Boolean> booleans(ConfigObject parent, String parentPath, String key) {
            String path = join(parentPath, key);
            ConfigList list = list(parent, parentPath, key, Severity.COUNT,
                    "a list of " + Severity.COUNT + " booleans (" + SEVERITIES + ")");
            if (list == null) return null;
            List<Boolean> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigValue v = list.get(i);
                if (v.valueType() == ConfigValueType.BOOLEAN) {
                    out.add((Boolean) v.unwrapped());
                } else {
                    problems.add(path + "[" + i + "] must be true or false, got " + describe(v));
                    out.add(null);
                }
            }
            return out.contains(null) ? null : out;
        }

        /** Weights normalised to sum 1; null (reported) when all are zero. */
        private List<Double> weights(List<Double> raw, String path) {
            if (raw == null) return null;
            double sum = raw.stream().mapToDouble(Double::doubleValue).sum();
            if (!(sum > 0) || !Double.isFinite(sum)) {
                problems.add(path + " must have a positive sum (the weights are normalised), got all zero");
                return null;
            }
            return raw.stream().map(x -> x / sum).toList();
        }
    }

    // ------------------------------------------------------------------ formatting

    private static String join(String parentPath, String key) {
        String k = ConfigUtil.joinPath(key);
        return parentPath.isEmpty() ? k : parentPath + "." + k;
    }

    /** A value as it appears in messages: numbers as written, other types named. */
    private static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case NUMBER -> String.valueOf(v.unwrapped());
            case STRING -> "\"" + v.unwrapped() + "\" (a string)";
            case BOOLEAN -> v.unwrapped() + " (a boolean)";
            case NULL -> "null";
            case LIST -> "a list of " + ((ConfigList) v).size();
            case OBJECT -> "an object";
        };
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.valueOf(x);
    }

    private static String labels(Severity[] values) {
        return String.join(", ", Arrays.stream(values).map(Severity::label).toList());
    }
}
