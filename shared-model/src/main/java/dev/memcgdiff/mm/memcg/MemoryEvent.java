package dev.memcgdiff.mm.memcg;

import java.util.Locale;

/** enum memcg_memory_event: the lines of memory.events and memory.swap.events. */
public enum MemoryEvent {
    LOW,
    HIGH,
    MAX,
    OOM,
    OOM_KILL,
    OOM_GROUP_KILL,
    SWAP_HIGH,
    SWAP_MAX,
    SWAP_FAIL;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
