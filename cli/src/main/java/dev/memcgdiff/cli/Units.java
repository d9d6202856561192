package dev.memcgdiff.cli;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which observables are sizes, and a size in units a person reads beside the exact number:
 * {@code 26665472000 (24.8G)}. Cgroup files print bytes, /proc/meminfo kB; counters (failcnt,
 * events, pgfault, workingset_*) stay plain numbers.
 */
final class Units {
    /** What a value of an observable counts. */
    enum Kind {
        BYTES,
        KB,
        COUNT
    }

    /** Single-value cgroup files that hold bytes, besides every *_in_bytes file. */
    private static final Set<String> BYTE_FILES = Set.of(
            "memory.current",
            "memory.max",
            "memory.high",
            "memory.low",
            "memory.min",
            "memory.peak",
            "memory.swap.current",
            "memory.swap.max",
            "memory.swap.high",
            "memory.swap.peak");

    /** memory.stat keys in bytes: v1's (and their total_ forms) and v2's sizes. */
    private static final Set<String> BYTE_STAT_KEYS = Set.of(
            "cache",
            "rss",
            "rss_huge",
            "shmem",
            "mapped_file",
            "dirty",
            "writeback",
            "swap",
            "inactive_anon",
            "active_anon",
            "inactive_file",
            "active_file",
            "unevictable",
            "hierarchical_memory_limit",
            "hierarchical_memsw_limit",
            "anon",
            "file",
            "kernel",
            "kernel_stack",
            "pagetables",
            "sec_pagetables",
            "percpu",
            "sock",
            "vmalloc",
            "file_mapped",
            "file_dirty",
            "file_writeback",
            "swapcached",
            "anon_thp",
            "file_thp",
            "shmem_thp",
            "slab",
            "slab_reclaimable",
            "slab_unreclaimable",
            "zswap",
            "zswapped");

    /** The largest value a v1 limit file prints (PAGE_COUNTER_MAX pages) and anything above: no limit. */
    static final long UNLIMITED = 1L << 62;

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");

    private Units() {}

    /** The kind of "/cg memory.FILE[:KEY]" or "/proc/meminfo:KEY" or "/proc/vmstat:KEY". */
    static Kind kindOf(String what) {
        if (what.startsWith("/proc/meminfo:")) {
            return what.contains("HugePages_") ? Kind.COUNT : Kind.KB;
        }
        if (what.startsWith("/proc/")) {
            return Kind.COUNT;
        }
        String file = what.substring(what.indexOf(' ') + 1);
        int colon = file.indexOf(':');
        if (colon < 0) {
            return file.endsWith("_in_bytes") || BYTE_FILES.contains(file) ? Kind.BYTES : Kind.COUNT;
        }
        String name = file.substring(0, colon);
        String key = file.substring(colon + 1);
        if (!name.equals("memory.stat")) {
            return Kind.COUNT;
        }
        String base = key.startsWith("total_") ? key.substring("total_".length()) : key;
        return BYTE_STAT_KEYS.contains(base) ? Kind.BYTES : Kind.COUNT;
    }

    /** The value with its size in human units beside it, when it is a size of 1K or more. */
    static String withHuman(String value, Kind kind) {
        if (kind == Kind.COUNT || !NUMBER.matcher(value).matches()) {
            return value;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException tooLarge) {
            return value;
        }
        if (kind == Kind.KB) {
            if (n >= UNLIMITED >> 10) {
                return value + " (unlimited)";
            }
            n *= 1024;
        }
        if (n >= UNLIMITED) {
            return value + " (unlimited)";
        }
        return n < 1024 ? value : value + " (" + human(n) + ")";
    }

    /**
     * Bytes in binary units (K, M, G, T): whole when exact ({@code 32G}), else with one decimal
     * ({@code 24.8G}).
     */
    static String human(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P"};
        int u = 0;
        double v = bytes;
        while (u < units.length - 1 && Math.abs(v) >= 1024) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return Long.toString(bytes);
        }
        long unit = 1L << (10 * u);
        if (bytes % unit == 0) {
            return (bytes / unit) + units[u];
        }
        String text = String.format(Locale.ROOT, "%.1f", v);
        if (text.equals("1024.0") && u < units.length - 1) {
            return "1.0" + units[u + 1];
        }
        return text + units[u];
    }
}
