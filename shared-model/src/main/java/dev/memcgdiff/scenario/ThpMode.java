package dev.memcgdiff.scenario;

/** /sys/kernel/mm/transparent_hugepage/enabled. */
public enum ThpMode {
    ALWAYS,
    MADVISE,
    NEVER
}
