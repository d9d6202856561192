package dev.memcgdiff.scenario;

/**
 * A hand-written expectation: {@code LHS OP VALUE}, or the single word {@code unsupported}.
 * {@code kernel} is the key it was listed under: {@code all} or a kernel version. {@code knownGap}
 * is the reason of a {@code known-gap:} marker ({@code {check: "...", known-gap: "why"}}), null
 * for an ordinary expectation: a known gap is checked every time, and it is the model that is
 * expected to fail it until the gap is closed.
 */
public record Expectation(
        String kernel,
        String text,
        Observable lhs,
        Op op,
        Value value,
        double tolerancePct,
        SourcePos pos,
        String knownGap) {

    /** An ordinary expectation, without a known-gap marker. */
    public Expectation(
            String kernel, String text, Observable lhs, Op op, Value value, double tolerancePct, SourcePos pos) {
        this(kernel, text, lhs, op, value, tolerancePct, pos, null);
    }

    /** Whether the expectation carries a known-gap marker. */
    public boolean isKnownGap() {
        return knownGap != null;
    }

    /** The same expectation with a known-gap marker giving {@code reason}. */
    public Expectation withKnownGap(String reason) {
        return new Expectation(kernel, text, lhs, op, value, tolerancePct, pos, reason);
    }

    public enum Op {
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        APPROX("~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * A right-hand side: a number (sizes already in bytes, durations in nanoseconds, pressure
     * averages in hundredths of a percent), a word, or another file's value ({@code observable},
     * then {@code number} is null). The observables of time ({@link Observable#isTime()}) take
     * durations only.
     */
    public record Value(String raw, Long number, Observable observable) {
        /** A literal number or word. */
        public Value(String raw, Long number) {
            this(raw, number, null);
        }

        public boolean isNumber() {
            return number != null;
        }

        /** Whether the right-hand side is a file observable, read from the same outcome. */
        public boolean isObservable() {
            return observable != null;
        }
    }

    /** What an expectation reads from an outcome. */
    public sealed interface Observable {
        /** {@code unsupported}: the kernel must refuse the scenario. */
        record Unsupported() implements Observable {}

        /** {@code kills}: how many OOM kills happened. */
        record Kills() implements Observable {}

        /**
         * {@code victim N}, or {@code FIELD N} for another field of the N-th kill (0-based):
         * pid, oom_memcg, task_memcg, constraint, limit, step.
         */
        record Kill(int n, String field) implements Observable {}

        /** {@code step N}: a step's result. */
        record StepResult(int n) implements Observable {}

        /**
         * {@code /cg FILE[:KEY][@LABEL]}: a cgroup file, or one key of a keyed file, at the end or at
         * the snapshot LABEL.
         */
        record CgroupFile(String cgroup, String file, String key, String label) implements Observable {}

        /** {@code /proc/meminfo:KEY[@LABEL]} or {@code /proc/vmstat:KEY[@LABEL]}: a host file. */
        record HostFile(String file, String key, String label) implements Observable {}

        /**
         * {@code step N elapsed}: how long step N took on the simulated clock, in nanoseconds (for
         * a together, until its last inner step ended; for a sleep, its duration).
         */
        record Elapsed(int n) implements Observable {}

        /**
         * {@code time[@LABEL]}: the simulated clock, in nanoseconds since the run began, when the
         * snapshot LABEL was taken ({@code end}: after the last step).
         */
        record Time(String label) implements Observable {}

        /** Whether the value is a duration of the simulated clock, compared with durations. */
        default boolean isTime() {
            return this instanceof Elapsed || this instanceof Time;
        }
    }
}
