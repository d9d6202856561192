package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** memcg_memory_event (include/linux/memcontrol.h, 5.18) and where each event is raised. */
class MemcgMemoryEventTest {
    private static final Map<String, Long> NO_EVENTS =
            Map.of("low", 0L, "high", 0L, "max", 0L, "oom", 0L, "oom_kill", 0L, "oom_group_kill", 0L);

    @Test
    @DisplayName("memcg_memory_event: v2 events propagate to ancestors, .local does not")
    void v2Propagation() {
        // The OOM in /p/c: 18 MAX events (see TryChargeMemcgTest), one OOM, one OOM_KILL of u.
        Outcome o = Model.run("""
            name: propagate
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/c: {memory.max: 10M}
            tasks:
              u: {cgroup: /p/c, pid: 101}
              t: {cgroup: /p/c, pid: 100}
            steps:
              - anon: {task: u, size: 6M}
              - anon: {task: t, size: 8M}
            """);
        Map<String, Long> expected =
                Map.of("low", 0L, "high", 0L, "max", 18L, "oom", 1L, "oom_kill", 1L, "oom_group_kill", 0L);
        assertThat(keyed(o, null, "/p/c", "memory.events")).isEqualTo(expected);
        assertThat(keyed(o, null, "/p/c", "memory.events.local")).isEqualTo(expected);
        assertThat(keyed(o, null, "/p", "memory.events")).isEqualTo(expected);
        assertThat(keyed(o, null, "/p", "memory.events.local")).isEqualTo(NO_EVENTS);
    }

