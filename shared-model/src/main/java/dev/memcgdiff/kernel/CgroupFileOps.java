package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.Knob;

/** The memory controller's cftype handlers: what a write to a cgroup file does, and what the files show. */
public interface CgroupFileOps {
    /** A write to a cgroup file, with that kernel's checks and side effects (reclaim, OOM). */
    KnobWrite write(MemCgroup memcg, Knob knob);

    /** Every file this kernel shows for the memcg under the scenario's interface, in bytes as printed. */
    CgroupFiles read(MemCgroup memcg);
}
