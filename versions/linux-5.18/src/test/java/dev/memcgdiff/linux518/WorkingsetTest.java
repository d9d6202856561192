package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/workingset.c of 5.18: shadows for file and anon pages, the refault decision, the clocks. */
class WorkingsetTest {
    private static final String TREE = """
        name: workingset
        host: {memory: 128M, swap: 128M}
        cgroup: v2
        cgroups:
          /p: {}
          /p/c: {}
        tasks:
          t: {cgroup: /p/c, pid: 100}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "workingset_eviction: the shadow holds the reclaim target's id and clock; that clock and its ancestors' age, the page's own does not")
    void evictionStampsTarget() {
        Model.Booted b = Model.boot(TREE);
        MemCgroup c = b.memcg("/p/c");
        MemCgroup p = b.memcg("/p");
        int pfn = b.faultAnon(b.task("t"), 1)[0];
        p.lruvec(0).nonresidentAge = 41;
        long rootAge = b.m.root().lruvec(0).nonresidentAge;
        long shadow = b.c.workingset().eviction(pfn, p);
        assertThat(Workingset.shadowMemcgId(shadow)).isEqualTo(p.id());
        assertThat(Workingset.shadowEviction(shadow)).isEqualTo(41);
        assertThat(Workingset.shadowNode(shadow)).isZero();
        assertThat(p.lruvec(0).nonresidentAge).isEqualTo(42);
        assertThat(b.m.root().lruvec(0).nonresidentAge).isEqualTo(rootAge + 1);
        assertThat(c.lruvec(0).nonresidentAge).isZero();
    }

    @Test
    @DisplayName(
            "workingset_refault: workingset_size counts active file; inactive file for anon; with swap room active anon, and inactive anon for file")
    void workingsetSizeRule() {
        Model.Booted b = Model.boot(TREE);
        MemCgroup c = b.memcg("/p/c");
        MemCgroup p = b.memcg("/p");
        Task t = b.task("t");
        int[] anon = b.faultAnon(t, 30); // 10 inactive, 20 active
        for (int i = 0; i < 20; i++) {
            b.activate(anon[i]);
        }
        int[] file = b.readFile(t, "/data/f", 70); // 30 inactive, 40 active
        for (int i = 0; i < 40; i++) {
            b.activate(file[i]);
        }
        // Sizes are the evicting lruvec's hierarchical counts: /p sees /p/c's pages.
        assertThat(b.c.workingset().workingsetSize(p, 0, true, c)).isEqualTo(40 + 20 + 10);
        assertThat(b.c.workingset().workingsetSize(p, 0, false, c)).isEqualTo(40 + 30 + 20);
    }

    @Test
    @DisplayName("workingset_refault: without swap room for the new owner (swap.max 0), only file pages count")
    void workingsetSizeNoSwapRoom() {
        Model.Booted b = Model.boot("""
            name: no-room
            host: {memory: 128M, swap: 128M}
            cgroup: v2
            cgroups:
              /c: {memory.swap.max: 0}
            tasks:
              t: {cgroup: /c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/c");
        Task t = b.task("t");
        int[] anon = b.faultAnon(t, 30);
        for (int i = 0; i < 20; i++) {
            b.activate(anon[i]);
        }
        int[] file = b.readFile(t, "/data/f", 70);
        for (int i = 0; i < 40; i++) {
            b.activate(file[i]);
        }
        assertThat(b.c.workingset().workingsetSize(c, 0, true, c)).isEqualTo(40);
        assertThat(b.c.workingset().workingsetSize(c, 0, false, c)).isEqualTo(40 + 30);
    }

