package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.task.Task;
import java.util.List;

/**
 * struct oom_control (include/linux/oom.h, 5.18): one out_of_memory call's request (the memcg,
 * null for a global OOM; gfp; order; which limit ran out) and what constrained_alloc and
 * select_bad_process found for it. A new one per call, as the kernel builds one on the stack.
 */
final class OomControl {
    final MemCgroup memcg;
    final int gfp;
    final int order;
    final LimitKind limit;
    long totalpages;
    String constraint;
    /** The victim, or null: nothing chosen (see {@link #selection}). */
    Task chosen;

    long chosenPoints;
    Selection selection = Selection.NONE;

    /** What select_bad_process ended with (the kernel's oc->chosen: a task, NULL, or (void *)-1). */
    enum Selection {
        /** No killable task. */
        NONE,
        /** A task was chosen. */
        CHOSEN,
        /** An earlier victim has not exited yet: the scan stopped, no new kill. */
        ABORT
    }

    OomControl(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        this.memcg = memcg;
        this.gfp = gfp;
        this.order = order;
        this.limit = limit;
    }

    /** The kill of the chosen task as the outcome records it, with the report printed for it. */
    OomKillRecord record(int step, String victimMemcg, List<String> report) {
        return new OomKillRecord(
                step,
                chosen.comm(),
                chosen.pid(),
                memcg == null ? null : memcg.path(),
                victimMemcg,
                constraint,
                limit.text(),
                chosenPoints,
                totalpages,
                report);
    }
}
