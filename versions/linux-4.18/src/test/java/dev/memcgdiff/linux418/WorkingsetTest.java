package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.K;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/workingset.c of 4.18.0-147: eviction stamps, refault distance against the evicting memcg's active_file. */
class WorkingsetTest {

    private static final String TWO = """
        name: ws-unit
        host: {memory: 256M}
        cgroup: v2
        cgroups:
          /a: {}
          /b: {}
        tasks:
          t: {cgroup: /a, pid: 100}
          u: {cgroup: /b, pid: 101}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "workingset_refault: a distance equal to the evicting memcg's active_file activates (WORKINGSET_ACTIVATE, inactive_age + 1); one more stays inactive")
    void distanceBoundary() {
        Model.Booted b = Model.boot(TWO);
        MemCgroup a = b.memcg("/a");
        int[] pfns = b.readFile(b.task("t"), "/data/f", 20);
        for (int i = 0; i < 8; i++) {
            b.activate(pfns[i]);
        }
        Lruvec lruvec = a.lruvec(0);
        Workingset ws = new Workingset(b.m);
        long age = lruvec.nonresidentAge;
        long shadow = ws.eviction(pfns[19]);
        assertThat(lruvec.nonresidentAge)
                .as("workingset_eviction advances the clock")
                .isEqualTo(age + 1);

        // distance = inactive_age - eviction stamp = 8 = active_file: activated.
        lruvec.nonresidentAge += 8;
        int[] fresh = b.readFile(b.task("u"), "/data/g", 2);
        ws.refault(fresh[0], shadow);
        assertThat(b.m.pages.test(fresh[0], PageFlags.PG_ACTIVE)).isTrue();
        assertThat(a.event(VmEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(a.event(VmEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        assertThat(lruvec.nonresidentAge).isEqualTo(age + 1 + 8 + 1);

        // The same stamp is now 9 behind, one more than active_file: refault counted, not activated.
        ws.refault(fresh[1], shadow);
        assertThat(b.m.pages.test(fresh[1], PageFlags.PG_ACTIVE)).isFalse();
        assertThat(a.event(VmEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(2);
        assertThat(a.event(VmEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        // The counters are the evicting memcg's (/a), not those of /b that charged the new pages.
        assertThat(b.memcg("/b").event(VmEvent.WORKINGSET_REFAULT_FILE)).isZero();
    }

    @Test
    @DisplayName(
            "workingset_activation: mark_page_accessed's activation of a file page advances its lruvec's inactive_age")
    void activationAdvancesClock() {
        Model.Booted b = Model.boot(TWO);
        Lruvec lruvec = b.memcg("/a").lruvec(0);
        b.readFile(b.task("t"), "/data/f", 10);
        long age = lruvec.nonresidentAge;
        b.readFile(b.task("t"), "/data/f", 10);
        assertThat(lruvec.nonresidentAge).isEqualTo(age + 10);
    }

    @Test
    @DisplayName(
            "workingset_refault: with no active file in the evicting memcg every refault stays inactive; counted on the evicting memcg, charged to the reader")
    void beyondDistanceStaysInactive() {
        // /a (4M) reads f (1M), then g (4M): the 256 pages of f are the oldest and all go,
        // followed by some of g's, so every f shadow is at distance > 0 = /a's active_file.
        // u in /b reads f back: 256 refaults, counted on /a (the shadow's memcg), none activated,
        // and the pages are charged to /b and sit on its inactive list.
        Outcome o = Model.run("""
            name: ws-beyond
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 4M}
              /b: {}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: t, file: /data/f, size: 1M}
              - read: {task: t, file: /data/g, size: 4M}
              - read: {task: u, file: /data/f, size: 1M}
            """);
        assertThat(stat(o, null, "/a", "workingset_refault")).isEqualTo(256);
        assertThat(stat(o, null, "/a", "workingset_activate")).isZero();
        assertThat(stat(o, null, "/b", "workingset_refault")).isZero();
        assertThat(stat(o, null, "/b", "file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/b", "inactive_file")).isEqualTo(1 * M);
        assertThat(vmstat(o, null, "workingset_refault")).isEqualTo(256);
    }

    @Test
    @DisplayName(
            "workingset_refault: refaults within /a's active_file (256 pages) are activated; memory.stat and /proc/vmstat count them")
    void withinDistanceActivated() {
        // h (1M) is read twice: 256 active pages that stay active (inactive never drops
        // below them). f (512K) is read once, then g (3.25M) pushes f out and at most 96 of
        // g's pages after it. Reading f back from /b: each refault's distance is at most
        // 127 later f evictions + 96 g evictions + earlier activations, never above 256.
        Outcome o = Model.run("""
            name: ws-within
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 4M}
              /b: {}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: t, file: /data/h, size: 1M}
              - read: {task: t, file: /data/h, size: 1M}
              - read: {task: t, file: /data/f, size: 512K}
              - read: {task: t, file: /data/g, size: 3328K}
              - snapshot: evicted
              - read: {task: u, file: /data/f, size: 512K}
            """);
        assertThat(stat(o, "evicted", "/a", "active_file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "workingset_refault")).isEqualTo(128);
        assertThat(stat(o, null, "/a", "workingset_activate")).isEqualTo(128);
        assertThat(stat(o, null, "/b", "active_file")).isEqualTo(512 * K);
        assertThat(vmstat(o, null, "workingset_activate")).isEqualTo(128);
        assertThat(vmstat(o, null, "workingset_restore"))
                .as("no PG_workingset: f was never deactivated")
                .isZero();
    }
}
