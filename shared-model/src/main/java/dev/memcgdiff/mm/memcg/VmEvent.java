package dev.memcgdiff.mm.memcg;

import java.util.Locale;

/**
 * enum vm_event_item and the memcg event counters (include/linux/vm_event_item.h, mmzone.h
 * workingset items), counted per memcg and host-wide (/proc/vmstat).
 */
public enum VmEvent {
    PGPGIN,
    PGPGOUT,
    PGFAULT,
    PGMAJFAULT,
    PSWPIN,
    PSWPOUT,
    PGSCAN_KSWAPD,
    PGSCAN_DIRECT,
    PGSTEAL_KSWAPD,
    PGSTEAL_DIRECT,
    /** 5.18's per-type scan and steal counts (every reclaim, memcg limit reclaim included). */
    PGSCAN_ANON,
    PGSCAN_FILE,
    PGSTEAL_ANON,
    PGSTEAL_FILE,
    PGREFILL,
    PGACTIVATE,
    PGDEACTIVATE,
    PGLAZYFREE,
    PGLAZYFREED,
    PGROTATED,
    ALLOCSTALL,
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
    OOM_KILL;

    /** The /proc/vmstat and memory.stat spelling. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
