package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.CgroupFileOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.CgroupV1Files;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.Knob;
import java.util.List;

/**
 * The v1 memory controller files of 3.10.0-1160 (mem_cgroup_files, memcg_stat_show,
 * mem_cgroup_oom_control_read), their write handlers ({@link MemcgWrites}), and the /proc/vmstat
 * names of its vmstat_text.
 */
final class MemcgFiles implements CgroupFileOps {
    /** mem_cgroup_stat_names: no shmem, dirty or writeback in 3.10; swap only with swap accounting. */
    static final List<String> STATS = List.of("cache", "rss", "rss_huge", "mapped_file", "swap");

    private final Machine m;
    private final Swappiness swappiness;
    private final MemcgWrites writes;

    MemcgFiles(Machine m, Swappiness swappiness, MemcgWrites writes) {
        this.m = m;
        this.swappiness = swappiness;
        this.writes = writes;
    }

    @Override
    public KnobWrite write(MemCgroup memcg, Knob knob) {
        return writes.write(memcg, knob);
    }

    @Override
    public CgroupFiles read(MemCgroup c) {
        // mem_cgroup_oom_control_read (3.10.0-1160): no oom_kill line yet (4.13)
        return CgroupV1Files.files(c, m.memswCharged(), c.useHierarchy ? 1 : 0, swappiness.of(c), false, STATS);
    }

    /**
     * The vmstat_text names 3.10.0-1160 prints for the model's events: pgrefill, pgsteal and
     * pgscan are per zone (the model's zone is Normal); there is no oom_kill line, and the
     * workingset counters are zone items.
     */
    static String vmstatName(VmEvent e) {
        return switch (e) {
            case PSWPIN,
                    PSWPOUT,
                    PGACTIVATE,
                    PGDEACTIVATE,
                    PGFAULT,
                    PGMAJFAULT,
                    PGLAZYFREED,
                    PAGEOUTRUN,
                    ALLOCSTALL,
                    PGROTATED,
                    WORKINGSET_NODERECLAIM,
                    THP_FAULT_ALLOC,
                    THP_FAULT_FALLBACK,
                    THP_COLLAPSE_ALLOC -> e.key();
            case PGREFILL, PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSCAN_KSWAPD, PGSCAN_DIRECT -> e.key() + "_normal";
            case WORKINGSET_REFAULT_FILE -> "workingset_refault";
            case WORKINGSET_ACTIVATE_FILE -> "workingset_activate";
            default -> null;
        };
    }
}
