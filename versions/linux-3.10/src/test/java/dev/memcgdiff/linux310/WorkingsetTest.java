package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/workingset.c as RHEL 7 backported it: zone-wide, not memcg-aware. */
class WorkingsetTest {

    @Test
    @DisplayName(
            "workingset_refault: the refault distance is compared with the zone's NR_ACTIVE_FILE, other memcgs' pages included")
    void refaultAgainstTheZonesActiveFile() {
        // /big reads 64M twice: 16384 active file pages in the zone. /small (8M) reads a 12M file
        // twice: the second pass refaults what the first evicted, at a distance of a few thousand
        // evictions and activations, well within 16384. Every refault is activated, although
        // /small itself has no active file pages when it refaults.
        Outcome o = run("""
            name: zone-refault
            host: {memory: 1G}
            cgroup: v1
            cgroups:
              /big: {}
              /small: {memory.limit_in_bytes: 8M}
            tasks:
              b: {cgroup: /big, pid: 100}
              s: {cgroup: /small, pid: 101}
            steps:
              - read: {task: b, file: /data/big, size: 64M}
              - touch: {task: b, what: "file:/data/big", size: 64M}
              - read: {task: s, file: /data/f, size: 12M}
              - touch: {task: s, what: "file:/data/f", size: 12M}
            """);
        assertThat(stat(o, null, "/big", "active_file")).isEqualTo(64L << 20);
        long refaults = vmstat(o, null, "workingset_refault");
        assertThat(refaults).isPositive();
        assertThat(vmstat(o, null, "workingset_activate")).isEqualTo(refaults);
        assertThat(stat(o, null, "/small", "active_file")).isPositive();
        assertThat(vmstat(o, null, "workingset_nodereclaim")).isZero();
    }

    @Test
    @DisplayName("memcg_stat_show: 3.10 has no workingset keys in memory.stat")
    void noWorkingsetKeys() {
        Outcome o = run("""
            name: no-ws-keys
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 8M}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - read: {task: a, file: /data/f, size: 12M}
              - read: {task: a, file: /data/f, size: 12M}
            """);
        assertThat(vmstat(o, null, "workingset_refault")).isPositive();
        assertThat(keyed(o, null, "/pod", "memory.stat").keySet()).noneMatch(k -> k.contains("workingset"));
    }
}
