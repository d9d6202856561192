package dev.memcgdiff.run;

import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** /proc/meminfo (kB, as meminfo_proc_show prints) and /proc/vmstat (pages and event counts). */
final class HostFiles {
    private HostFiles() {}

    static Map<String, Long> meminfo(Machine m) {
        long[] lru = new long[Lru.NR_LRU_LISTS];
        long cache = 0;
        long rss = 0;
        long shmem = 0;
        long swapcache = 0;
        long mapped = 0;
        for (MemCgroup memcg : m.memcgs()) {
            for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
                lru[l] += memcg.lruSize(l);
            }
            cache += memcg.stat(MemcgStat.CACHE);
            rss += memcg.stat(MemcgStat.RSS);
            shmem += memcg.stat(MemcgStat.SHMEM);
            swapcache += memcg.stat(MemcgStat.SWAPCACHE);
            mapped += memcg.stat(MemcgStat.MAPPED_FILE);
        }
        long free = m.freePages();
        long reserve = 0;
        long low = 0;
        for (Node n : m.nodes) {
            reserve += n.wmarkHigh();
            low += n.wmarkLow();
        }
        long pagecache = lru[Lru.ACTIVE_FILE] + lru[Lru.INACTIVE_FILE];
        long available = Math.max(0, free - reserve + pagecache - Math.min(pagecache / 2, low));
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("MemTotal", kb(m.pages.count()));
        out.put("MemFree", kb(free));
        out.put("MemAvailable", kb(available));
        out.put("Cached", kb(cache));
        out.put("SwapCached", kb(swapcache));
        out.put("Active", kb(lru[Lru.ACTIVE_ANON] + lru[Lru.ACTIVE_FILE]));
        out.put("Inactive", kb(lru[Lru.INACTIVE_ANON] + lru[Lru.INACTIVE_FILE]));
        out.put("Active(anon)", kb(lru[Lru.ACTIVE_ANON]));
        out.put("Inactive(anon)", kb(lru[Lru.INACTIVE_ANON]));
        out.put("Active(file)", kb(lru[Lru.ACTIVE_FILE]));
        out.put("Inactive(file)", kb(lru[Lru.INACTIVE_FILE]));
        out.put("Unevictable", kb(lru[Lru.UNEVICTABLE]));
        out.put("SwapTotal", kb(m.swap.slots()));
        out.put("SwapFree", kb(m.swap.free()));
        out.put("Dirty", kb(m.writeback().nrDirty()));
        out.put("Writeback", kb(m.writeback().nrWriteback()));
        out.put("AnonPages", kb(rss - swapcache));
        out.put("Mapped", kb(mapped));
        out.put("Shmem", kb(shmem));
        return out;
    }

    static Map<String, Long> vmstat(Machine m, KernelOps ops) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("nr_free_pages", m.freePages());
        for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
            long sum = 0;
            for (MemCgroup memcg : m.memcgs()) {
                sum += memcg.lruSize(l);
            }
            out.put("nr_" + Lru.name(l), sum);
        }
        for (VmEvent e : VmEvent.values()) {
            String name = ops.traits().vmstatName(e);
            if (name != null) {
                out.merge(name, m.vmEvent(e), Long::sum);
            }
        }
        return out;
    }

    private static long kb(long pages) {
        return pages * 4;
    }
}
