package dev.memcgdiff.mm;

/**
 * Where the current allocation or charge comes from, so that an OOM report can print the call
 * trace the kernel would show (docs/QUESTIONS.md §15 reads the incidents' stacks to tell a page cache fault
 * from a tmpfs write or an anonymous fault).
 */
public enum CallSite {
    ANON_FAULT,
    SWAPIN_FAULT,
    FILE_FAULT,
    SHMEM_FAULT,
    FILE_READ,
    FILE_WRITE,
    SHMEM_WRITE,
    SHMEM_READ,
    KNOB_WRITE
}