    @Test
    @DisplayName(
            "workingset_refault: a refault within the workingset is activated; PG_workingset restores, counts RESTORE and adds LRU cost")
    void refaultActivatesAndRestores() {
        Model.Booted b = Model.boot(TREE);
        MemCgroup c = b.memcg("/p/c");
        Task t = b.task("t");
        b.faultAnon(t, 400); // workingset size for a file refault with swap room: 400 inactive anon
        CachedFile f = b.m.files.open("/data/f");
        long age = c.lruvec(0).nonresidentAge;
        long shadow = Workingset.packShadow(c.id(), 0, age, true);
        f.pages.set(0, Entry.shadow(b.m.shadows.store(shadow)));
        f.nrShadows++;
        Mm mm = new Mm(b.m);
        b.m.current = t;
        mm.bufferedReadPage(t, f, 0, 1);
        b.m.current = null;
        int pfn = Entry.pfn(f.pages.get(0));
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_FILE);
        assertThat(b.m.pages.test(pfn, PageFlags.PG_WORKINGSET)).isTrue();
        assertThat(c.event(VmEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(c.event(VmEvent.WORKINGSET_ACTIVATE_FILE)).isEqualTo(1);
        assertThat(c.event(VmEvent.WORKINGSET_RESTORE_FILE)).isEqualTo(1);
        // lru_note_cost_folio on the new owner's lruvec and up: 1 <= 400/4, not halved.
        assertThat(c.lruvec(0).fileCost).isEqualTo(1);
        assertThat(b.memcg("/p").lruvec(0).fileCost).isEqualTo(1);
        // The activation ages the owner's clock (and its ancestors').
        assertThat(c.lruvec(0).nonresidentAge).isEqualTo(age + 1);
    }

    @Test
    @DisplayName("workingset_refault: a refault distance beyond workingset_size is counted but the page stays inactive")
    void farRefaultStaysInactive() {
        Model.Booted b = Model.boot(TREE);
        MemCgroup c = b.memcg("/p/c");
        Task t = b.task("t");
        b.faultAnon(t, 400);
        c.lruvec(0).nonresidentAge = 1000;
        CachedFile f = b.m.files.open("/data/f");
        f.pages.set(0, Entry.shadow(b.m.shadows.store(Workingset.packShadow(c.id(), 0, 599, true))));
        f.nrShadows++;
        b.m.current = t;
        new Mm(b.m).bufferedReadPage(t, f, 0, 1);
        b.m.current = null;
        int pfn = Entry.pfn(f.pages.get(0));
        // distance 1000 - 599 = 401 > 400: no activation, no restore.
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.INACTIVE_FILE);
        assertThat(c.event(VmEvent.WORKINGSET_REFAULT_FILE)).isEqualTo(1);
        assertThat(c.event(VmEvent.WORKINGSET_ACTIVATE_FILE)).isZero();
        assertThat(c.event(VmEvent.WORKINGSET_RESTORE_FILE)).isZero();
    }

    @Test
    @DisplayName("workingset_refault: a shadow whose memcg id no longer exists is ignored (mem_cgroup_from_id)")
    void goneMemcgIgnored() {
        Model.Booted b = Model.boot(TREE);
        MemCgroup c = b.memcg("/p/c");
        int pfn = b.readFile(b.task("t"), "/data/f", 1)[0];
        b.c.workingset().refault(pfn, Workingset.packShadow(999, 0, 0, true));
        assertThat(c.event(VmEvent.WORKINGSET_REFAULT_FILE)).isZero();
    }

    @Test
    @DisplayName(
            "workingset: swap-cache anon pages leave shadows; their swap-in counts workingset_refault_anon (memory.stat and /proc/vmstat)")
    void anonRefaults() {
        Outcome o = Model.run("""
            name: anon-refault
            host: {memory: 512M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 20M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 30M}
              - touch: {task: t, what: anon, size: 30M}
            """);
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(stat.get("workingset_refault_anon")).isPositive();
        assertThat(stat).containsEntry("workingset_refault_file", 0L);
        assertThat(o.snapshot(null).vmstat().get("workingset_refault_anon"))
                .isEqualTo(stat.get("workingset_refault_anon"));
        assertThat(o.snapshot(null).vmstat()).doesNotContainKey("workingset_refault");
    }

    @Test
    @DisplayName(
            "workingset_refault: re-reading evicted file pages under a limit activates those that fit the workingset")
    void fileRefaultsActivate() {
        // /a: 16M anon (with swap room it counts in a file refault's workingset_size), then two
        // files of 12M and 20M under a 40M limit: the first file's oldest pages are evicted, and
        // read again they come back at a distance smaller than the anon pages.
        Outcome o = Model.run("""
            name: file-refault
            host: {memory: 512M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 40M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 16M}
              - read: {task: t, file: /data/a, size: 12M}
              - read: {task: t, file: /data/b, size: 20M}
              - read: {task: t, file: /data/a, size: 12M}
            """);
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(stat.get("workingset_refault_file")).isPositive();
        assertThat(stat.get("workingset_activate_file"))
                .isPositive()
                .isLessThanOrEqualTo(stat.get("workingset_refault_file"));
    }
}
