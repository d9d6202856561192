package dev.memcgdiff.properties;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A page counter goes above its max only by page_counter_charge (a force charge: a dying task,
 * __GFP_NOFAIL, a failed OOM), which every kernel traces with the decision {@link TracePoints#FORCE_CHARGE}
 * on the memcg charged, or because its
 * max was lowered below the usage (memory_max_write sets the limit before reclaiming and may give
 * up). Once over, usage may only stay or shrink until another force charge. page_counter_try_charge
 * itself never leaves usage above max.
 */
final class OverLimitCheck {
    private record Kind(String name, Function<MemCgroup, PageCounter> counter, List<String> knobs) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("memory", c -> c.memory, List.of("memory.limit_in_bytes", "memory.max")),
            new Kind("memory+swap", c -> c.memsw, List.of("memory.memsw.limit_in_bytes")),
            new Kind("swap", c -> c.swap, List.of("memory.swap.max")),
            new Kind("kmem", c -> c.kmem, List.of("memory.kmem.limit_in_bytes")));

    /** Counters that are over their max for an accepted reason, with their usage when last seen. */
    private final Map<String, Long> allowedOver = new TreeMap<>();

    /** Check every counter after {@code step}; returns the violations. */
    List<String> afterStep(Step step, Machine m) {
        List<String> violations = new ArrayList<>();
        List<TraceEvent> forced = forceCharges(m, step.index());
        for (MemCgroup memcg : m.memcgs()) {
            for (Kind kind : KINDS) {
                PageCounter c = kind.counter().apply(memcg);
                String key = memcg.path() + " " + kind.name();
                if (c.usage() <= c.max()) {
                    allowedOver.remove(key);
                    continue;
                }
                Long before = allowedOver.get(key);
                boolean allowed = (before != null && c.usage() <= before)
                        || forcedInSubtree(m, memcg, kind, forced)
                        || lowersLimit(step, memcg, kind);
                if (allowed) {
                    allowedOver.put(key, c.usage());
                } else {
                    violations.add(key + " usage " + c.usage() + " pages is above max " + c.max()
                            + (before == null ? "" : " and grew from " + before)
                            + " with no force charge in its subtree and no limit write at step " + step.index());
                    allowedOver.put(key, c.usage());
                }
            }
        }
        return violations;
    }

    /** The force charges of this step. */
    private static List<TraceEvent> forceCharges(Machine m, int step) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : m.trace.events()) {
            if (e.step() == step && e.point().decision().equals(TracePoints.FORCE_CHARGE)) {
                out.add(e);
            }
        }
        return out;
    }

    /** A force charge of {@code memcg} or of a memcg whose counter chain passes through its counter. */
    private static boolean forcedInSubtree(Machine m, MemCgroup memcg, Kind kind, List<TraceEvent> forced) {
        if (forced.isEmpty()) {
            return false;
        }
        PageCounter target = kind.counter().apply(memcg);
        for (MemCgroup c : m.memcgs()) {
            boolean below = false;
            for (PageCounter p = kind.counter().apply(c); p != null; p = p.parent()) {
                if (p == target) {
                    below = true;
                    break;
                }
            }
            if (!below) {
                continue;
            }
            for (TraceEvent e : forced) {
                if (c.path().equals(e.memcg())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lowersLimit(Step step, MemCgroup memcg, Kind kind) {
        if (!(step instanceof Step.Set set) || !set.cgroup().equals(memcg.path())) {
            return false;
        }
        for (Knob k : set.knobs()) {
            if (kind.knobs().contains(k.name())) {
                return true;
            }
        }
        return false;
    }
}
