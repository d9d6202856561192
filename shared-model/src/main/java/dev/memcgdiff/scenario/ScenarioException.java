package dev.memcgdiff.scenario;

/**
 * A scenario file that breaks the format: where, what is wrong, and what is allowed there.
 * The message reads {@code path:line:column: what (allowed: ...)}.
 */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;

    private final SourcePos pos;
    private final String problem;
    private final String allowed;

    public ScenarioException(SourcePos pos, String problem, String allowed) {
        super(pos + ": " + problem + (allowed == null || allowed.isEmpty() ? "" : " (allowed: " + allowed + ")"));
        this.pos = pos;
        this.problem = problem;
        this.allowed = allowed;
    }

    public SourcePos pos() {
        return pos;
    }

    public String problem() {
        return problem;
    }

    public String allowed() {
        return allowed;
    }
}
