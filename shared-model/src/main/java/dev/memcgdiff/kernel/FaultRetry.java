package dev.memcgdiff.kernel;

/** What happens after a fault returned VM_FAULT_OOM (pagefault_out_of_memory and the fault end). */
public enum FaultRetry {
    /** The fault is retried: user space re-executes the instruction. */
    RETRY,
    /**
     * The task sleeps on memcg_oom_waitq (mm/memcontrol.c:mem_cgroup_oom_synchronize); once
     * woken the fault returns and is retried. The runner holds the task's step until then.
     */
    SLEEP,
    /** Nothing will change: the task would sleep or spin forever; the model stops the step. */
    STUCK
}
