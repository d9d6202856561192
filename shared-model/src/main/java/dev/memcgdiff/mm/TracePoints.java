package dev.memcgdiff.mm;

/** The trace points of the shared model's own paths (the allocator, THP faults, the runner). */
public final class TracePoints {
    private TracePoints() {}

    /**
     * The decision every kernel's charge path names a force charge with (page_counter_charge past
     * the limit: a dying task, __GFP_NOFAIL, an OOM that could not help); checks across kernels
     * find force charges by it.
     */
    public static final String FORCE_CHARGE = "force charge";

    /** balance_dirty_pages puts the writer to sleep. */
    public static final TracePoint BALANCE_DIRTY_PAGES = new TracePoint("balance_dirty_pages", "pause");
    /** shrink_page_list waits for a page under writeback (wait_on_page_writeback). */
    public static final TracePoint WAIT_ON_PAGE_WRITEBACK = new TracePoint("wait_on_page_writeback", "wait");

    /** __alloc_pages_slowpath gives up reclaiming and calls out_of_memory. */
    public static final TracePoint ALLOC_SLOWPATH_OOM = new TracePoint("__alloc_pages_slowpath", "out_of_memory");
    /** do_huge_pmd_anonymous_page falls back to 4K pages. */
    public static final TracePoint THP_FALLBACK = new TracePoint("do_huge_pmd_anonymous_page", "fallback");
    /** mem_cgroup_soft_limit_reclaim reclaimed from a node's soft limit tree. */
    public static final TracePoint SOFT_LIMIT_RECLAIM = new TracePoint("mem_cgroup_soft_limit_reclaim", "reclaimed");
    /** panic(): nothing runs after. */
    public static final TracePoint PANIC = new TracePoint("panic", "panic");
    /** A cgroup file write and its result. */
    public static final TracePoint CGROUP_WRITE = new TracePoint("cgroup_file_write", "result");
    /** mem_cgroup_oom_synchronize: the task sleeps on memcg_oom_waitq because of oom_kill_disable. */
    public static final TracePoint MEMCG_OOM_SLEEPS_DISABLED =
            new TracePoint("mem_cgroup_oom_synchronize", "sleeps: oom_kill_disable");
    /** mem_cgroup_oom_synchronize: the task sleeps on memcg_oom_waitq because another task holds the oom_lock. */
    public static final TracePoint MEMCG_OOM_SLEEPS_LOCKED =
            new TracePoint("mem_cgroup_oom_synchronize", "sleeps: oom_lock held");
    /** memcg_oom_wake_function (or a SIGKILL): a task asleep in the memcg OOM is woken. */
    public static final TracePoint MEMCG_OOM_WOKEN = new TracePoint("memcg_oom_wake_function", "woken");
    /** The runner resumes a woken task: its fault returns and is retried (pagefault_out_of_memory returned). */
    public static final TracePoint MEMCG_OOM_RETRY = new TracePoint("pagefault_out_of_memory", "woken: retry");
    /** A fault that can make no progress: the task sleeps forever. */
    public static final TracePoint TASK_HUNG = new TracePoint("handle_mm_fault", "hung");
    /** A fault retried with nothing freed. */
    public static final TracePoint FAULT_LIVELOCK = new TracePoint("handle_mm_fault", "livelock");
}
