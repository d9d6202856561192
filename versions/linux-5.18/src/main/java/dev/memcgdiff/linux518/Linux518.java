package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upstream Linux 5.18 (read in 5.18.12): cgroup v1 always hierarchical, cgroup v2 with
 * memory.events propagation, the LRU cost model, anon and file workingset, effective memory
 * protection, and the OOM report format of 5.18.
 */
public final class Linux518 implements Kernel {
    /**
     * mem_cgroup_write (5.18): a write to memory.kmem.limit_in_bytes fails with EOPNOTSUPP. The
     * model's knob results have no EOPNOTSUPP, so a scenario writing it is refused as a whole.
     */
    static final String KMEM_LIMIT = "memory.kmem.limit_in_bytes";

    @Override
    public String version() {
        return "5.18";
    }

    @Override
    public String release() {
        return "5.18.12";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario) {
        List<Knob> knobs = new ArrayList<>();
        for (CgroupSpec cs : scenario.cgroups()) {
            knobs.addAll(cs.knobs());
        }
        for (Step s : scenario.steps()) {
            if (s instanceof Step.Set set) {
                knobs.addAll(set.knobs());
            }
        }
        for (Knob k : knobs) {
            if (k.name().equals(KMEM_LIMIT)) {
                return Optional.of(KMEM_LIMIT + ": writes fail with EOPNOTSUPP in 5.18 (mem_cgroup_write: "
                    + "kmem.limit_in_bytes is deprecated)");
            }
        }
        return Optional.empty();
    }

    @Override
    public KernelOps boot(Machine machine) {
        return new Ops(machine);
    }
}
