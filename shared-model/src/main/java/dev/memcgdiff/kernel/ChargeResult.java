package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.memcg.MemCgroup;

/**
 * What a charge did: whether the page may be committed, and to which memcg. The memcg is the one
 * asked for, except where the kernel bypasses the charge (3.10 lets a dying task's page go to the
 * root cgroup, uncharged).
 */
public record ChargeResult(boolean charged, MemCgroup committedTo) {
    /** The charge failed: the caller frees the page and fails with -ENOMEM / VM_FAULT_OOM. */
    public static final ChargeResult FAILED = new ChargeResult(false, null);

    /** The counters of {@code memcg} were charged; the page is committed to it. */
    public static ChargeResult charged(MemCgroup memcg) {
        return new ChargeResult(true, memcg);
    }
}
