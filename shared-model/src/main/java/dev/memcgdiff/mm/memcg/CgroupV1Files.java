package dev.memcgdiff.mm.memcg;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;

import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.outcome.CgroupFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v1 memory files the modelled kernels print the same way (mem_cgroup_read_u64 for
 * the res_counter/page_counter files and memcg_stat_show's layout): only the list of memory.stat
 * state keys differs between versions (3.10 has no shmem, dirty or writeback).
 */
public final class CgroupV1Files {
    private static final List<String> EVENTS = List.of("pgpgin", "pgpgout", "pgfault", "pgmajfault");

    private CgroupV1Files() {}

    /**
     * The v1 files of mem_cgroup_files (3.10) / mem_cgroup_legacy_files (4.18, 5.18) in their
     * order: the counters, memory.use_hierarchy, memory.swappiness, memory.oom_control
     * (oom_kill_disable, under_oom, and from 4.13 on the oom_kill line: 4.18, 5.18) and
     * memory.stat with the kernel's state keys.
     *
     * @param useHierarchy what mem_cgroup_hierarchy_read returns (5.18: always 1)
     * @param swappiness what mem_cgroup_swappiness_read returns
     */
    public static CgroupFiles files(
            MemCgroup c,
            boolean memsw,
            long useHierarchy,
            int swappiness,
            boolean oomKillLine,
            List<String> stateKeys) {
        CgroupFiles f = new CgroupFiles();
        counters(f, c, memsw);
        f.put("memory.use_hierarchy", useHierarchy);
        f.put("memory.swappiness", swappiness);
        Map<String, Long> oom = new LinkedHashMap<>();
        oom.put("oom_kill_disable", c.oomKillDisable ? 1L : 0L);
        oom.put("under_oom", c.underOom > 0 ? 1L : 0L);
        if (oomKillLine) {
            oom.put("oom_kill", c.memoryEvent(MemoryEvent.OOM_KILL));
        }
        f.putKeyed("memory.oom_control", oom);
        f.putKeyed("memory.stat", memoryStat(c, stateKeys, memsw));
        return f;
    }

    /** usage, max_usage, limit, soft_limit, failcnt, and the memsw ones when memsw is accounted. */
    public static void counters(CgroupFiles f, MemCgroup c, boolean memsw) {
        f.put("memory.usage_in_bytes", bytes(CgroupFileValues.usagePages(c, false)));
        f.put("memory.max_usage_in_bytes", bytes(c.memory.watermark()));
        f.put("memory.limit_in_bytes", bytes(c.memory.max()));
        f.put("memory.soft_limit_in_bytes", bytes(c.softLimit));
        f.put("memory.failcnt", c.memory.failcnt());
        if (memsw) {
            f.put("memory.memsw.usage_in_bytes", bytes(CgroupFileValues.usagePages(c, true)));
            f.put("memory.memsw.max_usage_in_bytes", bytes(c.memsw.watermark()));
            f.put("memory.memsw.limit_in_bytes", bytes(c.memsw.max()));
            f.put("memory.memsw.failcnt", c.memsw.failcnt());
        }
    }

    /**
     * memcg_stat_show: the local state keys (swap only with memsw accounting), the four v1 events,
     * the LRU lists, hierarchical_memory_limit (and _memsw_limit), then total_ of each summed
     * over what mem_cgroup_iter walks (the memcg alone when it does not use hierarchy).
     */
    public static Map<String, Long> memoryStat(MemCgroup c, List<String> stateKeys, boolean memsw) {
        Map<String, Long> s = new LinkedHashMap<>();
        List<String> keys =
                stateKeys.stream().filter(k -> memsw || !k.equals("swap")).toList();
        for (String k : keys) {
            s.put(k, bytes(c.stat(stat(k))));
        }
        for (String k : EVENTS) {
            s.put(k, c.event(event(k)));
        }
        for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
            s.put(Lru.name(l), bytes(c.lruSize(l)));
        }
        s.put("hierarchical_memory_limit", bytes(CgroupFileValues.hierarchicalLimit(c.memory)));
        if (memsw) {
            s.put("hierarchical_memsw_limit", bytes(CgroupFileValues.hierarchicalLimit(c.memsw)));
        }
        List<MemCgroup> tree = c.hierarchy();
        for (String k : keys) {
            s.put(
                    "total_" + k,
                    bytes(tree.stream().mapToLong(mi -> mi.stat(stat(k))).sum()));
        }
        for (String k : EVENTS) {
            s.put(
                    "total_" + k,
                    tree.stream().mapToLong(mi -> mi.event(event(k))).sum());
        }
        for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
            int lru = l;
            s.put(
                    "total_" + Lru.name(l),
                    bytes(tree.stream().mapToLong(mi -> mi.lruSize(lru)).sum()));
        }
        return s;
    }

    /** The state item behind a v1 memory.stat key. */
    public static MemcgStat stat(String key) {
        return switch (key) {
            case "cache" -> MemcgStat.CACHE;
            case "rss" -> MemcgStat.RSS;
            case "rss_huge" -> MemcgStat.RSS_HUGE;
            case "shmem" -> MemcgStat.SHMEM;
            case "mapped_file" -> MemcgStat.MAPPED_FILE;
            case "dirty" -> MemcgStat.DIRTY;
            case "writeback" -> MemcgStat.WRITEBACK;
            case "swap" -> MemcgStat.SWAP;
            default -> throw new IllegalArgumentException("not a v1 memory.stat state key: " + key);
        };
    }

    private static VmEvent event(String key) {
        return VmEvent.valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
