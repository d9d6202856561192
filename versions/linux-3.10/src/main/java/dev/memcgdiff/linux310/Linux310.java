package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import java.util.Optional;
import java.util.Set;

/**
 * RHEL 7.9's kernel, 3.10.0-1160.el7: cgroup v1 only, with RHEL's page_counter backport, the
 * memcg OOM deferred to the end of a user page fault, and the 3.15 workingset code backported.
 */
public final class Linux310 implements Kernel {
    /** The v1 files of mem_cgroup_files (mm/memcontrol.c, 3.10.0-1160) a scenario may write. */
    private static final Set<String> V1_KNOBS = Set.of("memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
        "memory.soft_limit_in_bytes", "memory.kmem.limit_in_bytes", "memory.swappiness", "memory.use_hierarchy",
        "memory.oom_control", "memory.move_charge_at_immigrate");

    @Override
    public String version() {
        return "3.10";
    }

    @Override
    public String release() {
        return "3.10.0-1160.el7.x86_64";
    }

    /** RHEL 7 mounts only the legacy hierarchy for the memory controller: a v2 scenario cannot run. */
    @Override
    public Optional<String> unsupported(Scenario scenario) {
        if (scenario.cgroup() != CgroupInterface.V1) {
            return Optional.of("cgroup v2: not in 3.10");
        }
        for (CgroupSpec cs : scenario.cgroups()) {
            Optional<String> missing = missing(cs.knobs());
            if (missing.isPresent()) {
                return missing;
            }
        }
        for (Step s : scenario.steps()) {
            if (s instanceof Step.Set set) {
                Optional<String> missing = missing(set.knobs());
                if (missing.isPresent()) {
                    return missing;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> missing(java.util.List<Knob> knobs) {
        for (Knob k : knobs) {
            if (!V1_KNOBS.contains(k.name())) {
                return Optional.of(k.name() + ": not in 3.10");
            }
        }
        return Optional.empty();
    }

    @Override
    public KernelOps boot(Machine machine) {
        return new Ops(machine);
    }
}