    @Test
    @DisplayName("memcg_memory_event: cgroup v1 counts the event on the memcg only (memory.oom_control oom_kill)")
    void v1NoPropagation() {
        Outcome o = Model.run("""
            name: v1-events
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {}
              /p/c: {memory.limit_in_bytes: 10M}
            tasks:
              u: {cgroup: /p/c, pid: 101}
              t: {cgroup: /p/c, pid: 100}
            steps:
              - anon: {task: u, size: 6M}
              - anon: {task: t, size: 8M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(keyed(o, null, "/p/c", "memory.oom_control")).containsEntry("oom_kill", 1L);
        assertThat(keyed(o, null, "/p", "memory.oom_control")).containsEntry("oom_kill", 0L);
    }

    @Test
    @DisplayName("memcg_memory_event: MAX and OOM go to the memcg over its limit, OOM_KILL to the victim's memcg")
    void eventTargets() {
        // /p is over its limit when /p/b charges; the largest task is x in /p/a.
        Outcome o = Model.run("""
            name: targets
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 10M}
              /p/a: {}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - anon: {task: x, size: 6M}
              - anon: {task: y, size: 6M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("x");
        assertThat(o.oomKills().get(0).oomMemcg()).isEqualTo("/p");
        assertThat(o.oomKills().get(0).taskMemcg()).isEqualTo("/p/a");
        Map<String, Long> pLocal = keyed(o, null, "/p", "memory.events.local");
        assertThat(pLocal).containsEntry("max", 18L).containsEntry("oom", 1L).containsEntry("oom_kill", 0L);
        assertThat(keyed(o, null, "/p", "memory.events")).containsEntry("oom_kill", 1L);
        assertThat(keyed(o, null, "/p/a", "memory.events.local"))
                .containsEntry("oom_kill", 1L)
                .containsEntry("oom", 0L)
                .containsEntry("max", 0L);
        assertThat(keyed(o, null, "/p/b", "memory.events")).isEqualTo(NO_EVENTS);
    }

    @Test
    @DisplayName(
            "oom_kill_process: memory.oom.group kills the whole group and raises OOM_GROUP_KILL; the scan does not skip the victim")
    void oomGroup() {
        // The victim x is killed by __oom_kill_process, then mem_cgroup_scan_tasks over /g calls
        // oom_kill_memcg_member for every task, x included (it still has its mm): x's kill line
        // and MEMCG_OOM_KILL appear twice, once for y and once for z.
        Outcome o = Model.run("""
            name: group
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /g: {memory.max: 10M, memory.oom.group: 1}
              /g/a: {}
              /g/b: {}
            tasks:
              x: {cgroup: /g/a, pid: 100}
              y: {cgroup: /g/b, pid: 101}
              z: {cgroup: /g/b, pid: 102}
            steps:
              - anon: {task: x, size: 6M}
              - anon: {task: y, size: 1M}
              - anon: {task: z, size: 4M}
              - anon: {task: y, size: 1M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("x");
        List<String> kills = o.oomKills().get(0).report().stream()
                .filter(l -> l.startsWith("Memory cgroup out of memory: Killed process"))
                .toList();
        assertThat(kills).hasSize(4);
        assertThat(kills.get(0)).startsWith("Memory cgroup out of memory: Killed process 100 (x)");
        assertThat(kills.get(1)).startsWith("Memory cgroup out of memory: Killed process 100 (x)");
        assertThat(kills.get(2)).startsWith("Memory cgroup out of memory: Killed process 101 (y)");
        assertThat(kills.get(3)).startsWith("Memory cgroup out of memory: Killed process 102 (z)");
        assertThat(o.oomKills().get(0).report())
                .contains("Tasks in /g are going to be killed due to memory.oom.group set");
        assertThat(keyed(o, null, "/g", "memory.events"))
                .containsEntry("oom_group_kill", 1L)
                .containsEntry("oom_kill", 4L)
                .containsEntry("oom", 1L);
        assertThat(keyed(o, null, "/g/a", "memory.events.local")).containsEntry("oom_kill", 2L);
        assertThat(keyed(o, null, "/g/b", "memory.events.local")).containsEntry("oom_kill", 2L);
        assertThat(o.snapshot(null).vmstat()).containsEntry("oom_kill", 4L);
        assertThat(o.steps().get(2).result()).isEqualTo("killed");
        assertThat(o.steps().get(3).result()).isEqualTo("skipped");
    }

    @Test
    @DisplayName(
            "__mem_cgroup_try_charge_swap: a swap.max hit raises MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL on the page's memcg, propagated")
    void swapMaxEvents() {
        Model.Booted b = Model.boot("""
            name: swap-max
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/c: {memory.swap.max: 0}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/p/c");
        MemCgroup p = b.memcg("/p");
        int pfn = b.faultAnon(b.task("t"), 1)[0];
        b.clearYoung(pfn);
        assertThat(b.reclaimOnePage(pfn, c)).isZero();
        // add_to_swap failed: activate_locked, then back on the active list
        assertThat(b.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isTrue();
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_ANON);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_FAIL)).isEqualTo(1);
        assertThat(p.memoryEvent(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(p.memoryEventLocal(MemoryEvent.SWAP_MAX)).isZero();
        // activate_locked counts PGACTIVATE on the page's memcg and host-wide.
        assertThat(c.event(VmEvent.PGACTIVATE)).isEqualTo(1);
        assertThat(b.m.vmEvent(VmEvent.PGACTIVATE)).isEqualTo(1);
    }

    @Test
    @DisplayName("__mem_cgroup_try_charge_swap: no free swap slot raises MEMCG_SWAP_FAIL only")
    void noSlotSwapFail() {
        Model.Booted b = Model.boot("""
            name: no-slot
            host: {memory: 64M, swap: 4K}
            cgroup: v2
            cgroups:
              /c: {}
            tasks:
              t: {cgroup: /c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/c");
        int[] pfns = b.faultAnon(b.task("t"), 2);
        b.m.swap.allocate(); // the device's only slot is taken
        b.clearYoung(pfns[0]);
        b.reclaimOnePage(pfns[0], c);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_FAIL)).isEqualTo(1);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_MAX)).isZero();
    }

    @Test
    @DisplayName(
            "__mem_cgroup_try_charge_swap: an ancestor's swap.max hit raises MEMCG_SWAP_MAX on the page's memcg, propagated to the ancestor")
    void ancestorSwapMaxRaisedOnPageMemcg() {
        Model.Booted b = Model.boot("""
            name: ancestor-swap-max
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /p: {memory.swap.max: 0}
              /p/c: {}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/p/c");
        MemCgroup p = b.memcg("/p");
        int pfn = b.faultAnon(b.task("t"), 1)[0];
        b.clearYoung(pfn);
        assertThat(b.reclaimOnePage(pfn, c)).isZero();
        // memcg_memory_event(memcg, MEMCG_SWAP_MAX) with memcg = page_memcg(page): c counts it
        // locally, the hierarchical count reaches /p, whose local count stays 0.
        assertThat(c.memoryEventLocal(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(p.memoryEvent(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(p.memoryEventLocal(MemoryEvent.SWAP_MAX)).isZero();
    }

    @Test
    @DisplayName(
            "shmem_writepage: get_swap_page's swap charge failure raises MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL for a tmpfs page")
    void shmemWritepageSwapMax() {
        Model.Booted b = Model.boot("""
            name: shmem-swap-max
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /c: {memory.swap.max: 0}
            tasks:
              t: {cgroup: /c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/c");
        CachedFile f = b.m.files.open("/dev/shm/seg");
        b.m.current = b.task("t");
        assertThat(new Mm(b.m).shmemWritePage(b.task("t"), f)).isEqualTo(Mm.OK);
        b.m.current = null;
        int pfn = Entry.pfn(f.pages.get(0));
        assertThat(b.reclaimOnePage(pfn, c)).isZero();
        // pageout -> shmem_writepage: no swap entry, redirty, AOP_WRITEPAGE_ACTIVATE
        assertThat(b.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isTrue();
        assertThat(c.memoryEvent(MemoryEvent.SWAP_MAX)).isEqualTo(1);
        assertThat(c.memoryEvent(MemoryEvent.SWAP_FAIL)).isEqualTo(1);
    }
}
