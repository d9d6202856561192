package dev.memcgdiff.outcome;

import java.util.List;

/**
 * What one step did: its result, the pages it got through, when it started and ended on the
 * simulated clock (ns since the scenario started), and, for a {@code together} step, the record of
 * each of its concurrent steps.
 */
public record StepRecord(
        int index,
        String op,
        String task,
        String result,
        long pages,
        long startNs,
        long endNs,
        List<StepRecord> inner) {
    public StepRecord {
        inner = List.copyOf(inner);
    }

    /** A record without times (tests, and steps that take none). */
    public StepRecord(int index, String op, String task, String result, long pages) {
        this(index, op, task, result, pages, 0, 0, List.of());
    }

    public long elapsedNs() {
        return endNs - startNs;
    }
}
