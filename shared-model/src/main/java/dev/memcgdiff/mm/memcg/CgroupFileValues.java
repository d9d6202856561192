package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.outcome.CgroupFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The values cgroup files print, computed the same way by every modelled kernel; which files and
 * which memory.stat keys appear, and in what order, is each kernel's choice.
 */
public final class CgroupFileValues {
    public static final long PAGE = 4096;
    /** "unlimited" as the v1 files print it: PAGE_COUNTER_MAX * PAGE_SIZE. */
    public static final long UNLIMITED_BYTES = PageCounter.MAX * PAGE;

    private CgroupFileValues() {}

    public static long bytes(long pages) {
        return pages * PAGE;
    }

    /**
     * mem_cgroup_usage: a non-root memcg reads its counter; root, which is never charged itself,
     * sums cache + rss (+ swap for memsw) over the whole tree.
     */
    public static long usagePages(MemCgroup memcg, boolean memsw) {
        if (!memcg.isRoot()) {
            return memsw ? memcg.memsw.usage() : memcg.memory.usage();
        }
        long v = memcg.treeStat(MemcgStat.CACHE) + memcg.treeStat(MemcgStat.RSS);
        if (memsw) {
            v += memcg.treeStat(MemcgStat.SWAP);
        }
        return v;
    }

    /** hierarchical_memory_limit / hierarchical_memsw_limit: the smallest max up the linked chain. */
    public static long hierarchicalLimit(PageCounter counter) {
        long min = PageCounter.MAX;
        for (PageCounter c = counter; c != null; c = c.parent()) {
            min = Math.min(min, c.max());
        }
        return min;
    }

    /**
     * The first files of memory_files (4.18, 5.18) on a non-root memcg: memory.current, then
     * memory.min, memory.low, memory.high and memory.max in bytes or "max".
     */
    public static void memoryCurrentAndLimits(CgroupFiles f, MemCgroup c) {
        f.put("memory.current", bytes(c.memory.usage()));
        f.putWordOrBytes("memory.min", bytesOrMax(c.memory.min()));
        f.putWordOrBytes("memory.low", bytesOrMax(c.memory.low()));
        f.putWordOrBytes("memory.high", bytesOrMax(c.memory.high()));
        f.putWordOrBytes("memory.max", bytesOrMax(c.memory.max()));
    }

    /**
     * __memory_events_show (memory.events, 4.18 and 5.18; memory.events.local, 5.18): the
     * kernel's events in its order, the hierarchical counts or the local ones.
     */
    public static Map<String, Long> memoryEvents(MemCgroup c, List<MemoryEvent> events, boolean local) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (MemoryEvent e : events) {
            out.put(e.key(), local ? c.memoryEventLocal(e) : c.memoryEvent(e));
        }
        return out;
    }

    /** A v2 file that prints a page count in bytes or the word max. */
    public static Object bytesOrMax(long pages) {
        return pages >= PageCounter.MAX ? "max" : bytes(pages);
    }

    /**
     * A keyed file built from names and values, e.g. a v1 memory.stat: {@code local} values
     * first, then {@code total_} values over the subtree, as memcg_stat_show prints them.
     */
    public static Map<String, Long> keyed(List<String> names, ToLongFunction<String> value) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, value.applyAsLong(n));
        }
        return out;
    }

    /** The LRU list sizes in bytes, local or over the subtree, by memory.stat name. */
    public static long lruBytes(MemCgroup memcg, String name, boolean tree) {
        for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
            if (Lru.name(l).equals(name)) {
                return bytes(tree ? memcg.treeLruSize(l) : memcg.lruSize(l));
            }
        }
        throw new IllegalArgumentException("not an LRU list: " + name);
    }
}
