package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import java.util.List;
import java.util.Optional;

/**
 * A modelled kernel version, found with {@link java.util.ServiceLoader}: a version module
 * registers its implementation in {@code META-INF/services/dev.memcgdiff.kernel.Kernel}.
 *
 * <p>The shared model owns the machine and the generic paths (faults, read, write, tmpfs, exit);
 * a kernel states its facts in {@link #traits()} and decides everything its source decides
 * differently through the operation tables it boots on a machine.
 */
public interface Kernel {
    /** The short version scenarios and reports use: "3.10", "4.18", "5.18". */
    String version();

    /** The release modelled, as uname -r would print it, e.g. "4.18.0-147.el8.x86_64". */
    String release();

    /** This kernel's facts as data; the same object every call. */
    KernelTraits traits();

    /**
     * Why this kernel cannot run the scenario (cgroup v2 on 3.10, a knob it does not have), or
     * empty. An unsupported scenario is a result, not an error.
     */
    default Optional<String> unsupported(Scenario scenario) {
        KernelTraits traits = traits();
        if (!traits.cgroupInterfaces().contains(scenario.cgroup())) {
            return Optional.of(
                    "cgroup " + scenario.cgroup().name().toLowerCase(java.util.Locale.ROOT) + ": not in " + version());
        }
        for (CgroupSpec cs : scenario.cgroups()) {
            Optional<String> missing = missingKnob(traits, cs.knobs());
            if (missing.isPresent()) {
                return missing;
            }
        }
        for (Step s : scenario.steps()) {
            if (s instanceof Step.Set set) {
                Optional<String> missing = missingKnob(traits, set.knobs());
                if (missing.isPresent()) {
                    return missing;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> missingKnob(KernelTraits traits, List<Knob> knobs) {
        for (Knob k : knobs) {
            String why = traits.missingKnobs().get(k.name());
            if (why != null) {
                return Optional.of(k.name() + ": " + why);
            }
        }
        return Optional.empty();
    }

    /** Boot this kernel's behaviour on a fresh machine: its operation tables, built in dependency order. */
    KernelOps boot(Machine machine);
}
