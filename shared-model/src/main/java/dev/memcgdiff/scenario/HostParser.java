package dev.memcgdiff.scenario;

import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code host:} map: the machine every kernel simulates. */
final class HostParser {
    static final List<String> KEYS = List.of(
            "memory",
            "swap",
            "nodes",
            "min_free_kbytes",
            "thp",
            "swappiness",
            "cpus",
            "disk",
            "swap_disk",
            "dirty_ratio",
            "dirty_background_ratio",
            "dirty_bytes",
            "dirty_background_bytes",
            "dirty_expire_centisecs",
            "dirty_writeback_centisecs",
            "fs",
            "psi");
    static final List<String> DISK_KEYS = List.of("read", "write", "latency");

    static final long MIN_MEMORY = 16L << 20;
    static final long MAX_MEMORY = 1L << 40;
    static final int DEFAULT_SWAPPINESS = 60;
    static final int MAX_CPUS = 1024;
    /** Disk throughput: at least a byte per second, at most 1 TiB per second. */
    static final long MAX_DISK_BPS = 1L << 40;

    static final long MAX_LATENCY_NS = 10 * Durations.NANOS_PER_S;
    /** vm.dirty_bytes below two pages is refused by the kernel (dirty_bytes_min); 0 leaves it unset. */
    static final long MIN_DIRTY_BYTES = 2 * Sizes.PAGE_SIZE;

    static final long MAX_DIRTY_BYTES = MAX_MEMORY;

    private HostParser() {}

    static HostSpec parse(Source source, YamlMap.Entry host, SwappinessRange swappinessRange) throws ScenarioException {
        YamlMap map = YamlMap.of(source, host.value(), "host", KEYS, "a map with keys " + String.join(", ", KEYS));
        Node memoryNode = map.require(
                "memory",
                "memory: RAM size, " + SizeParser.format(MIN_MEMORY) + " to " + SizeParser.format(MAX_MEMORY));
        // Sizes round up to whole pages; the range applies to what the model will simulate.
        long memory = pageAligned(SizeParser.bytes(source, memoryNode, "host memory", MIN_MEMORY, MAX_MEMORY));
        long swap = map.has("swap")
                ? pageAligned(SizeParser.bytes(source, map.get("swap"), "host swap", 0, MAX_MEMORY))
                : 0;
        int nodes = map.has("nodes") ? (int) Scalars.integer(source, map.get("nodes"), "host nodes", 1, 8) : 1;
        long pages = memory / Sizes.PAGE_SIZE;
        if (pages % nodes != 0) {
            throw source.error(
                    memoryNode,
                    "host memory is " + pages + " pages, which do not split evenly over " + nodes + " nodes",
                    "a multiple of " + nodes + " pages (" + nodes * Sizes.PAGE_SIZE + " bytes)");
        }
        long minFree = map.has("min_free_kbytes")
                ? Scalars.integer(source, map.get("min_free_kbytes"), "host min_free_kbytes", 128, 4194304)
                : -1;
        ThpMode thp = map.has("thp")
                ? ThpMode.valueOf(
                        Scalars.oneOf(source, map.get("thp"), "host thp", List.of("always", "madvise", "never"))
                                .toUpperCase(Locale.ROOT))
                : ThpMode.NEVER;
        int swappiness = map.has("swappiness")
                ? (int) swappinessRange.parse(source, map.get("swappiness"), "host swappiness")
                : DEFAULT_SWAPPINESS;
        int cpus = map.has("cpus")
                ? (int) Scalars.integer(source, map.get("cpus"), "host cpus", 1, MAX_CPUS)
                : HostSpec.DEFAULT_CPUS;
        HostSpec.Disk disk = map.has("disk") ? disk(source, map.get("disk"), "host disk") : HostSpec.Disk.DEFAULT;
        HostSpec.Disk swapDisk = map.has("swap_disk") ? disk(source, map.get("swap_disk"), "host swap_disk") : null;
        HostSpec.DirtySysctls dirty = dirty(source, map);
        HostSpec.Fs fs = map.has("fs")
                ? HostSpec.Fs.valueOf(Scalars.oneOf(source, map.get("fs"), "host fs", List.of("ext4", "xfs"))
                        .toUpperCase(Locale.ROOT))
                : HostSpec.Fs.EXT4;
        HostSpec.Psi psi = map.has("psi") ? psi(source, map.get("psi")) : HostSpec.Psi.UNSET;
        return new HostSpec(
                memory,
                swap,
                nodes,
                minFree,
                swappiness,
                thp,
                cpus,
                disk,
                swapDisk,
                dirty,
                fs,
                psi,
                source.at(host.keyNode()));
    }

    /** {@code {read: SIZE, write: SIZE, latency: DURATION}}, each key optional with the default disk's value. */
    private static HostSpec.Disk disk(Source source, Node node, String what) throws ScenarioException {
        YamlMap map = YamlMap.of(
                source,
                node,
                what,
                DISK_KEYS,
                "a map with keys read, write (bytes per second: " + SizeParser.SYNTAX + ") and latency ("
                        + Durations.SYNTAX + "), each optional");
        long read = map.has("read") ? bps(source, map.get("read"), what + " read") : HostSpec.Disk.DEFAULT_READ_BPS;
        long write =
                map.has("write") ? bps(source, map.get("write"), what + " write") : HostSpec.Disk.DEFAULT_WRITE_BPS;
        long latency = map.has("latency")
                ? Durations.nanos(source, map.get("latency"), what + " latency", 0, MAX_LATENCY_NS)
                : HostSpec.Disk.DEFAULT_LATENCY_NS;
        return new HostSpec.Disk(read, write, latency);
    }

