package dev.memcgdiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.toy.ToyMachine.ToyFiles;
import dev.memcgdiff.mm.toy.ToyMachine.ToyLru;
import dev.memcgdiff.mm.toy.ToyMachine.ToyMemcontrol;
import dev.memcgdiff.mm.toy.ToyMachine.ToyOomKill;
import dev.memcgdiff.mm.toy.ToyMachine.ToyVmscan;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * balance_dirty_pages with and without the memcg's own domain (mm/page-writeback.c:
 * balance_dirty_pages, mdtc from mem_cgroup_wb_stats), on the toy kernel of {@link ToyKernelTest}.
 * A v2 container of 1G on a 16G host writes 512M: the global domain's freerun point is ~10% + 5%
 * of ~16G, far above 512M, so without cgroup writeback the writer never sleeps; the memcg's own
 * domain (its file pages plus its 1G headroom: ~1G dirtyable, thresholds 20% and 10%, freerun at
 * ~15%, ~150M) throttles it once its dirty pages pass ~150M.
 */
class CgroupWritebackTest {
    private static Kernel toy(KernelTraits traits) {
        return new Kernel() {
            @Override
            public String version() {
                return "6.1";
            }

            @Override
            public String release() {
                return "6.1.0-toy";
            }

            @Override
            public KernelTraits traits() {
                return traits;
            }

            @Override
            public KernelOps boot(Machine m) {
                return new KernelOps(
                        traits, new ToyMemcontrol(m), new ToyLru(m), new ToyVmscan(), new ToyOomKill(), new ToyFiles());
            }
        };
    }

    private static KernelTraits withCgroupWriteback(boolean on) {
        KernelTraits t = ToyKernelTest.TRAITS;
        return new KernelTraits(
                t.protectedUsagePropagation(),
                t.minFreeKbytesMax(),
                t.watermarkFormula(),
                t.hugePageChargeGfp(),
                t.swapinChargeGfp(),
                t.rotateActiveOnWriteback(),
                t.writeMarksAccessed(),
                t.swapinActivates(),
                t.anonShadows(),
                t.refaultSkipsWriteAdds(),
                t.allocNoProgressRetries(),
                t.memoryEvents(),
                t.reclaimRules(),
                t.swappinessMax(),
                t.cgroupInterfaces(),
                t.missingKnobs(),
                t.vmstatNames(),
                on ? Set.of(HostSpec.Fs.EXT4) : Set.of(),
                t.readChargesWithMappingGfp(),
                t.psi());
    }

    private static Scenario scenario() throws ScenarioException {
        return ScenarioParser.parse(
                "cgwb.yaml",
                String.join(
                        "\n",
                        "name: cgwb",
                        "host: {memory: 16G, disk: {write: 100M}}",
                        "cgroup: v2",
                        "cgroups: {/c: {memory.max: 1G}}",
                        "tasks: {cp: {cgroup: /c}}",
                        "steps:",
                        "  - write: {task: cp, file: /data/out, size: 512M}",
                        ""));
    }

    @Test
    void theMemcgsOwnDomainThrottlesTheWriterWhereTheGlobalOneWouldNot() throws ScenarioException {
        Outcome global = Runner.run(scenario(), toy(withCgroupWriteback(false)));
        Outcome perMemcg = Runner.run(scenario(), toy(withCgroupWriteback(true)));

        assertThat(global.times(TracePoints.BALANCE_DIRTY_PAGES))
                .as("the global domain: far below freerun")
                .isZero();
        assertThat(perMemcg.times(TracePoints.BALANCE_DIRTY_PAGES)).isPositive();
        // 512M at the disk's 100M/s is ~5 s; throttled at about the disk's pace once past ~150M dirty,
        // the writer takes seconds, where the unthrottled one takes ~0.3 s of CPU (0.6 us a page).
        assertThat(global.steps().get(0).elapsedNs()).isLessThan(1_000_000_000L);
        assertThat(perMemcg.steps().get(0).elapsedNs()).isGreaterThan(2_000_000_000L);
        assertThat(perMemcg.steps().get(0).result()).isEqualTo("ok");
    }
}
