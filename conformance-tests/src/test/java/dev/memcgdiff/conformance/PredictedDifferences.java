package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The differences the kernel sources, the notes and the incidents predict, each with the small
 * scenario that must show it. Expectations and checks were written from the cited functions before
 * any model ran; none is copied from an outcome. Sources: the trees of RHEL 7.9
 * (3.10.0-1160.el7), RHEL 8.1 (4.18.0-147.el8) and 5.18.12, read with git.
 */
final class PredictedDifferences {
    private PredictedDifferences() {
    }

    private static final Pattern ANON_LISTS = Pattern.compile(
        "memory\\.stat:(total_)?(in)?active_anon$|meminfo:(In)?[Aa]ctive\\(anon\\)|vmstat:nr_(in)?active_anon$");
    private static final Pattern STATUS = Pattern.compile("^status$");
    private static final Pattern KILL_LINE = Pattern.compile("^kill \\d+ dmesg kill line$");
    private static final Pattern V1_STAT_KEYS = Pattern.compile("memory\\.stat:(total_)?(shmem|dirty|writeback)$");

    static final PredictedDifference NEW_ANON_PAGE_LRU = new PredictedDifference("new-anon-page-lru",
        "a new anonymous page starts on active_anon on 3.10 and 4.18 but on inactive_anon on 5.18",
        "3.10 page_add_new_anon_rmap sets PageActive; 4.18 do_anonymous_page calls "
            + "lru_cache_add_active_or_unevictable; 5.18 do_anonymous_page calls lru_cache_add_inactive_or_unevictable; "
            + "notes §11",
        NotesQuestions.LRU_BALANCE, "11", ANON_LISTS, ANON_LISTS, null,
        """
        name: new-anon-page-lru
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 512M}
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 100M}
        expect:
          all:
            - "step 0 == ok"
            - "/c memory.stat:rss == 100M"
          "3.10":
            - "/c memory.stat:active_anon == 100M"
            - "/c memory.stat:inactive_anon == 0"
          "4.18":
            - "/c memory.stat:active_anon == 100M"
            - "/c memory.stat:inactive_anon == 0"
          "5.18":
            - "/c memory.stat:inactive_anon == 100M"
            - "/c memory.stat:active_anon == 0"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference CGROUP_V2_ON_3_10 = new PredictedDifference("cgroup-v2-memory-min",
        "3.10 refuses a cgroup v2 scenario (it has no memory.min or any v2 memory file); 4.18 and 5.18 run it",
        "3.10.0-1160 mm/memcontrol.c has only the v1 files (mem_cgroup_files); memory.min arrived with "
            + "mem_cgroup_protected in 4.18; notes §8",
        NotesQuestions.PROTECTION, "8", STATUS, STATUS, Pattern.compile("^unsupported.*cgroup v2"),
        """
        name: cgroup-v2-memory-min
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v2
        cgroups:
          /c: {memory.min: 64M, memory.max: 256M}
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 32M}
        expect:
          "3.10":
            - "unsupported"
          "4.18":
            - "step 0 == ok"
            - "/c memory.min == 64M"
          "5.18":
            - "step 0 == ok"
            - "/c memory.min == 64M"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference TMPFS_WRITE_AT_MEMSW = new PredictedDifference("tmpfs-write-at-memsw",
        "a tmpfs write(2) that hits the memsw limit OOM-kills on 4.18 and 5.18 but fails with ENOMEM on 3.10",
        "3.10 mem_cgroup_oom records an OOM only when may_oom (user page faults), so the shmem charge of a "
            + "write gets -ENOMEM; 4.18.0-147 try_charge calls mem_cgroup_oom -> mem_cgroup_out_of_memory "
            + "synchronously from any charge (RHEL backport of the 4.19 rework), as in "
            + "incidents/4.18-memcg-shmem-write-memsw.log; 5.18 try_charge_memcg -> mem_cgroup_oom; notes §15",
        NotesQuestions.OOM, "15", Pattern.compile("^step 1 shmem|^oom kills$"),
        Pattern.compile("^step \\d+ shmem"), Pattern.compile("^enomem"),
        """
        name: tmpfs-write-at-memsw
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G, swap: 256M}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 64M, memory.memsw.limit_in_bytes: 72M}
        tasks:
          java: {cgroup: /c, pid: 7093}
        steps:
          - anon: {task: java, size: 8M}
          - shmem: {task: java, file: /dev/shm/cache, size: 128M}
        expect:
          all:
            - "step 0 == ok"
          "3.10":
            - "step 1 == enomem"
            - "kills == 0"
          "4.18":
            - "step 1 == killed"
            - "kills == 1"
            - "victim 0 == java"
          "5.18":
            - "step 1 == killed"
            - "kills == 1"
            - "victim 0 == java"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference EVENTS_PROPAGATE = new PredictedDifference("memory-events-propagation",
        "memory.events counts a child's OOM kill in its ancestors on 5.18 only (with memory.events.local for "
            + "the memcg's own); 4.18 counts it in the child alone; 3.10 has no cgroup v2",
        "5.18 include/linux/memcontrol.h memcg_memory_event walks parent_mem_cgroup up to (not including) root "
            + "and counts memory_events_local once; 4.18.0-147 memcg_memory_event increments the memcg's own "
            + "memory_events only",
        NotesQuestions.OOM, null, Pattern.compile("memory\\.events(\\.local)?:"),
        Pattern.compile("memory\\.events\\.local:"), null,
        """
        name: memory-events-propagation
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v2
        cgroups:
          /p: {}
          /p/c: {memory.max: 32M}
        tasks:
          t: {cgroup: /p/c}
        steps:
          - anon: {task: t, size: 64M}
        expect:
          "3.10":
            - "unsupported"
          "4.18":
            - "kills == 1"
            - "/p/c memory.events:oom_kill == 1"
            - "/p memory.events:oom_kill == 0"
          "5.18":
            - "kills == 1"
            - "/p/c memory.events:oom_kill == 1"
            - "/p memory.events:oom_kill == 1"
            - "/p/c memory.events.local:oom_kill == 1"
            - "/p memory.events.local:oom_kill == 0"
        """, byKernel -> assertThat(PredictedDifference.files(byKernel.get("4.18"), "/p"))
            .as("4.18 has no memory.events.local (added in 5.2)").doesNotContainKey("memory.events.local"));

    static final PredictedDifference KILL_LINE_FORMATS = new PredictedDifference("oom-kill-line-formats",
        "the OOM report differs per kernel: 3.10 prints \"Kill process ... score ... or sacrifice child\" and then "
            + "\"Killed process N (comm), UID ...\"; 4.18 \"Memory cgroup out of memory: Killed process ...\" with a "
            + "nodemask on the invoked line; 5.18 adds UID, pgtables and oom_score_adj and an oom-kill: summary line",
        "printk formats in mm/oom_kill.c: 3.10 dump_header and oom_kill_process; 4.18.0-147 dump_header and "
            + "__oom_kill_process (no child sacrifice), as in incidents/*.log; 5.18 dump_header, "
            + "dump_oom_summary and __oom_kill_process",
        NotesQuestions.OOM, null, KILL_LINE, KILL_LINE, null,
        """
        name: oom-kill-line-formats
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 512M}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 32M}
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 64M}
        expect:
          all:
            - "kills == 1"
            - "victim 0 == t"
            - "pid 0 == 1000"
        """, byKernel -> {
            List<String> r310 = PredictedDifference.report(byKernel.get("3.10"), 0);
            assertThat(r310).anyMatch(l -> l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+, order=0, "
                + "oom_score_adj=0"));
            assertThat(r310).anyMatch(l -> l.matches("Memory cgroup out of memory: Kill process 1000 \\(t\\) score "
                + "-?[0-9]+ or sacrifice child"));
            assertThat(r310).anyMatch(l -> l.matches("Killed process 1000 \\(t\\), UID 0, total-vm:[0-9]+kB, "
                + "anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB"));

            List<String> r418 = PredictedDifference.report(byKernel.get("4.18"), 0);
            assertThat(r418).anyMatch(l -> l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+\\([A-Z_|]+\\), "
                + "nodemask=\\(null\\), order=0, oom_score_adj=0"));
            assertThat(r418).anyMatch(l -> l.matches("Memory cgroup out of memory: Killed process 1000 \\(t\\) "
                + "total-vm:[0-9]+kB, anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB"));
            assertThat(r418).noneMatch(l -> l.contains("sacrifice child") || l.startsWith("oom-kill:"));

            List<String> r518 = PredictedDifference.report(byKernel.get("5.18"), 0);
            assertThat(r518).anyMatch(l -> l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+\\([A-Z_|]+\\), "
                + "order=0, oom_score_adj=0"));
            assertThat(r518).anyMatch(l -> l.matches("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=\\(null\\),.*"
                + "oom_memcg=/c,task_memcg=/c,task=t,pid=1000,uid=0"));
            assertThat(r518).anyMatch(l -> l.matches("Memory cgroup out of memory: Killed process 1000 \\(t\\) "
                + "total-vm:[0-9]+kB, anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB, UID:0 "
                + "pgtables:[0-9]+kB oom_score_adj:0"));
        });

    static final PredictedDifference NO_SHMEM_KEY_ON_3_10 = new PredictedDifference("v1-stat-shmem-key",
        "v1 memory.stat has no shmem key on 3.10 (tmpfs pages are only in cache); 4.18 and 5.18 print shmem",
        "3.10 mem_cgroup_stat_names lists cache, rss, rss_huge, mapped_file, swap; 4.18 and 5.18 memcg1_stat_names "
            + "add shmem (and dirty, writeback); notes §16, §17b",
        NotesQuestions.PAGE_CACHE, "17b", V1_STAT_KEYS, V1_STAT_KEYS, Pattern.compile("^-$"),
        """
        name: v1-stat-shmem-key
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 256M}
        tasks:
          t: {cgroup: /c}
        steps:
          - shmem: {task: t, file: /dev/shm/x, size: 16M}
        expect:
          all:
            - "step 0 == ok"
            - "/c memory.stat:cache == 16M"
          "4.18":
            - "/c memory.stat:shmem == 16M"
          "5.18":
            - "/c memory.stat:shmem == 16M"
        """, byKernel -> assertThat(PredictedDifference.keys(byKernel.get("3.10"), "/c", "memory.stat"))
            .as("3.10 memory.stat keys").doesNotContain("shmem", "dirty", "writeback", "total_shmem"));

    static final PredictedDifference ROOT_BONUS = new PredictedDifference("oom-badness-root-bonus",
        "3.10 takes 3% off a root task's badness, so a slightly smaller non-root task is killed instead; 4.18 "
            + "and 5.18 kill the biggest task whatever its uid",
        "3.10 oom_badness: has_capability_noaudit(p, CAP_SYS_ADMIN) -> points -= points * 3 / 100; 4.18.0-147 "
            + "and 5.18 oom_badness have no such bonus",
        NotesQuestions.OOM, null, Pattern.compile("^kill \\d+ (victim|step)$|^step 1 anon"), null, null,
        """
        name: oom-badness-root-bonus
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 100M}
        tasks:
          rootd: {cgroup: /c, uid: 0}
          app: {cgroup: /c, uid: 1000}
        steps:
          - anon: {task: rootd, size: 51712K}
          - anon: {task: app, size: 60M}
        expect:
          all:
            - "kills == 1"
          "3.10":
            - "victim 0 == app"
            - "step 1 == killed"
          "4.18":
            - "victim 0 == rootd"
            - "step 1 == ok"
          "5.18":
            - "victim 0 == rootd"
            - "step 1 == ok"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference USE_HIERARCHY_DEFAULT = new PredictedDifference("v1-use-hierarchy-default",
        "on cgroup v1 a child is charged to its parent only with use_hierarchy, which defaults to 0 on 3.10 and "
            + "4.18, so a parent's limit does not cover its children; 5.18 is always hierarchical",
        "3.10 and 4.18 mem_cgroup_css_alloc link the child's page counters to the parent's only if "
            + "parent->use_hierarchy (v1 root starts at 0: 4.18 mem_cgroup_bind); 5.18 mem_cgroup_css_alloc always "
            + "links them and mem_cgroup_hierarchy_write refuses 0; notes §17, §18",
        NotesQuestions.RECLAIM, "17a", Pattern.compile("memory\\.use_hierarchy$|^oom kills$|^step 0 anon"),
        Pattern.compile("memory\\.use_hierarchy$"), null,
        """
        name: v1-use-hierarchy-default
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 512M}
        cgroup: v1
        cgroups:
          /p: {memory.limit_in_bytes: 64M}
          /p/c: {}
        tasks:
          t: {cgroup: /p/c}
        steps:
          - anon: {task: t, size: 96M}
        expect:
          "3.10":
            - "/p/c memory.use_hierarchy == 0"
            - "step 0 == ok"
            - "kills == 0"
            - "/p memory.usage_in_bytes == 0"
          "4.18":
            - "/p/c memory.use_hierarchy == 0"
            - "step 0 == ok"
            - "kills == 0"
            - "/p memory.usage_in_bytes == 0"
          "5.18":
            - "/p/c memory.use_hierarchy == 1"
            - "step 0 == killed"
            - "kills == 1"
            - "oom_memcg 0 == /p"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference REFAULT_DISTANCE_SCOPE = new PredictedDifference("refault-distance-scope",
        "a small container re-reading a file it could not keep gets its refaults activated on 3.10, which compares "
            + "the refault distance with the whole zone's active file list, and not on 4.18 or 5.18, which compare "
            + "it with the evicting memcg's own lists",
        "3.10 workingset_refault: refault_distance <= zone_page_state(zone, NR_ACTIVE_FILE); 4.18 "
            + "workingset_refault: distance <= lruvec_lru_size(eviction lruvec, LRU_ACTIVE_FILE); 5.18 "
            + "workingset_refault: workingset_size of the eviction lruvec; notes §1",
        NotesQuestions.LRU_BALANCE, "1", Pattern.compile("workingset_activate"),
        Pattern.compile("vmstat:workingset_activate$"), null,
        """
        name: refault-distance-scope
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G}
        cgroup: v1
        cgroups:
          /c: {memory.limit_in_bytes: 16M}
        tasks:
          hostreader: {cgroup: /}
          app: {cgroup: /c}
        steps:
          - read: {task: hostreader, file: /data/hot, size: 64M}
          - read: {task: hostreader, file: /data/hot, size: 64M}
          - read: {task: app, file: /data/big, size: 32M}
          - read: {task: app, file: /data/big, size: 32M}
        expect:
          all:
            - "kills == 0"
          "3.10":
            - "/proc/vmstat:workingset_refault > 0"
            - "/proc/vmstat:workingset_activate > 0"
          "4.18":
            - "/proc/vmstat:workingset_refault > 0"
            - "/proc/vmstat:workingset_activate == 0"
          "5.18":
            - "/proc/vmstat:workingset_refault_file > 0"
            - "/proc/vmstat:workingset_activate_file == 0"
        """, PredictedDifference.Check.NONE);

    static final PredictedDifference ANON_REFAULTS = new PredictedDifference("anon-refaults-counted",
        "5.18 tracks refaults of swapped-out anonymous pages (workingset_refault_anon); 4.18 tracks file refaults "
            + "only and counts none for swap-ins",
        "5.18 workingset_eviction is called for swap-cache pages in __remove_mapping and workingset_refault from "
            + "the swap-in path, counting WORKINGSET_REFAULT_ANON; 4.18.0-147 __remove_mapping stores shadows for "
            + "file pages only; notes §1",
        NotesQuestions.LRU_BALANCE, "1", Pattern.compile("memory\\.stat:workingset_refault"),
        Pattern.compile("workingset_refault_anon$"), null,
        """
        name: anon-refaults-counted
        kernels: ["3.10", "4.18", "5.18"]
        host: {memory: 1G, swap: 256M}
        cgroup: v2
        cgroups:
          /c: {memory.max: 32M}
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 48M}
          - touch: {task: t, what: anon, size: 48M}
        expect:
          "3.10":
            - "unsupported"
          "4.18":
            - "step 1 == ok"
            - "/c memory.stat:workingset_refault == 0"
          "5.18":
            - "step 1 == ok"
            - "/c memory.stat:workingset_refault_anon > 0"
        """, byKernel -> assertThat(PredictedDifference.keys(byKernel.get("4.18"), "/c", "memory.stat"))
            .as("4.18 v2 memory.stat keys").doesNotContain("workingset_refault_anon"));

    static final List<PredictedDifference> ALL = List.of(NEW_ANON_PAGE_LRU, CGROUP_V2_ON_3_10, TMPFS_WRITE_AT_MEMSW,
        EVENTS_PROPAGATE, KILL_LINE_FORMATS, NO_SHMEM_KEY_ON_3_10, ROOT_BONUS, USE_HIERARCHY_DEFAULT,
        REFAULT_DISTANCE_SCOPE, ANON_REFAULTS);
}
