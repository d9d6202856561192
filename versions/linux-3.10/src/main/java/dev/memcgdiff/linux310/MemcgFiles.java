package dev.memcgdiff.linux310;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.CgroupFileValues;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.CgroupFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v1 memory controller files of 3.10.0-1160 (mem_cgroup_files, memcg_stat_show,
 * mem_cgroup_oom_control_read) and the /proc/vmstat names of its vmstat_text.
 */
final class MemcgFiles {
    /** mem_cgroup_stat_names: no shmem, dirty or writeback in 3.10; swap only with swap accounting. */
    static final List<String> STATS = List.of("cache", "rss", "rss_huge", "mapped_file", "swap");
    /** mem_cgroup_events_names. */
    static final List<String> EVENTS = List.of("pgpgin", "pgpgout", "pgfault", "pgmajfault");
    /** mem_cgroup_lru_names. */
    static final List<String> LRUS = List.of("inactive_anon", "active_anon", "inactive_file", "active_file",
        "unevictable");

    private final Machine m;
    private final Memcontrol memcontrol;

    MemcgFiles(Machine m, Memcontrol memcontrol) {
        this.m = m;
        this.memcontrol = memcontrol;
    }

    CgroupFiles read(MemCgroup c) {
        CgroupFiles f = new CgroupFiles();
        f.put("memory.usage_in_bytes", bytes(CgroupFileValues.usagePages(c, false)));
        f.put("memory.max_usage_in_bytes", bytes(c.memory.watermark()));
        f.put("memory.limit_in_bytes", bytes(c.memory.max()));
        f.put("memory.soft_limit_in_bytes", bytes(c.softLimit));
        f.put("memory.failcnt", c.memory.failcnt());
        if (m.memswCharged()) {
            f.put("memory.memsw.usage_in_bytes", bytes(CgroupFileValues.usagePages(c, true)));
            f.put("memory.memsw.max_usage_in_bytes", bytes(c.memsw.watermark()));
            f.put("memory.memsw.limit_in_bytes", bytes(c.memsw.max()));
            f.put("memory.memsw.failcnt", c.memsw.failcnt());
        }
        f.put("memory.use_hierarchy", c.useHierarchy ? 1 : 0);
        f.put("memory.swappiness", memcontrol.swappiness(c));
        Map<String, Long> oom = new LinkedHashMap<>();
        oom.put("oom_kill_disable", c.oomKillDisable ? 1L : 0L);
        oom.put("under_oom", c.underOom > 0 ? 1L : 0L);
        f.putKeyed("memory.oom_control", oom);
        f.putKeyed("memory.stat", stat(c));
        return f;
    }

    /** memcg_stat_show (3.10.0-1160), in its print order. */
    private Map<String, Long> stat(MemCgroup c) {
        Map<String, Long> s = new LinkedHashMap<>();
        for (String k : STATS) {
            if (!k.equals("swap") || m.memswCharged()) {
                s.put(k, bytes(c.stat(item(k))));
            }
        }
        for (String k : EVENTS) {
            s.put(k, c.event(event(k)));
        }
        for (String k : LRUS) {
            s.put(k, CgroupFileValues.lruBytes(c, k, false));
        }
        s.put("hierarchical_memory_limit", bytes(CgroupFileValues.hierarchicalLimit(c.memory)));
        if (m.memswCharged()) {
            s.put("hierarchical_memsw_limit", bytes(CgroupFileValues.hierarchicalLimit(c.memsw)));
        }
        List<MemCgroup> tree = c.hierarchy();
        for (String k : STATS) {
            if (!k.equals("swap") || m.memswCharged()) {
                long sum = 0;
                for (MemCgroup mi : tree) {
                    sum += mi.stat(item(k));
                }
                s.put("total_" + k, bytes(sum));
            }
        }
        for (String k : EVENTS) {
            long sum = 0;
            for (MemCgroup mi : tree) {
                sum += mi.event(event(k));
            }
            s.put("total_" + k, sum);
        }
        for (String k : LRUS) {
            long sum = 0;
            for (MemCgroup mi : tree) {
                sum += CgroupFileValues.lruBytes(mi, k, false);
            }
            s.put("total_" + k, sum);
        }
        return s;
    }

    private static MemcgStat item(String key) {
        return switch (key) {
            case "cache" -> MemcgStat.CACHE;
            case "rss" -> MemcgStat.RSS;
            case "rss_huge" -> MemcgStat.RSS_HUGE;
            case "mapped_file" -> MemcgStat.MAPPED_FILE;
            case "swap" -> MemcgStat.SWAP;
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static VmEvent event(String key) {
        return VmEvent.valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The vmstat_text names 3.10.0-1160 prints for the model's events: pgrefill, pgsteal and
     * pgscan are per zone (the model's zone is Normal); there is no oom_kill line, and the
     * workingset counters are zone items.
     */
    static String vmstatName(VmEvent e) {
        return switch (e) {
            case PSWPIN, PSWPOUT, PGACTIVATE, PGDEACTIVATE, PGFAULT, PGMAJFAULT, PGLAZYFREED, PAGEOUTRUN,
                ALLOCSTALL, PGROTATED, WORKINGSET_NODERECLAIM, THP_FAULT_ALLOC, THP_FAULT_FALLBACK,
                THP_COLLAPSE_ALLOC -> e.key();
            case PGREFILL, PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSCAN_KSWAPD, PGSCAN_DIRECT -> e.key() + "_normal";
            case WORKINGSET_REFAULT_FILE -> "workingset_refault";
            case WORKINGSET_ACTIVATE_FILE -> "workingset_activate";
            default -> null;
        };
    }
}
