package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;
import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytesOrMax;

import dev.memcgdiff.kernel.CgroupFileOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.CgroupFileValues;
import dev.memcgdiff.mm.memcg.CgroupV1Files;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory controller files of 5.18 (mem_cgroup_legacy_files with memsw_files,
 * memory_files with swap_files): what each file shows, memory.stat in both formats
 * (memcg_stat_show, {@link MemoryStat}), and the writes, which {@link MemcgWrites} handles. Kernel
 * memory (kmem, slab, stacks, page tables, sockets) is not modelled and reads 0.
 */
final class MemcgFiles implements CgroupFileOps {
    /** memcg1_stats / memcg1_stat_names (5.18, CONFIG_TRANSPARENT_HUGEPAGE). */
    private static final List<String> V1_STATS =
            List.of("cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty", "writeback", "swap");
    /** The memory.events and memory.events.local lines (__memory_events_show). */
    private static final List<MemoryEvent> EVENTS = List.of(
            MemoryEvent.LOW,
            MemoryEvent.HIGH,
            MemoryEvent.MAX,
            MemoryEvent.OOM,
            MemoryEvent.OOM_KILL,
            MemoryEvent.OOM_GROUP_KILL);

    private final Machine m;
    private final Swappiness swappiness;
    private final MemcgWrites writes;

    MemcgFiles(Machine m, Swappiness swappiness, MemcgWrites writes) {
        this.m = m;
        this.swappiness = swappiness;
        this.writes = writes;
    }

    /** A write to a file: the cftype's write handler ({@link MemcgWrites}). */
    @Override
    public KnobWrite write(MemCgroup memcg, Knob knob) {
        return writes.write(memcg, knob);
    }

    /** Every file of the memcg under the scenario's interface (the seq_show / read_u64 handlers). */
    @Override
    public CgroupFiles read(MemCgroup memcg) {
        return m.cgroupInterface == CgroupInterface.V1 ? v1(memcg) : v2(memcg);
    }

    /** The v1 files; mem_cgroup_hierarchy_read always says 1 (v1 is always hierarchical from 5.11). */
    private CgroupFiles v1(MemCgroup c) {
        return CgroupV1Files.files(c, m.memswCharged(), 1, swappiness.of(c), true, V1_STATS);
    }

    /** The v2 files; the root has only memory.stat (every other file is CFTYPE_NOT_ON_ROOT). */
    private CgroupFiles v2(MemCgroup c) {
        CgroupFiles f = new CgroupFiles();
        if (c.isRoot()) {
            f.putKeyed("memory.stat", MemoryStat.memoryStatFormat(c));
            return f;
        }
        CgroupFileValues.memoryCurrentAndLimits(f, c);
        f.putKeyed("memory.events", CgroupFileValues.memoryEvents(c, EVENTS, false));
        f.putKeyed("memory.events.local", CgroupFileValues.memoryEvents(c, EVENTS, true));
        f.putKeyed("memory.stat", MemoryStat.memoryStatFormat(c));
        f.put("memory.oom.group", c.oomGroup ? 1 : 0);
        f.put("memory.swap.current", bytes(c.swap.usage()));
        f.putWordOrBytes("memory.swap.high", bytesOrMax(c.swapHigh));
        f.putWordOrBytes("memory.swap.max", bytesOrMax(c.swap.max()));
        Map<String, Long> swapEvents = new LinkedHashMap<>();
        swapEvents.put("high", c.memoryEvent(MemoryEvent.SWAP_HIGH));
        swapEvents.put("max", c.memoryEvent(MemoryEvent.SWAP_MAX));
        swapEvents.put("fail", c.memoryEvent(MemoryEvent.SWAP_FAIL));
        f.putKeyed("memory.swap.events", swapEvents);
        return f;
    }

    /** The /proc/vmstat names 5.18 prints for the model's events (workingset counters split by type). */
    static String vmstatName(VmEvent e) {
        return switch (e) {
            case PSWPIN,
                    PSWPOUT,
                    PGFAULT,
                    PGMAJFAULT,
                    PGACTIVATE,
                    PGDEACTIVATE,
                    PGLAZYFREE,
                    PGLAZYFREED,
                    PGREFILL,
                    PGSCAN_KSWAPD,
                    PGSCAN_DIRECT,
                    PGSTEAL_KSWAPD,
                    PGSTEAL_DIRECT,
                    PGSCAN_ANON,
                    PGSCAN_FILE,
                    PGSTEAL_ANON,
                    PGSTEAL_FILE,
                    PGROTATED,
                    PAGEOUTRUN,
                    WORKINGSET_REFAULT_ANON,
                    WORKINGSET_REFAULT_FILE,
                    WORKINGSET_ACTIVATE_ANON,
                    WORKINGSET_ACTIVATE_FILE,
                    WORKINGSET_RESTORE_ANON,
                    WORKINGSET_RESTORE_FILE,
                    WORKINGSET_NODERECLAIM,
                    THP_FAULT_ALLOC,
                    THP_FAULT_FALLBACK,
                    THP_FAULT_FALLBACK_CHARGE,
                    THP_COLLAPSE_ALLOC,
                    OOM_KILL -> e.key();
            // __count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx): a user page's gfp_zone is ZONE_MOVABLE
            case ALLOCSTALL -> "allocstall_movable";
            default -> null;
        };
    }
}
