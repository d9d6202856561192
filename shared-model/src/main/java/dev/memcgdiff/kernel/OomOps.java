package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.task.Task;

/** mm/oom_kill.c: the host's OOM killer and the end of a fault that ran out of memory. */
public interface OomOps {
    /** out_of_memory for an allocation that failed on the whole host (CONSTRAINT_NONE). True when a task died or will. */
    boolean outOfMemory(int gfp, Task current);

    /** pagefault_out_of_memory, after a fault returned VM_FAULT_OOM. */
    FaultRetry pagefaultOutOfMemory(Task task);
}