    /** Bytes per second, as a size; 0 is refused: a disk that moves nothing would stall every I/O forever. */
    private static long bps(Source source, Node node, String what) throws ScenarioException {
        return rate(source, node, what, MAX_DISK_BPS, "a disk moves at least 1 byte per second");
    }

    /**
     * A rate in bytes per second, written as a size: 1..max. zeroProblem says why 0 is refused.
     * Shared with {@code rate} of a step inside {@code together}.
     */
    static long rate(Source source, Node node, String what, long max, String zeroProblem) throws ScenarioException {
        String allowed = "bytes per second: " + SizeParser.SYNTAX + ", from 1 to " + SizeParser.format(max);
        String text = Scalars.text(source, node, what, allowed);
        SizeParser.Parsed parsed = SizeParser.parse(text);
        if (!parsed.ok()) {
            throw source.error(node, what + ": " + parsed.problem(), allowed);
        }
        if (parsed.bytes() == 0) {
            throw source.error(node, what + " " + text + " is out of range: " + zeroProblem, allowed);
        }
        if (parsed.bytes() > max) {
            throw source.error(node, what + " " + text + " is out of range", allowed);
        }
        return parsed.bytes();
    }

    private static HostSpec.DirtySysctls dirty(Source source, YamlMap map) throws ScenarioException {
        HostSpec.DirtySysctls d = HostSpec.DirtySysctls.DEFAULT;
        int ratio = map.has("dirty_ratio")
                ? (int) Scalars.integer(source, map.get("dirty_ratio"), "host dirty_ratio", 0, 100)
                : d.ratio();
        int backgroundRatio = map.has("dirty_background_ratio")
                ? (int) Scalars.integer(
                        source, map.get("dirty_background_ratio"), "host dirty_background_ratio", 0, 100)
                : d.backgroundRatio();
        long bytes = map.has("dirty_bytes")
                ? dirtyBytes(source, map.get("dirty_bytes"), "host dirty_bytes", MIN_DIRTY_BYTES)
                : 0;
        long backgroundBytes = map.has("dirty_background_bytes")
                ? dirtyBytes(source, map.get("dirty_background_bytes"), "host dirty_background_bytes", 1)
                : 0;
        int expire = map.has("dirty_expire_centisecs")
                ? centisecs(source, map.get("dirty_expire_centisecs"), "host dirty_expire_centisecs")
                : d.expireCentisecs();
        int writeback = map.has("dirty_writeback_centisecs")
                ? centisecs(source, map.get("dirty_writeback_centisecs"), "host dirty_writeback_centisecs")
                : d.writebackCentisecs();
        return new HostSpec.DirtySysctls(ratio, backgroundRatio, bytes, backgroundBytes, expire, writeback);
    }

    /** A sysctl in centiseconds, 0..2^31-1 as the kernel takes it; a duration gets a hint, not a guess. */
    private static int centisecs(Source source, Node node, String what) throws ScenarioException {
        String allowed = "a whole number 0.." + Integer.MAX_VALUE + " of centiseconds (1/100 s: 500 is 5s)";
        String text = Scalars.text(source, node, what, allowed);
        Durations.Parsed duration = Durations.parse(text);
        if (duration.ok()) {
            long centi = 10 * Durations.NANOS_PER_MS;
            throw source.error(
                    node,
                    what + " is a number of centiseconds, not a duration"
                            + (duration.nanos() % centi == 0
                                    ? ": write " + duration.nanos() / centi + " for " + text
                                    : ""),
                    allowed);
        }
        return (int) Scalars.integer(source, node, what, 0, Integer.MAX_VALUE);
    }

    /**
     * vm.dirty_bytes or vm.dirty_background_bytes: 0 (unset: the ratio is used) or at least what
     * the kernel's sysctl accepts (minNonZero), as exact bytes.
     */
    private static long dirtyBytes(Source source, Node node, String what, long minNonZero) throws ScenarioException {
        String allowed = "0 (unset: the ratio is used), or a size from " + SizeParser.format(minNonZero) + " to "
                + SizeParser.format(MAX_DIRTY_BYTES) + " (" + SizeParser.SYNTAX + ")";
        String text = Scalars.text(source, node, what, allowed);
        SizeParser.Parsed parsed = SizeParser.parse(text);
        if (!parsed.ok()) {
            throw source.error(node, what + ": " + parsed.problem(), allowed);
        }
        long bytes = parsed.bytes();
        if (bytes != 0 && bytes < minNonZero) {
            throw source.error(
                    node,
                    what + " " + text + " is below " + SizeParser.format(minNonZero)
                            + ", which the kernel refuses (EINVAL)",
                    allowed);
        }
        if (bytes > MAX_DIRTY_BYTES) {
            throw source.error(node, what + " " + text + " is out of range", allowed);
        }
        return bytes;
    }

    private static HostSpec.Psi psi(Source source, Node node) throws ScenarioException {
        return switch (Scalars.oneOf(source, node, "host psi", List.of("true", "false", "default"))) {
            case "true" -> HostSpec.Psi.ON;
            case "false" -> HostSpec.Psi.OFF;
            default -> HostSpec.Psi.DEFAULT;
        };
    }

    private static long pageAligned(long bytes) {
        return Sizes.bytes(Sizes.pages(bytes));
    }
}
