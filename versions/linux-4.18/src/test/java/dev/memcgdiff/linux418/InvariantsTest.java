package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.testing.ScenarioGenerator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random scenarios on two flat memcgs, checked after every step against what the 4.18
 * accounting guarantees (page_counter, commit_charge, the per-CPU stock, the memsw/swap
 * counters). A failure names its seed and prints the scenario.
 */
class InvariantsTest {

    /** A scenario from the seed: three tasks in /a and /b doing random steps on a roomy host. */
    static String scenario(long seed, boolean v2) {
        return ScenarioGenerator.twoFlatMemcgs(v2 ? CgroupInterface.V2 : CgroupInterface.V1)
                .withMmap()
                .generate(seed);
    }

    @ParameterizedTest(name = "v1 seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233})
    void v1Accounting(long seed) {
        String yaml = scenario(seed, false);
        Outcome o = Model.run(yaml);
        for (Map.Entry<String, Snapshot> snap : o.snapshots().entrySet()) {
            for (String cg : new String[] {"/a", "/b"}) {
                String where = "seed " + seed + " " + cg + " @" + snap.getKey() + "\n" + yaml;
                Map<String, Object> f = snap.getValue().cgroups().get(cg).files();
                long usage = (Long) f.get("memory.usage_in_bytes");
                long limit = (Long) f.get("memory.limit_in_bytes");
                long memsw = (Long) f.get("memory.memsw.usage_in_bytes");
                long memswLimit = (Long) f.get("memory.memsw.limit_in_bytes");
                Map<String, Long> stat = keyed(f, "memory.stat");
                long charged = stat.get("cache") + stat.get("rss");
                long lru = stat.get("inactive_anon")
                        + stat.get("active_anon")
                        + stat.get("inactive_file")
                        + stat.get("active_file")
                        + stat.get("unevictable");
                if (!forced(o, cg)) {
                    assertThat(usage).as("usage <= limit, " + where).isLessThanOrEqualTo(limit);
                    assertThat(memsw).as("memsw <= limit, " + where).isLessThanOrEqualTo(memswLimit);
                }
                assertThat(usage - charged)
                        .as("stock (< MEMCG_CHARGE_BATCH), " + where)
                        .isBetween(0L, 31 * PAGE);
                // mem_cgroup_swapout moves the memory charge to the swap entry; memsw keeps it.
                assertThat(memsw).as("memsw = memory + swap, " + where).isEqualTo(usage + stat.get("swap"));
                assertThat(lru).as("LRU pages = cache + rss, " + where).isEqualTo(charged);
                assertThat(stat.get("shmem")).as("shmem within cache, " + where).isLessThanOrEqualTo(stat.get("cache"));
            }
        }
    }

    @ParameterizedTest(name = "v2 seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233})
    void v2Accounting(long seed) {
        String yaml = scenario(seed, true);
        Outcome o = Model.run(yaml);
        long swapped = 0;
        for (Map.Entry<String, Snapshot> snap : o.snapshots().entrySet()) {
            for (String cg : new String[] {"/a", "/b"}) {
                String where = "seed " + seed + " " + cg + " @" + snap.getKey() + "\n" + yaml;
                Map<String, Object> f = snap.getValue().cgroups().get(cg).files();
                long usage = (Long) f.get("memory.current");
                Object max = f.get("memory.max");
                long swap = (Long) f.get("memory.swap.current");
                Object swapMax = f.get("memory.swap.max");
                Map<String, Long> stat = keyed(f, "memory.stat");
                long charged = stat.get("anon") + stat.get("file");
                long lru = stat.get("inactive_anon")
                        + stat.get("active_anon")
                        + stat.get("inactive_file")
                        + stat.get("active_file")
                        + stat.get("unevictable");
                if (!forced(o, cg)) {
                    assertThat(usage).as("current <= max, " + where).isLessThanOrEqualTo((Long) max);
                }
                if (swapMax instanceof Long sm) {
                    assertThat(swap).as("swap.current <= swap.max, " + where).isLessThanOrEqualTo(sm);
                }
                assertThat(usage - charged)
                        .as("stock (< MEMCG_CHARGE_BATCH), " + where)
                        .isBetween(0L, 31 * PAGE);
                assertThat(lru).as("LRU pages = anon + file, " + where).isEqualTo(charged);
                swapped += swap;
            }
            long swapUsedKb = snap.getValue().meminfo().get("SwapTotal")
                    - snap.getValue().meminfo().get("SwapFree");
            assertThat(swapped)
                    .as("every used swap slot is charged to /a or /b (seed " + seed + ")\n" + yaml)
                    .isLessThanOrEqualTo(swapUsedKb * 1024);
            swapped = 0;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 7, 42})
    void sameInputSameBytes(long seed) {
        for (boolean v2 : new boolean[] {false, true}) {
            String yaml = scenario(seed, v2);
            assertThat(GoldenText.render(Model.run(yaml)))
                    .as("seed " + seed)
                    .isEqualTo(GoldenText.render(Model.run(yaml)));
        }
    }

    /**
     * Whether try_charge forced a charge past the limit in this memcg (an OOM victim's charge, or
     * OOM_FAILED). A forced tmpfs or page cache page outlives its victim, so usage may stay over.
     */
    private static boolean forced(Outcome o, String cg) {
        return o.events(TracePoints.FORCE_CHARGE).stream().anyMatch(e -> cg.equals(e.memcg()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> keyed(Map<String, Object> files, String name) {
        return (Map<String, Long>) files.get(name);
    }
}
