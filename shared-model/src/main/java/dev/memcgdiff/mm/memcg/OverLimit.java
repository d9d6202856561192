package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.mm.Machine;

/**
 * Where a charge's page counters refused it: the memcg whose limit was hit and which limit.
 *
 * @param memcg mem_over_limit
 * @param limit the counter that failed: MEMSW (the charge may not swap from then on) or MEMORY
 */
public record OverLimit(MemCgroup memcg, LimitKind limit) {
    /**
     * try_charge's (4.18) / try_charge_memcg's (5.18) counter step: with memsw accounting the
     * memsw counter first, then memory, whose failure undoes the memsw charge. 3.10's
     * mem_cgroup_do_charge charges memory first and is its own.
     *
     * @return null when both counters took the batch
     */
    public static OverLimit tryCharge(Machine m, MemCgroup memcg, long batch) {
        PageCounter failed = m.memswCharged() ? memcg.memsw.tryCharge(batch) : null;
        if (failed != null) {
            return new OverLimit(failed.owner(), LimitKind.MEMSW);
        }
        failed = memcg.memory.tryCharge(batch);
        if (failed == null) {
            return null;
        }
        if (m.memswCharged()) {
            memcg.memsw.uncharge(batch);
        }
        return new OverLimit(failed.owner(), LimitKind.MEMORY);
    }
}
