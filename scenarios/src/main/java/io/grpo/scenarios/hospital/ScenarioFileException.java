package io.grpo.scenarios.hospital;

import java.util.List;

/**
 * A scenario file could not be read, parsed or validated. The message has one line per
 * problem, each of the form {@code <file>: <problem>}, where the file is a path or
 * {@code classpath:scenarios/<name>.conf} and the problem names the full dotted key and what
 * is allowed, e.g. {@code my.conf: capacity.beds must be an integer >= 1, got 0}.
 */
public final class ScenarioFileException extends RuntimeException {
    private final String source;
    private final List<String> problems;

    /** Problems found in one file (at least one). */
    public ScenarioFileException(String source, List<String> problems) {
        this(source, problems, null);
    }

    /** One problem in one file, e.g. a parse error with the parser's exception as cause. */
    public ScenarioFileException(String source, String problem, Throwable cause) {
        this(source, List.of(problem), cause);
    }

    private ScenarioFileException(String source, List<String> problems, Throwable cause) {
        super(message(source, problems), cause);
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems given");
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file: a path as given, or {@code classpath:scenarios/<name>.conf}. */
    public String source() {
        return source;
    }

    /** The problems, without the file prefix, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        for (String p : problems) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(source).append(": ").append(p);
        }
        return sb.toString();
    }
}
