package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.Scenario;
import java.util.Optional;

/**
 * Upstream Linux 5.18 (read in 5.18.12): cgroup v1 always hierarchical, cgroup v2 with
 * memory.events propagation, the LRU cost model, anon and file workingset, effective memory
 * protection, and the OOM report format of 5.18.
 */
public final class Linux518 implements Kernel {
    @Override
    public String version() {
        return "5.18";
    }

    @Override
    public String release() {
        return "5.18.12";
    }

    /** Every scenario knob exists in 5.18 (a kmem.limit_in_bytes write fails with EOPNOTSUPP). */
    @Override
    public Optional<String> unsupported(Scenario scenario) {
        return Optional.empty();
    }

    @Override
    public KernelOps boot(Machine machine) {
        return new Ops(machine);
    }
}
