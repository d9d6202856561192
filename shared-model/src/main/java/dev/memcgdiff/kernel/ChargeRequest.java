package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;

/**
 * One charge of {@code nrPages} to {@code memcg}: who is charging ({@code current}, null for a
 * kernel thread), with which gfp mask, and whether the charge happens inside a user page fault
 * (the kernels that defer the memcg OOM to the end of a fault need to know).
 */
public record ChargeRequest(MemCgroup memcg, int nrPages, int gfp, Task current, boolean userFault, Purpose purpose) {
    /** What the charged page will be, for the trace and for the THP rule. */
    public enum Purpose {
        ANON,
        THP,
        CACHE,
        SHMEM,
        SWAPIN
    }
}
