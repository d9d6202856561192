package dev.memcgdiff.cli;

import dev.memcgdiff.reports.Comparison.Row;
import java.util.Set;

/**
 * The rows of a comparison the text table shows by default: every step and OOM kill, and of each
 * snapshot the files an OOM or swap investigation reads first (usage, limits, failcnt, memsw/swap
 * usage, the charge split and LRU lists of memory.stat, memory.events, oom_kill, and the host's
 * free memory, cache, shmem and free swap). {@code --all} shows every row.
 */
final class KeyObservables {
    private static final String SNAPSHOT = "snapshot ";

    /** Single-value files, v1 (memory.*_in_bytes, failcnt) and v2 (memory.current, max, high, swap). */
    private static final Set<String> FILES = Set.of(
            "memory.usage_in_bytes",
            "memory.limit_in_bytes",
            "memory.failcnt",
            "memory.memsw.usage_in_bytes",
            "memory.memsw.limit_in_bytes",
            "memory.memsw.failcnt",
            "memory.current",
            "memory.max",
            "memory.high",
            "memory.swap.current",
            "memory.swap.max");

    /** memory.stat keys: the v1 charge split (cache/rss/shmem/swap), its v2 names, the LRU lists. */
    private static final Set<String> STAT_KEYS = Set.of(
            "cache",
            "rss",
            "shmem",
            "swap",
            "anon",
            "file",
            "inactive_anon",
            "active_anon",
            "inactive_file",
            "active_file",
            "unevictable");

    private static final Set<String> MEMINFO_KEYS = Set.of("MemFree", "Cached", "Shmem", "SwapFree");

    private KeyObservables() {}

    static boolean shown(Row row) {
        if (!row.section().startsWith(SNAPSHOT)) {
            return true;
        }
        String what = withinSnapshot(row);
        if (what.startsWith("/proc/meminfo:")) {
            return MEMINFO_KEYS.contains(what.substring("/proc/meminfo:".length()));
        }
        if (what.startsWith("/proc/")) {
            return false;
        }
        // "CGROUP FILE[:KEY]": cgroup paths and file names never contain a space.
        String file = what.substring(what.indexOf(' ') + 1);
        int colon = file.indexOf(':');
        if (colon < 0) {
            return FILES.contains(file);
        }
        String name = file.substring(0, colon);
        String key = file.substring(colon + 1);
        return switch (name) {
            case "memory.stat" -> STAT_KEYS.contains(key);
            case "memory.events" -> true;
            case "memory.oom_control" -> key.equals("oom_kill");
            default -> false;
        };
    }

    /** A snapshot row's observable without its leading label: "/a memory.stat:cache", "/proc/meminfo:MemFree". */
    static String withinSnapshot(Row row) {
        String label = row.section().substring(SNAPSHOT.length());
        return row.observable().substring(label.length() + 1);
    }
}
