package dev.memcgdiff.mm.toy;

import dev.memcgdiff.kernel.CgroupFileOps;
import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.kernel.MemcgOps;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.psi.PsiTraits;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Sizes;
import dev.memcgdiff.testing.BootedMachine;
import java.util.function.Function;

/**
 * A machine booted with tables that only charge (no reclaim, no OOM, limits set as written), with
 * a scenario's cgroups (their knobs written) and tasks, to drive a shared helper by hand. The LRU
 * table can be the shared one under test.
 */
public final class ToyMachine extends BootedMachine<KernelOps> {
    /** Facts of no particular kernel: v1 and v2, swappiness 0..100, memory.events on the memcg only. */
    public static final KernelTraits TRAITS = KernelTraits.builder()
            .protectedUsagePropagation(PageCounter.Propagation.PER_LEVEL)
            .watermarks(262144, Watermarks.Formula.SCALE_FACTOR)
            .hugePageChargeGfp(Gfp.TRANSHUGE_LIGHT)
            .rotateActiveOnWriteback(true)
            .writeMarksAccessed(false)
            .readChargesWithMappingGfp(true)
            .swapinActivates(false)
            .anonShadows(false)
            .refaultSkipsWriteAdds(true)
            .allocNoProgressRetries(16)
            .memoryEvents(KernelTraits.MemoryEventScope.LOCAL)
            .reclaimRules(ReclaimRules.NONE)
            .swappinessMax(100)
            .cgroupInterfaces(CgroupInterface.V1, CgroupInterface.V2)
            .vmstatNames(e -> e.key())
            .psi(new PsiTraits(true, true, false, PsiTraits.FullOnCpu.MEMSTALL_RUNNING, false, 1000, null))
            .build();

    /** Boot the scenario with an LRU table that puts every page on its inactive list. */
    public ToyMachine(String yaml) {
        this(yaml, ToyLru::new);
    }

    /** Boot the scenario with the given LRU table. */
    public ToyMachine(String yaml, Function<Machine, LruOps> lru) {
        super(
                parse(yaml),
                m -> new KernelOps(
                        TRAITS, new ToyMemcontrol(m), lru.apply(m), new ToyVmscan(), new ToyOomKill(), new ToyFiles()),
                ops -> ops);
    }

    private static Scenario parse(String yaml) {
        try {
            return ScenarioParser.parse("toy.yaml", yaml);
        } catch (ScenarioException e) {
            throw new AssertionError("toy scenario does not parse: " + e.getMessage(), e);
        }
    }

    /** mm/memcontrol.c: charge the counters, no reclaim, no OOM. */
    public record ToyMemcontrol(Machine m) implements MemcgOps {
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

    /** mm/swap.c: every new page goes to the head of its inactive list. */
    public record ToyLru(Machine m) implements LruOps {
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

    /** mm/vmscan.c: reclaims nothing. */
    public static final class ToyVmscan implements ReclaimOps {
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

    /** mm/oom_kill.c: never kills; a fault that ran out of memory cannot make progress. */
    public static final class ToyOomKill implements OomOps {
        @Override
        public boolean outOfMemory(int gfp, Task current) {
            return false;
        }

        @Override
        public FaultRetry pagefaultOutOfMemory(Task task) {
            return FaultRetry.STUCK;
        }
    }

    /** Limits are set as written (bytes rounded down to pages); nothing else is writable; memory.current reads. */
    public static final class ToyFiles implements CgroupFileOps {
        @Override
        public KnobWrite write(MemCgroup memcg, Knob knob) {
            long pages = PageCounter.memparse(knob);
            switch (knob.name()) {
                case "memory.limit_in_bytes", "memory.max" -> memcg.memory.forceMax(pages);
                case "memory.memsw.limit_in_bytes" -> memcg.memsw.forceMax(pages);
                case "memory.soft_limit_in_bytes" -> memcg.softLimit = pages;
                default -> {
                    return KnobWrite.EINVAL;
                }
            }
            return KnobWrite.OK;
        }

        @Override
        public CgroupFiles read(MemCgroup memcg) {
            return new CgroupFiles().put("memory.current", memcg.memory.usage() * Sizes.PAGE_SIZE);
        }
    }
}
