package dev.memcgdiff.linux310;

import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.testing.ScenarioGenerator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random scenarios on two flat memcgs (use_hierarchy=0, so each counter holds its own
 * pages only), checked against what the 3.10 accounting guarantees after every snapshot.
 */
class InvariantsTest {

    /** A scenario from the seed: a few tasks (each uid 0 or 1000) in /a and /b doing random steps on a roomy host. */
    static String scenario(long seed) {
        return ScenarioGenerator.twoFlatMemcgs(CgroupInterface.V1)
                .withTaskUids()
                .generate(seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597})
    void accountingInvariants(long seed) {
        String yaml = scenario(seed);
        Outcome o = Model.run(yaml);
        for (Map.Entry<String, Snapshot> snap : o.snapshots().entrySet()) {
            for (String cg : new String[] {"/a", "/b"}) {
                String where = "seed " + seed + " " + cg + " @" + snap.getKey() + "\n" + yaml;
                Map<String, Object> f = snap.getValue().cgroups().get(cg).files();
                long usage = (Long) f.get("memory.usage_in_bytes");
                long limit = (Long) f.get("memory.limit_in_bytes");
                long memsw = (Long) f.get("memory.memsw.usage_in_bytes");
                Map<String, Long> stat = stat(snap.getValue().cgroups().get(cg));
                long charged = stat.get("cache") + stat.get("rss");
                long lru = stat.get("inactive_anon")
                        + stat.get("active_anon")
                        + stat.get("inactive_file")
                        + stat.get("active_file")
                        + stat.get("unevictable");
                // page_counter_try_charge never lets usage pass the limit.
                assertThat(usage).as("usage <= limit, " + where).isLessThanOrEqualTo(limit);
                // Usage is the committed pages plus at most one per-CPU stock (< CHARGE_BATCH pages).
                assertThat(usage - charged).as("stock, " + where).isBetween(0L, 31 * PAGE);
                // A swapped-out page gives back memory but keeps its memsw charge until the entry goes.
                assertThat(memsw).as("memsw = memory + swap, " + where).isEqualTo(usage + stat.get("swap"));
                // Every committed page sits on one of its memcg's LRU lists.
                assertThat(lru).as("LRU pages = cache + rss, " + where).isEqualTo(charged);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 7, 42})
    void sameInputSameBytes(long seed) {
        String yaml = scenario(seed);
        String first = GoldenText.render(Model.run(yaml));
        String second = GoldenText.render(Model.run(yaml));
        assertThat(second).as("seed " + seed).isEqualTo(first);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> stat(CgroupFiles files) {
        return (Map<String, Long>) files.files().get("memory.stat");
    }
}
