package dev.memcgdiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.psi.PsiTraits;
import dev.memcgdiff.mm.toy.ToyMachine.ToyFiles;
import dev.memcgdiff.mm.toy.ToyMachine.ToyLru;
import dev.memcgdiff.mm.toy.ToyMachine.ToyMemcontrol;
import dev.memcgdiff.mm.toy.ToyMachine.ToyOomKill;
import dev.memcgdiff.mm.toy.ToyMachine.ToyVmscan;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

/**
 * The steps of docs/ARCHITECTURE.md ("adding a kernel version") followed for a toy fourth kernel:
 * traits as data, the five operation tables built in dependency order, a {@link Kernel} that boots
 * them. The toy charges without reclaim and never kills, which is enough to prove that the seam
 * takes a new version without touching the shared model.
 */
class ToyKernelTest {
    /** Step 2: every fact as data. */
    static final KernelTraits TRAITS = KernelTraits.builder()
            .protectedUsagePropagation(PageCounter.Propagation.PER_LEVEL)
            .watermarks(262144, Watermarks.Formula.SCALE_FACTOR)
            .hugePageChargeGfp(Gfp.TRANSHUGE_LIGHT)
            .rotateActiveOnWriteback(true)
            .writeMarksAccessed(false)
            .readChargesWithMappingGfp(true)
            .swapinActivates(false)
            .anonShadows(true)
            .refaultSkipsWriteAdds(true)
            .allocNoProgressRetries(16)
            .memoryEvents(KernelTraits.MemoryEventScope.HIERARCHICAL_ON_V2)
            .reclaimRules(ReclaimRules.NONE.withDirtyFileActivates(true))
            .swappinessMax(200)
            .cgroupInterfaces(CgroupInterface.V2)
            .missingKnob("memory.swap.high", "not in the toy kernel")
            .vmstatNames(e -> e.key())
            .psi(PsiTraits.none("not in the toy kernel"))
            .build();

    // Step 3: the tables — the toy fixture's (ToyMachine): a memcontrol that charges without
    // reclaim or OOM, an LRU add to the inactive lists, a vmscan that frees nothing, an OOM killer
    // that never kills, and memory.max / memory.current as the only files.

    /** Step 4: the Kernel, booting the tables in dependency order (here none needs another). */
    static final class Linux61Toy implements Kernel {
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
            return TRAITS;
        }

        @Override
        public KernelOps boot(Machine m) {
            return new KernelOps(
                    TRAITS, new ToyMemcontrol(m), new ToyLru(m), new ToyVmscan(), new ToyOomKill(), new ToyFiles());
        }
    }

    private static Scenario scenario(String cgroup, String knob) throws ScenarioException {
        return ScenarioParser.parse(
                "toy.yaml",
                String.join(
                        "\n",
                        "name: toy",
                        "host: {memory: 256M}",
                        "cgroup: " + cgroup,
                        "cgroups: {/a: {" + knob + "}}",
                        "tasks: {t: {cgroup: /a}}",
                        "steps:",
                        "  - anon: {task: t, size: 16M}",
                        ""));
    }

    @Test
    void aFourthKernelRunsAScenarioThroughTheSeam() throws ScenarioException {
        Outcome o = Runner.run(scenario("v2", "memory.max: 8M"), new Linux61Toy());

        assertThat(o.status()).isEqualTo("ok");
        assertThat(o.kernel()).isEqualTo("6.1");
        // No reclaim and no OOM in the toy: the fault that hits memory.max can make no progress.
        assertThat(o.steps().get(0).result()).isEqualTo("hung");
        assertThat(o.snapshot(Outcome.END).cgroups().get("/a").files().get("memory.current"))
                .isEqualTo(8L << 20);
    }

    @Test
    void itsTraitsDecideWhatItCannotRun() throws ScenarioException {
        Linux61Toy toy = new Linux61Toy();

        assertThat(toy.unsupported(scenario("v1", "memory.limit_in_bytes: 8M"))).contains("cgroup v1: not in 6.1");
        assertThat(toy.unsupported(scenario("v2", "memory.swap.high: 8M")))
                .contains("memory.swap.high: not in the toy kernel");
        assertThat(toy.unsupported(scenario("v2", "memory.max: 8M"))).isEmpty();
    }
}
