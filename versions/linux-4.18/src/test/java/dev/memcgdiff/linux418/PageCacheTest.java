package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.frames;
import static dev.memcgdiff.testing.ScenarioHarness.meminfo;
import static dev.memcgdiff.testing.ScenarioHarness.onlyKill;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeRequest.Purpose;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** add_to_page_cache_lru and its callers (mm/filemap.c, mm/readahead.c, mm/shmem.c of 4.18.0-147). */
class PageCacheTest {

    @Test
    @DisplayName(
            "__add_to_page_cache_locked: the page is charged to the reading task's memcg (current->mm); a cached page is not charged again")
    void chargedToReader() {
        Outcome o = Model.run("""
            name: reader-pays
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {}
              /b: {}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: t, file: /data/f, size: 1M}
              - read: {task: u, file: /data/f, size: 1M}
              - read: {task: u, file: /data/g, size: 2M}
            """);
        assertThat(stat(o, null, "/a", "file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/b", "file")).isEqualTo(2 * M);
        assertThat(stat(o, null, "/a", "inactive_file") + stat(o, null, "/a", "active_file"))
                .isEqualTo(1 * M);
    }

    @Test
    @DisplayName(
            "readahead (__GFP_NORETRY): a failed charge costs 2 max events (reclaim, drain, reclaim), no OOM, and the page is dropped")
    void readaheadChargeGivesUp() {
        Model.Booted b = Model.boot("""
            name: zero
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 0}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        assertThat(b.c.memcontrol()
                        .tryCharge(new ChargeRequest(a, 1, Gfp.READAHEAD, b.task("t"), false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.FAILED);
        assertThat(a.memoryEvent(MemoryEvent.MAX)).isEqualTo(2);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
    }

    @Test
    @DisplayName(
            "generic_file_buffered_read: 32 readahead pages are dropped (2 max each), then the GFP_KERNEL page OOMs (7 max, 1 oom); the rest reads in")
    void readaheadDroppedThenReadOoms() {
        // The hog fills /a with anon (no swap). Reading page 0: readahead of [0, 32) fails
        // page by page with __GFP_NORETRY (32 x 2 max), then page 0 itself is charged with
        // GFP_KERNEL: 7 max, MEMCG_OOM, the hog is killed, the retry fits. Pages 1.. are
        // read ahead again into the memory the hog left.
        Outcome o = Model.run("""
            name: readahead-drop
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              hog: {cgroup: /a, pid: 100}
              reader: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: hog, size: 10M}
              - read: {task: reader, file: /data/f, size: 128K}
            """);
        assertThat(event(o, null, "/a", "max")).isEqualTo(32 * 2 + 7);
        assertThat(event(o, null, "/a", "oom")).isEqualTo(1);
        assertThat(onlyKill(o).victim()).isEqualTo("hog");
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, null, "/a", "file")).isEqualTo(128 * 1024);
    }

    @Test
    @DisplayName(
            "filemap_fault: read-around is dropped, page_cache_read charges vmf->gfp_mask (GFP_HIGHUSER_MOVABLE) and OOM-kills, as in the filemap-fault incident")
    void faultOoms() {
        Outcome o = Model.run("""
            name: fault-oom
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M}
            tasks:
              hog: {cgroup: /a, pid: 100}
              java: {cgroup: /a, pid: 7093, oom_score_adj: 916}
            steps:
              - anon: {task: hog, size: 8M}
              - anon: {task: java, size: 2M}
              - mmap: {task: java, file: /data/lib.jar, size: 1M}
            """);
        OomKillRecord k = onlyKill(o);
        // java: 512 anon pages + 2 page-table pages (heap, mapping) + 916 * (2560 / 1000); hog: 2048 + 4.
        assertThat(k.victim()).isEqualTo("java");
        assertThat(k.report().get(0))
                .isEqualTo(
                        "java invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=916");
        // incidents/4.18-memcg-filemap-fault-memsw.log, without offsets, "? " guesses and the .29 clone suffix.
        assertThat(frames(k))
                .containsExactly(
                        "dump_stack",
                        "dump_header",
                        "oom_kill_process.cold",
                        "out_of_memory",
                        "mem_cgroup_out_of_memory",
                        "try_charge",
                        "mem_cgroup_try_charge",
                        "__add_to_page_cache_locked",
                        "add_to_page_cache_lru",
                        "filemap_fault",
                        "ext4_filemap_fault",
                        "__do_fault",
                        "do_fault",
                        "__handle_mm_fault",
                        "handle_mm_fault",
                        "__do_page_fault",
                        "do_page_fault",
                        "page_fault");
        assertThat(result(o, 2)).isEqualTo("killed");
    }

    @Test
    @DisplayName(
            "generic_perform_write: the write(2) charge (mapping gfp | __GFP_WRITE) OOM-kills from the syscall; the report prints GFP_HIGHUSER_MOVABLE|__GFP_WRITE")
    void writeOoms() {
        Outcome o = Model.run("""
            name: write-oom
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              hog: {cgroup: /a, pid: 100}
              w: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: hog, size: 10M}
              - write: {task: w, file: /data/out, size: 1M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("hog");
        // 0x6200ca | ___GFP_WRITE (0x100); %pGg matches GFP_HIGHUSER_MOVABLE, then __GFP_WRITE.
        assertThat(k.report().get(0))
                .isEqualTo(
                        "w invoked oom-killer: gfp_mask=0x6201ca(GFP_HIGHUSER_MOVABLE|__GFP_WRITE), nodemask=(null), order=0,"
                                + " oom_score_adj=0");
        assertThat(k.report())
                .containsSubsequence(
                        " __add_to_page_cache_locked",
                        " add_to_page_cache_lru",
                        " pagecache_get_page",
                        " grab_cache_page_write_begin");
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, null, "/a", "file")).isEqualTo(1 * M);
    }

    @Test
    @DisplayName(
            "shmem_getpage_gfp (v1): tmpfs pages count in cache and in shmem, not rss, and sit on the inactive anon list")
    void shmemStatsV1() {
        Outcome o = Model.run("""
            name: shmem-v1
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - shmem: {task: t, file: /dev/shm/x, size: 1M}
            """);
        assertThat(stat(o, null, "/a", "cache")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "shmem")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "rss")).isZero();
        assertThat(stat(o, null, "/a", "inactive_anon")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "active_anon")).isZero();
        assertThat(stat(o, null, "/a", "inactive_file")).isZero();
        assertThat(meminfo(o, null, "Shmem")).isEqualTo(1024);
    }

    @Test
    @DisplayName(
            "shmem_getpage_gfp (v2): tmpfs pages count in file and in shmem, not anon, and sit on the inactive anon list")
    void shmemStatsV2() {
        Outcome o = Model.run("""
            name: shmem-v2
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - shmem: {task: t, file: /dev/shm/x, size: 1M}
              - read: {task: t, file: /data/f, size: 1M}
            """);
        assertThat(stat(o, null, "/a", "file")).isEqualTo(2 * M);
        assertThat(stat(o, null, "/a", "shmem")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "anon")).isZero();
        assertThat(stat(o, null, "/a", "inactive_anon")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "inactive_file")).isEqualTo(1 * M);
        assertThat(file(o, null, "/a", "memory.current")).isGreaterThanOrEqualTo(2 * M);
        assertThat(file(o, null, "/a", "memory.current") - 2 * M).isLessThan(32 * PAGE);
    }
}
