package dev.memcgdiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Sizes;
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
            .build();

    /** Step 3: the tables. memcontrol.c: charge the counters, no reclaim, no OOM. */
    record ToyMemcontrol(Machine m) implements MemcgOps {
        @Override
        public boolean linksToParent(MemCgroup parent) {
            return true;
        }

        @Override
        public void cgroupCreated(MemCgroup memcg) {
            memcg.useHierarchy = true;
            memcg.swappiness = m.vmSwappiness;
        }

        @Override
        public ChargeResult tryCharge(ChargeRequest request) {
            if (request.memcg().isRoot()) {
                return ChargeResult.charged(request.memcg());
            }
            PageCounter over = request.memcg().memory.tryCharge(request.nrPages());
            return over == null ? ChargeResult.charged(request.memcg()) : ChargeResult.FAILED;
        }
    }

    /** swap.c: every new page goes to the head of its inactive list. */
    record ToyLru(Machine m) implements LruOps {
        @Override
        public void lruAddNewAnon(int pfn) {
            m.lruvecOf(pfn).addHead(pfn, Lru.INACTIVE_ANON);
        }

        @Override
        public void lruCacheAdd(int pfn, Lruvec lruvec) {
            lruvec.addHead(pfn, m.pages.isFileCache(pfn) ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON);
        }

        @Override
        public void markPageAccessed(int pfn) {}

        @Override
        public long workingsetEviction(int pfn, MemCgroup target) {
            return 0;
        }

        @Override
        public void workingsetRefault(int pfn, long shadow) {}
    }

    /** vmscan.c: reclaims nothing. */
    static final class ToyVmscan implements ReclaimOps {
        @Override
        public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
            return 0;
        }

        @Override
        public long tryToFreePages(int gfp) {
            return 0;
        }

        @Override
        public void kswapd(Node node) {}
    }

    /** oom_kill.c: never kills; a fault that ran out of memory cannot make progress. */
    static final class ToyOomKill implements OomOps {
        @Override
        public boolean outOfMemory(int gfp, Task current) {
            return false;
        }

        @Override
        public FaultRetry pagefaultOutOfMemory(Task task) {
            return FaultRetry.STUCK;
        }
    }

    /** The cftype table: memory.max and memory.current. */
    record ToyFiles(Machine m) implements CgroupFileOps {
        @Override
        public KnobWrite write(MemCgroup memcg, Knob knob) {
            if (!knob.name().equals("memory.max")) {
                return KnobWrite.EINVAL;
            }
            memcg.memory.setMax(knob.isMax() ? PageCounter.MAX : knob.value() / Sizes.PAGE_SIZE);
            return KnobWrite.OK;
        }

        @Override
        public CgroupFiles read(MemCgroup memcg) {
            return new CgroupFiles().put("memory.current", memcg.memory.usage() * Sizes.PAGE_SIZE);
        }
    }

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
                    TRAITS, new ToyMemcontrol(m), new ToyLru(m), new ToyVmscan(), new ToyOomKill(), new ToyFiles(m));
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
