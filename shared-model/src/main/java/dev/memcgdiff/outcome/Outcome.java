package dev.memcgdiff.outcome;

import dev.memcgdiff.mm.Trace;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.oom.OomKillRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario run on one kernel: a value with one canonical text form ({@link GoldenText}) and
 * one JSON form ({@link JsonOutcome}); every writer renders this value, so they never disagree.
 * Snapshots are in the order they were taken, "end" last. {@code series} holds, per memcg path,
 * its sizes after every step (for charts; not part of the golden text or the JSON contract).
 * {@code trace} is the decision trace as the golden text prints it; {@code events} the same
 * trace typed, for tests and reports to inspect by {@link TracePoint}. {@code samples} holds the key
 * cgroups sampled on the clock when the run asked for them (the report's charts over time), else
 * {@link TimeSamples#NONE}; like {@code series}, never in the golden text or the JSON.
 */
public record Outcome(
        String scenario,
        String kernel,
        String release,
        String status,
        String reason,
        List<StepRecord> steps,
        List<OomKillRecord> oomKills,
        Map<String, Snapshot> snapshots,
        List<String> trace,
        Map<String, List<SeriesPoint>> series,
        List<TraceEvent> events,
        TimeSamples samples) {
    /** An outcome without samples over time. */
    public Outcome(
            String scenario,
            String kernel,
            String release,
            String status,
            String reason,
            List<StepRecord> steps,
            List<OomKillRecord> oomKills,
            Map<String, Snapshot> snapshots,
            List<String> trace,
            Map<String, List<SeriesPoint>> series,
            List<TraceEvent> events) {
        this(scenario, kernel, release, status, reason, steps, oomKills, snapshots, trace, series, events, null);
    }

    public Outcome {
        samples = samples == null ? TimeSamples.NONE : samples;
        steps = List.copyOf(steps);
        oomKills = List.copyOf(oomKills);
        snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
        trace = List.copyOf(trace);
        events = List.copyOf(events);
        Map<String, List<SeriesPoint>> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        series = Collections.unmodifiableMap(copy);
    }

    public static final String END = "end";

    public boolean supported() {
        return "ok".equals(status);
    }

    public static Outcome unsupported(String scenario, String kernel, String release, String reason) {
        return new Outcome(
                scenario,
                kernel,
                release,
                "unsupported",
                reason,
                List.of(),
                List.of(),
                Map.of(),
                List.of(),
                Map.of(),
                List.of());
    }

    /** The trace events of one point. */
    public List<TraceEvent> events(TracePoint point) {
        return Trace.of(events, point);
    }

    /** How many times events of one point happened, in every step, summed over their texts. */
    public long times(TracePoint point) {
        return Trace.times(events, point);
    }

    /** The snapshot with this label ("end" when null). */
    public Snapshot snapshot(String label) {
        return snapshots.get(label == null ? END : label);
    }
}
