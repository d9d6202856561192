package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.onlyKill;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** memory.min / memory.low in 4.18.0-147: mem_cgroup_protected (mm/memcontrol.c) and propagate_protected_usage (mm/page_counter.c). */
class ProtectionTest {

    private static final String GLOBAL = """
        name: global-protection
        host: {memory: 128M}
        cgroup: v2
        cgroups:
          /a: {%s: 32M}
          /c: {}
        tasks:
          t: {cgroup: /a, pid: 100}
          u: {cgroup: /c, pid: 101}
        steps:
          - read: {task: t, file: /data/a, size: 24M}
          - snapshot: filled
          - read: {task: u, file: /data/c, size: 160M}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_protected: usage <= memory.min is MEMCG_PROT_MIN: global reclaim skips the memcg, no low event")
    void minSkipped() {
        Outcome o = Model.run(GLOBAL.formatted("memory.min"));
        assertThat(file(o, null, "/a", "memory.current")).isEqualTo(file(o, "filled", "/a", "memory.current"));
        assertThat(stat(o, null, "/a", "pgscan")).isZero();
        assertThat(event(o, null, "/a", "low")).isZero();
        assertThat(stat(o, null, "/c", "pgsteal")).isPositive();
    }

    @Test
    @DisplayName(
            "shrink_node: a memory.low memcg is skipped while others have reclaimable memory; the low retry never runs, low stays 0")
    void lowSkippedWhileOthersReclaimable() {
        Outcome o = Model.run(GLOBAL.formatted("memory.low"));
        assertThat(file(o, null, "/a", "memory.current")).isEqualTo(file(o, "filled", "/a", "memory.current"));
        assertThat(event(o, null, "/a", "low")).isZero();
        assertThat(stat(o, null, "/c", "pgsteal")).isPositive();
    }

    private static final String LIMIT = """
        name: limit-protection
        host: {memory: 256M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 8M%s}
          /a/c: {%s}
        tasks:
          t: {cgroup: /a/c, pid: 100}
        steps:
          - read: {task: t, file: /data/f, size: 16M}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_protected: the reclaim root's own memory.min never counts: /a at its limit reclaims itself")
    void rootsOwnMinIgnored() {
        Outcome o = Model.run(LIMIT.formatted(", memory.min: 8M", ""));
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(stat(o, null, "/a/c", "pgsteal")).isPositive();
    }

    @Test
    @DisplayName(
            "mem_cgroup_protected: a child whose usage is within its memory.min is never reclaimed by its parent's limit: the read OOMs")
    void childMinLeadsToOom() {
        Outcome o = Model.run(LIMIT.formatted("", "memory.min: 8M"));
        assertThat(onlyKill(o).victim()).isEqualTo("t");
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(stat(o, null, "/a/c", "pgscan")).isZero();
        assertThat(event(o, null, "/a/c", "low")).isZero();
    }

    @Test
    @DisplayName(
            "do_try_to_free_pages: a child within memory.low is skipped, nothing else is reclaimable, so the retry with memcg_low_reclaim reclaims it and counts low")
    void childLowReclaimedOnRetry() {
        Outcome o = Model.run(LIMIT.formatted("", "memory.low: 8M"));
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(event(o, null, "/a/c", "low")).isPositive();
        assertThat(event(o, null, "/a", "low"))
                .as("memcg_memory_event: no propagation in 4.18")
                .isZero();
        assertThat(stat(o, null, "/a/c", "pgsteal")).isPositive();
    }

    private static final String DEEP = """
        name: leaf-propagation
        host: {memory: 128M}
        cgroup: v2
        cgroups:
          /A: {memory.min: 40M}
          /A/B: {memory.min: 40M}
          /A/C: {memory.min: 40M}
          /D: {}
        tasks:
          b: {cgroup: /A/B, pid: 100}
          c: {cgroup: /A/C, pid: 101}
          d: {cgroup: /D, pid: 102}
        steps:
          - read: {task: b, file: /data/b, size: 32M}
          - read: {task: c, file: /data/c, size: 32M}
          - snapshot: filled
          - read: {task: d, file: /data/d, size: 128M}
        """;

    @Test
    @DisplayName(
            "propagate_protected_usage (4.18 leaf bug): a charge updates only the leaf, from the top level's usage, so /A's children_min_usage misses /A/C")
    void leafPropagationBug() {
        Model.Booted b = Model.boot(DEEP);
        b.readFile(b.task("b"), "/data/b", 8192);
        b.readFile(b.task("c"), "/data/c", 8192);
        MemCgroup root = b.m.root();
        MemCgroup a = b.memcg("/A");
        MemCgroup bb = b.memcg("/A/B");
        MemCgroup c = b.memcg("/A/C");
        // page_counter_try_charge passes the leaf counter with each level's new usage; the
        // last level is the root. B's last batch left the root at 8192 <= min (10240): B's
        // min_usage 8192. C's batches took the root past 10240: C's min_usage is 0, though C's
        // own usage (8192) is within its min. /A's sum holds B only.
        assertThat(bb.memory.usage()).isEqualTo(8192);
        assertThat(c.memory.usage()).isEqualTo(8192);
        assertThat(bb.memory.minUsage()).isEqualTo(8192);
        assertThat(c.memory.minUsage()).isZero();
        assertThat(a.memory.childrenMinUsage()).isEqualTo(8192);

        // mem_cgroup_protected top-down from the root: /A (parent is the root) gets emin = 10240
        // and is over it; B and C each get min(10240, 10240 * 8192 / 8192) = 10240 and are
        // protected, 16384 pages under /A's 10240. A correct sum (16384) would give 5120 each.
        assertThat(Protection.memCgroupProtected(root, a)).isEqualTo(Protection.Result.NONE);
        assertThat(Protection.memCgroupProtected(root, bb)).isEqualTo(Protection.Result.MIN);
        assertThat(Protection.memCgroupProtected(root, c)).isEqualTo(Protection.Result.MIN);
        assertThat(bb.memory.emin).isEqualTo(10240);
        assertThat(c.memory.emin).isEqualTo(10240);
    }

    @Test
    @DisplayName(
            "propagate_protected_usage (4.18 leaf bug): under host pressure both children keep all 32M although /A's memory.min is 40M")
    void leafPropagationBugUnderPressure() {
        Outcome o = Model.run(DEEP);
        assertThat(file(o, "filled", "/A/B", "memory.current")).isEqualTo(32 * M);
        assertThat(file(o, null, "/A/B", "memory.current")).isEqualTo(32 * M);
        assertThat(file(o, null, "/A/C", "memory.current")).isEqualTo(32 * M);
        assertThat(stat(o, null, "/A", "pgscan")).isZero();
        assertThat(stat(o, null, "/D", "pgsteal")).isPositive();
    }
}
