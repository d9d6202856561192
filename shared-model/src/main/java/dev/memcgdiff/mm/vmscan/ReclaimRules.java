package dev.memcgdiff.mm.vmscan;

/**
 * The few points where the modelled kernels' shrink_page_list differ, given by each kernel. Build
 * one by naming each rule: {@code ReclaimRules.NONE.withDirtyFileActivates(true)...}.
 *
 * @param dirtyFileActivates a dirty file page met by direct or memcg reclaim is activated (4.18,
 *     5.18) rather than kept on the inactive list (3.10)
 * @param lockedActivates a VM_LOCKED referenced page is activated (5.18's folio_check_references)
 *     instead of being sent on to try_to_unmap, which culls it (3.10, 4.18)
 * @param setsWorkingsetOnDeactivate shrink_active_list sets PG_workingset on deactivated pages
 *     (4.18 RHEL, 5.18)
 * @param swapBackedActivatesOnFirstReference a swap-backed page with a referenced pte is
 *     activated at once (3.10, 4.18); from 5.9 it is marked referenced and kept for another trip
 *     around the inactive list like a file page
 */
public record ReclaimRules(
        boolean dirtyFileActivates,
        boolean lockedActivates,
        boolean setsWorkingsetOnDeactivate,
        boolean swapBackedActivatesOnFirstReference) {
    /** Every rule off: the starting point to name the rules a kernel has. */
    public static final ReclaimRules NONE = new ReclaimRules(false, false, false, false);

    public ReclaimRules withDirtyFileActivates(boolean v) {
        return new ReclaimRules(v, lockedActivates, setsWorkingsetOnDeactivate, swapBackedActivatesOnFirstReference);
    }

    public ReclaimRules withLockedActivates(boolean v) {
        return new ReclaimRules(dirtyFileActivates, v, setsWorkingsetOnDeactivate, swapBackedActivatesOnFirstReference);
    }

    public ReclaimRules withSetsWorkingsetOnDeactivate(boolean v) {
        return new ReclaimRules(dirtyFileActivates, lockedActivates, v, swapBackedActivatesOnFirstReference);
    }

    public ReclaimRules withSwapBackedActivatesOnFirstReference(boolean v) {
        return new ReclaimRules(dirtyFileActivates, lockedActivates, setsWorkingsetOnDeactivate, v);
    }
}
