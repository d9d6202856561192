package dev.memcgdiff.kernel;

import java.util.Objects;

/**
 * One booted kernel: its traits (facts as data) and its operation tables (behaviour), each named
 * after the kernel source file whose decisions it makes. The shared model calls the tables from
 * its generic paths; a version module builds them in dependency order, so no table needs another
 * after construction. One instance serves one run.
 */
public record KernelOps(
        KernelTraits traits, MemcgOps memcg, LruOps lru, ReclaimOps reclaim, OomOps oom, CgroupFileOps files) {
    public KernelOps {
        Objects.requireNonNull(traits, "traits");
        Objects.requireNonNull(memcg, "memcg");
        Objects.requireNonNull(lru, "lru");
        Objects.requireNonNull(reclaim, "reclaim");
        Objects.requireNonNull(oom, "oom");
        Objects.requireNonNull(files, "files");
    }
}
