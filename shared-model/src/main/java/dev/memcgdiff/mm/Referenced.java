package dev.memcgdiff.mm;

/**
 * What page_referenced found: how many ptes had their accessed bit set (now cleared), and the
 * vm_flags of the referencing vmas that reclaim looks at (VM_EXEC, VM_LOCKED).
 */
public record Referenced(int ptes, boolean exec, boolean locked) {
    /** Not mapped, or no accessed bit set. */
    public static final Referenced NONE = new Referenced(0, false, false);
}
