package dev.memcgdiff.outcome;

import dev.memcgdiff.mm.oom.OomKill;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario run on one kernel: a value with one canonical text form ({@link GoldenText}) and
 * one JSON form ({@link JsonOutcome}); every writer renders this value, so they never disagree.
 * Snapshots are in the order they were taken, "end" last. {@code series} holds, per memcg path,
 * its sizes after every step (for charts; not part of the golden text or the JSON contract).
 */
public record Outcome(String scenario, String kernel, String release, String status, String reason,
                      List<StepRecord> steps, List<OomKill> oomKills, Map<String, Snapshot> snapshots,
                      List<String> trace, Map<String, List<SeriesPoint>> series) {
    public Outcome {
        steps = List.copyOf(steps);
        oomKills = List.copyOf(oomKills);
        snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
        trace = List.copyOf(trace);
        Map<String, List<SeriesPoint>> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        series = Collections.unmodifiableMap(copy);
    }

    public static final String END = "end";

    public boolean supported() {
        return "ok".equals(status);
    }

    public static Outcome unsupported(String scenario, String kernel, String release, String reason) {
        return new Outcome(scenario, kernel, release, "unsupported", reason, List.of(), List.of(), Map.of(),
            List.of(), Map.of());
    }

    /** The snapshot with this label ("end" when null). */
    public Snapshot snapshot(String label) {
        return snapshots.get(label == null ? END : label);
    }
}
