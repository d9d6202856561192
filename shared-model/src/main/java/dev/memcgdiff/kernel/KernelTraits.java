package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.psi.PsiTraits;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every constant-like fact of one kernel version that the shared model asks about: data, not
 * behaviour. A version module builds one with {@link #builder()}, naming each fact, with a comment
 * citing the kernel function it comes from; behaviour lives in the operation tables of
 * {@link KernelOps}.
 *
 * @param protectedUsagePropagation how page_counter propagates protected usage (memory.min/low)
 * @param minFreeKbytesMax init_per_zone_wmark_min's upper clamp of vm.min_free_kbytes, in kB
 * @param watermarkFormula __setup_per_zone_wmarks' formula for the low and high watermarks
 * @param hugePageChargeGfp the gfp mask a THP fault charges with
 * @param swapinChargeGfp the gfp mask do_swap_page charges a page read from swap with
 * @param rotateActiveOnWriteback end_page_writeback's rotation also moves an ACTIVE PG_reclaim
 *     page to the inactive tail (pagevec_move_tail_fn from 4.x), not only inactive ones
 * @param writeMarksAccessed a buffered write marks its page accessed (generic_perform_write)
 * @param swapinActivates do_swap_page activates the swapped-in anonymous page
 * @param anonShadows __remove_mapping leaves a workingset shadow for swap cache pages too
 * @param refaultSkipsWriteAdds add_to_page_cache_lru skips the refault check for __GFP_WRITE adds
 * @param allocNoProgressRetries passes of direct reclaim without progress before the global OOM
 *     killer (should_reclaim_retry)
 * @param memoryEvents where memcg_memory_event counts an event
 * @param reclaimRules the points where shrink_page_list differs
 * @param swappinessMax the largest value memory.swappiness and vm.swappiness accept
 * @param cgroupInterfaces the cgroup interfaces the memory controller can be mounted with
 * @param missingKnobs cgroup files of the scenario language this kernel does not have, each with
 *     why (sorted by name)
 * @param vmstatNames the /proc/vmstat name this kernel prints for each event it counts
 * @param cgroupWritebackFs the filesystems whose writeback is per cgroup on cgroup v2
 *     (SB_I_CGROUPWB), so balance_dirty_pages also throttles in the memcg's own domain; empty
 *     where the kernel has no cgroup writeback
 * @param readChargesWithMappingGfp a read(2) and its readahead charge page cache with the
 *     mapping's gfp mask (so without __GFP_FS on XFS), not with a plain GFP_KERNEL
 * @param psi pressure stall information: whether the kernel has it, its default, and how it
 *     counts memory stalls
 */
public record KernelTraits(
        PageCounter.Propagation protectedUsagePropagation,
        long minFreeKbytesMax,
        Watermarks.Formula watermarkFormula,
        int hugePageChargeGfp,
        int swapinChargeGfp,
        boolean rotateActiveOnWriteback,
        boolean writeMarksAccessed,
        boolean swapinActivates,
        boolean anonShadows,
        boolean refaultSkipsWriteAdds,
        int allocNoProgressRetries,
        MemoryEventScope memoryEvents,
        ReclaimRules reclaimRules,
        int swappinessMax,
        Set<CgroupInterface> cgroupInterfaces,
        Map<String, String> missingKnobs,
        Map<VmEvent, String> vmstatNames,
        Set<HostSpec.Fs> cgroupWritebackFs,
        boolean readChargesWithMappingGfp,
        PsiTraits psi) {

    /** Where memcg_memory_event counts an event. */
    public enum MemoryEventScope {
        /** The kernel has no memory.events (3.10). */
        NONE,
        /** Only in the memcg it happened in (4.18: no propagation to ancestors). */
        LOCAL,
        /** In the memcg and, on cgroup v2, in every ancestor below the root (5.x). */
        HIERARCHICAL_ON_V2
    }

    public KernelTraits {
        Objects.requireNonNull(protectedUsagePropagation, "protectedUsagePropagation");
        Objects.requireNonNull(watermarkFormula, "watermarkFormula");
        Objects.requireNonNull(memoryEvents, "memoryEvents");
        Objects.requireNonNull(reclaimRules, "reclaimRules");
        Objects.requireNonNull(psi, "psi");
        cgroupInterfaces = Collections.unmodifiableSet(EnumSet.copyOf(cgroupInterfaces));
        missingKnobs = Collections.unmodifiableMap(new TreeMap<>(missingKnobs));
        EnumMap<VmEvent, String> names = new EnumMap<>(VmEvent.class);
        names.putAll(vmstatNames);
        vmstatNames = Collections.unmodifiableMap(names);
        cgroupWritebackFs =
                cgroupWritebackFs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(cgroupWritebackFs));
    }

    /** The /proc/vmstat name of an event counter, or null when this kernel has none. */
    public String vmstatName(VmEvent event) {
        return vmstatNames.get(event);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names every fact at its setting; facts left unset fail {@link #build()}. */
    public static final class Builder {
        private PageCounter.Propagation protectedUsagePropagation;
        private long minFreeKbytesMax = -1;
        private Watermarks.Formula watermarkFormula;
        private int hugePageChargeGfp = Gfp.GFP_KERNEL;
        private int swapinChargeGfp = Gfp.GFP_KERNEL;
        private Boolean rotateActiveOnWriteback;
        private Boolean writeMarksAccessed;
        private Boolean swapinActivates;
        private Boolean anonShadows;
        private Boolean refaultSkipsWriteAdds;
        private int allocNoProgressRetries = -1;
        private MemoryEventScope memoryEvents;
        private ReclaimRules reclaimRules;
        private int swappinessMax = -1;
        private final Set<CgroupInterface> cgroupInterfaces = EnumSet.noneOf(CgroupInterface.class);
        private final Map<String, String> missingKnobs = new TreeMap<>();
        private final Map<VmEvent, String> vmstatNames = new EnumMap<>(VmEvent.class);
        private final Set<HostSpec.Fs> cgroupWritebackFs = EnumSet.noneOf(HostSpec.Fs.class);
        private Boolean readChargesWithMappingGfp;
        private PsiTraits psi;

        public Builder protectedUsagePropagation(PageCounter.Propagation v) {
            protectedUsagePropagation = v;
            return this;
        }

        public Builder watermarks(long minFreeKbytesMax, Watermarks.Formula formula) {
            this.minFreeKbytesMax = minFreeKbytesMax;
            this.watermarkFormula = formula;
            return this;
        }

        public Builder hugePageChargeGfp(int gfp) {
            hugePageChargeGfp = gfp;
            return this;
        }

        /** The swap-in charge's gfp mask (default GFP_KERNEL). */
        public Builder swapinChargeGfp(int gfp) {
            swapinChargeGfp = gfp;
            return this;
        }

        public Builder rotateActiveOnWriteback(boolean v) {
            rotateActiveOnWriteback = v;
            return this;
        }

        public Builder writeMarksAccessed(boolean v) {
            writeMarksAccessed = v;
            return this;
        }

        public Builder swapinActivates(boolean v) {
            swapinActivates = v;
            return this;
        }

        public Builder anonShadows(boolean v) {
            anonShadows = v;
            return this;
        }

        public Builder refaultSkipsWriteAdds(boolean v) {
            refaultSkipsWriteAdds = v;
            return this;
        }

        public Builder allocNoProgressRetries(int v) {
            allocNoProgressRetries = v;
            return this;
        }

        public Builder memoryEvents(MemoryEventScope v) {
            memoryEvents = v;
            return this;
        }

        public Builder reclaimRules(ReclaimRules v) {
            reclaimRules = v;
            return this;
        }

        public Builder swappinessMax(int v) {
            swappinessMax = v;
            return this;
        }

        public Builder cgroupInterfaces(CgroupInterface... interfaces) {
            cgroupInterfaces.addAll(List.of(interfaces));
            return this;
        }

        public Builder missingKnob(String name, String why) {
            missingKnobs.put(name, why);
            return this;
        }

        /** The /proc/vmstat name of every event the kernel counts; null for those it has no counter for. */
        public Builder vmstatNames(Function<VmEvent, String> names) {
            for (VmEvent e : VmEvent.values()) {
                String name = names.apply(e);
                if (name != null) {
                    vmstatNames.put(e, name);
                }
            }
            return this;
        }

        /** The filesystems with cgroup writeback on cgroup v2 (none: the default). */
        public Builder cgroupWriteback(HostSpec.Fs... fs) {
            cgroupWritebackFs.addAll(List.of(fs));
            return this;
        }

        public Builder readChargesWithMappingGfp(boolean v) {
            readChargesWithMappingGfp = v;
            return this;
        }

        /** Pressure stall information ({@link PsiTraits#none} for a kernel without kernel/sched/psi.c). */
        public Builder psi(PsiTraits v) {
            psi = v;
            return this;
        }

        public KernelTraits build() {
            require(minFreeKbytesMax >= 0, "watermarks");
            require(rotateActiveOnWriteback != null, "rotateActiveOnWriteback");
            require(writeMarksAccessed != null, "writeMarksAccessed");
            require(swapinActivates != null, "swapinActivates");
            require(anonShadows != null, "anonShadows");
            require(refaultSkipsWriteAdds != null, "refaultSkipsWriteAdds");
            require(allocNoProgressRetries >= 0, "allocNoProgressRetries");
            require(swappinessMax > 0, "swappinessMax");
            require(!cgroupInterfaces.isEmpty(), "cgroupInterfaces");
            require(readChargesWithMappingGfp != null, "readChargesWithMappingGfp");
            require(psi != null, "psi");
            return new KernelTraits(
                    protectedUsagePropagation,
                    minFreeKbytesMax,
                    watermarkFormula,
                    hugePageChargeGfp,
                    swapinChargeGfp,
                    rotateActiveOnWriteback,
                    writeMarksAccessed,
                    swapinActivates,
                    anonShadows,
                    refaultSkipsWriteAdds,
                    allocNoProgressRetries,
                    memoryEvents,
                    reclaimRules,
                    swappinessMax,
                    cgroupInterfaces,
                    missingKnobs,
                    vmstatNames,
                    cgroupWritebackFs,
                    readChargesWithMappingGfp,
                    psi);
        }

        private static void require(boolean set, String fact) {
            if (!set) {
                throw new IllegalStateException("kernel trait not set: " + fact);
            }
        }
    }
}
