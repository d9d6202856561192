package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.Scenario;
import java.util.Optional;

/**
 * A modelled kernel version, found with {@link java.util.ServiceLoader}: a version module
 * registers its implementation in {@code META-INF/services/dev.memcgdiff.kernel.Kernel}.
 *
 * <p>The shared model owns the machine and the generic paths (faults, read, write, tmpfs, exit);
 * a kernel decides everything its source decides differently, through the {@link KernelOps}
 * it boots on a machine.
 */
public interface Kernel {
    /** The short version scenarios and reports use: "3.10", "4.18", "5.18". */
    String version();

    /** The release modelled, as uname -r would print it, e.g. "4.18.0-147.el8.x86_64". */
    String release();

    /**
     * Why this kernel cannot run the scenario (cgroup v2 on 3.10, a knob it does not have), or
     * empty. An unsupported scenario is a result, not an error.
     */
    Optional<String> unsupported(Scenario scenario);

    /** Boot this kernel's behaviour on a fresh machine. */
    KernelOps boot(Machine machine);
}
