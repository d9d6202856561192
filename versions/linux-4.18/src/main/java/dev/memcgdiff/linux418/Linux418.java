package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import java.util.Optional;
import java.util.Set;

/**
 * RHEL 8.1's kernel, 4.18.0-147.el8: the kernel of the notes' OOM reports. Upstream 4.18 plus
 * the 4.19 memcg OOM rework (synchronous OOM kills from any charge, memory.oom.group).
 */
public final class Linux418 implements Kernel {
    /** Knobs of the scenario language that 4.18 does not have. */
    private static final Set<String> MISSING = Set.of("memory.swap.high");

    @Override
    public String version() {
        return "4.18";
    }

    @Override
    public String release() {
        return "4.18.0-147.el8.x86_64";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario) {
        for (CgroupSpec cs : scenario.cgroups()) {
            for (Knob k : cs.knobs()) {
                if (MISSING.contains(k.name())) {
                    return Optional.of(k.name() + ": not in 4.18 (added in 5.8)");
                }
            }
        }
        for (Step s : scenario.steps()) {
            if (s instanceof Step.Set set) {
                for (Knob k : set.knobs()) {
                    if (MISSING.contains(k.name())) {
                        return Optional.of(k.name() + ": not in 4.18 (added in 5.8)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public KernelOps boot(Machine machine) {
        return new Ops(machine);
    }
}
