package dev.memcgdiff.mm.psi;

import dev.memcgdiff.scenario.HostSpec;
import java.util.Objects;

/**
 * What a kernel's pressure stall information (kernel/sched/psi.c, include/linux/psi*.h) does, as
 * data: whether the kernel has it, whether it is on without a {@code psi=} boot option, and the
 * points where the modelled versions count memory stalls differently.
 *
 * @param built CONFIG_PSI: the kernel has kernel/sched/psi.c (3.10.0-1160 has none)
 * @param onByDefault psi_enable before the {@code psi=} boot option: false with
 *     CONFIG_PSI_DEFAULT_DISABLED
 * @param procFilesWhenOff psi_proc_init creates /proc/pressure/* even when PSI is off, so a read
 *     fails with EOPNOTSUPP (4.18.0-147); otherwise the files are not there (5.18)
 * @param fullOnCpu how a task in a memory stall that is running on its CPU (reclaim) counts
 *     towards FULL
 * @param swapinWorkingset every page read in from swap is PG_workingset, so waiting for its read
 *     is a memory stall (4.18.0-147 sets it in __read_swap_cache_async); otherwise only a page
 *     whose refault restored PG_workingset is
 * @param hz CONFIG_HZ: the jiffy PSI_FREQ (2*HZ+1 jiffies), the averaging work's timer and the
 *     scheduler tick are counted in
 * @param absent why there is no PSI, for "not on this kernel" (null when {@code built})
 */
public record PsiTraits(
        boolean built,
        boolean onByDefault,
        boolean procFilesWhenOff,
        FullOnCpu fullOnCpu,
        boolean swapinWorkingset,
        int hz,
        String absent) {

    /** How FULL treats a task that is in a memory stall and running (direct or memcg reclaim). */
    public enum FullOnCpu {
        /**
         * FULL needs no running task on the CPU (test_state: memstall and not running); a
         * reclaimer is running, so its CPU gets FULL time only from psi_memstall_tick: each
         * scheduler tick that finds the current task in a memory stall adds min(time since the last
         * change, one jiffy) (4.18.0-147).
         */
        TICK,
        /**
         * TSK_MEMSTALL_RUNNING: FULL when every running task of the CPU is itself in a memory
         * stall, so a reclaimer alone on its CPU is FULL all the time it reclaims (5.18).
         */
        MEMSTALL_RUNNING
    }

    /** A kernel without kernel/sched/psi.c. */
    public static PsiTraits none(String why) {
        return new PsiTraits(false, false, false, FullOnCpu.TICK, false, 1000, Objects.requireNonNull(why, "why"));
    }

    public PsiTraits {
        Objects.requireNonNull(fullOnCpu, "fullOnCpu");
        if (hz <= 0 || 1_000_000_000 % hz != 0) {
            throw new IllegalArgumentException("CONFIG_HZ must divide a second: " + hz);
        }
        if (built == (absent != null)) {
            throw new IllegalArgumentException("a kernel with PSI has no reason for its absence, and one without has");
        }
    }

    /** psi_enable after the boot option: {@code psi=1} turns it on, {@code psi=0} off, none keeps the default. */
    public boolean enabled(HostSpec.Psi setting) {
        return built
                && switch (setting) {
                    case ON -> true;
                    case OFF -> false;
                    case DEFAULT, UNSET -> onByDefault;
                };
    }
}
