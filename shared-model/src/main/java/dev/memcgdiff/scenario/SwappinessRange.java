package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The vm.swappiness / memory.swappiness values a scenario may use: 0..100 before 5.8, 0..200 from
 * 5.8, so the bound is the smallest over the kernels the scenario runs on.
 *
 * @param max the largest value every kernel of the scenario accepts
 * @param refusing the kernels that refuse values above 100, for the error ("3.10, 4.18")
 */
record SwappinessRange(int max, String refusing) {
    static SwappinessRange of(KernelLimits limits, List<String> scenarioKernels) {
        List<String> versions = scenarioKernels.isEmpty() ? limits.versions() : scenarioKernels;
        if (limits.versions().isEmpty() || versions.isEmpty()) { // no kernel modules to ask: the common range
            return new SwappinessRange(KernelLimits.COMMON_SWAPPINESS_MAX, "kernels before 5.8");
        }
        int max = KernelLimits.ANY_SWAPPINESS_MAX;
        List<String> refusing = new ArrayList<>();
        for (String v : versions) {
            int m = limits.swappinessMax(v);
            max = Math.min(max, m);
            if (m < KernelLimits.ANY_SWAPPINESS_MAX) {
                refusing.add(v);
            }
        }
        return new SwappinessRange(max, String.join(", ", refusing));
    }

    /** Parse a swappiness value: a whole number 0..200, and at most {@link #max()}. */
    long parse(Source source, Node node, String what) throws ScenarioException {
        long value = Scalars.integer(
                source, node, what, 0, max == KernelLimits.ANY_SWAPPINESS_MAX ? max : KernelLimits.ANY_SWAPPINESS_MAX);
        if (value > max) {
            throw source.error(
                    node,
                    what + " " + value + " is above what " + refusing + " accept (0.." + max + "; 0.."
                            + KernelLimits.ANY_SWAPPINESS_MAX + " from 5.8)",
                    "a whole number 0.." + max + ", or up to " + KernelLimits.ANY_SWAPPINESS_MAX
                            + " with kernels: listing only kernels from 5.8");
        }
        return value;
    }
}
