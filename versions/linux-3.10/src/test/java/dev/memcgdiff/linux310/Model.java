package dev.memcgdiff.linux310;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.List;
import java.util.Map;

/**
 * Runs scenario text on 3.10, reads the outcome's files the way a user reads /sys/fs/cgroup, and
 * finds its trace events by point.
 */
final class Model {
    static final long K = 1024;
    static final long M = 1024 * K;
    static final long PAGE = 4096;

    private Model() {
    }

    static Outcome run(String yaml) {
        try {
            return Runner.run(ScenarioParser.parse("test.yaml", yaml), new Linux310());
        } catch (ScenarioException e) {
            throw new AssertionError("test scenario does not parse: " + e.getMessage(), e);
        }
    }

    /** A plain cgroup file (a number) at a snapshot ("end" when label is null). */
    static long file(Outcome o, String label, String cgroup, String file) {
        Snapshot s = snapshot(o, label);
        Object v = s.cgroups().get(cgroup).files().get(file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Long.class);
        return (Long) v;
    }

    /** A keyed file line, e.g. memory.stat:cache. */
    static long key(Outcome o, String label, String cgroup, String file, String key) {
        Map<String, Long> keyed = keyed(o, label, cgroup, file);
        assertThat(keyed).as(cgroup + " " + file + " @" + label).containsKey(key);
        return keyed.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> keyed(Outcome o, String label, String cgroup, String file) {
        Object v = snapshot(o, label).cgroups().get(cgroup).files().get(file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Map.class);
        return (Map<String, Long>) v;
    }

    static long stat(Outcome o, String label, String cgroup, String key) {
        return key(o, label, cgroup, "memory.stat", key);
    }

    static long vmstat(Outcome o, String label, String key) {
        Map<String, Long> v = snapshot(o, label).vmstat();
        assertThat(v).as("/proc/vmstat @" + label).containsKey(key);
        return v.get(key);
    }

    static Snapshot snapshot(Outcome o, String label) {
        assertThat(o.status()).as("outcome status").isEqualTo("ok");
        Snapshot s = o.snapshot(label);
        assertThat(s).as("snapshot " + label).isNotNull();
        return s;
    }

    static String result(Outcome o, int step) {
        return o.steps().get(step).result();
    }

    static long pages(Outcome o, int step) {
        return o.steps().get(step).pages();
    }

    /** The events of one point in one step (each a distinct text: e.g. one per memcg). */
    static List<TraceEvent> events(Outcome o, TracePoint point, int step) {
        return o.events(point).stream().filter(e -> e.step() == step).toList();
    }
}
