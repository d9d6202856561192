package dev.memcgdiff.scenario;

import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code host:} map: the machine every kernel simulates. */
final class HostParser {
    static final List<String> KEYS = List.of("memory", "swap", "nodes", "min_free_kbytes", "thp", "swappiness");

    static final long MIN_MEMORY = 16L << 20;
    static final long MAX_MEMORY = 1L << 40;
    static final int DEFAULT_SWAPPINESS = 60;

    private HostParser() {
    }

    static HostSpec parse(Source source, YamlMap.Entry host, SwappinessRange swappinessRange) throws ScenarioException {
        YamlMap map = YamlMap.of(source, host.value(), "host", KEYS, "a map with keys " + String.join(", ", KEYS));
        Node memoryNode = map.require("memory", "memory: RAM size, " + SizeParser.format(MIN_MEMORY) + " to "
                + SizeParser.format(MAX_MEMORY));
        // Sizes round up to whole pages; the range applies to what the model will simulate.
        long memory = pageAligned(SizeParser.bytes(source, memoryNode, "host memory", MIN_MEMORY, MAX_MEMORY));
        long swap = map.has("swap")
                ? pageAligned(SizeParser.bytes(source, map.get("swap"), "host swap", 0, MAX_MEMORY)) : 0;
        int nodes = map.has("nodes") ? (int) Scalars.integer(source, map.get("nodes"), "host nodes", 1, 8) : 1;
        long pages = memory / Sizes.PAGE_SIZE;
        if (pages % nodes != 0) {
            throw source.error(memoryNode, "host memory is " + pages + " pages, which do not split evenly over "
                    + nodes + " nodes", "a multiple of " + nodes + " pages (" + nodes * Sizes.PAGE_SIZE + " bytes)");
        }
        long minFree = map.has("min_free_kbytes")
                ? Scalars.integer(source, map.get("min_free_kbytes"), "host min_free_kbytes", 128, 4194304) : -1;
        ThpMode thp = map.has("thp")
                ? ThpMode.valueOf(Scalars.oneOf(source, map.get("thp"), "host thp", List.of("always", "madvise", "never"))
                        .toUpperCase(Locale.ROOT))
                : ThpMode.NEVER;
        int swappiness = map.has("swappiness")
                ? (int) swappinessRange.parse(source, map.get("swappiness"), "host swappiness") : DEFAULT_SWAPPINESS;
        return new HostSpec(memory, swap, nodes, minFree, swappiness, thp, source.at(host.keyNode()));
    }

    private static long pageAligned(long bytes) {
        return Sizes.bytes(Sizes.pages(bytes));
    }
}
