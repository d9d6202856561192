package dev.memcgdiff.mm.task;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.EntryArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process with its own mm: task_struct and mm_struct together, since the model's tasks are
 * single-threaded and never share an mm. Holds the anonymous page table, the file mappings, the
 * mm counters that /proc and the OOM report print, and the OOM state.
 */
public final class Task {
    private final int id;
    private final String comm;
    private final int pid;
    private final int uid;
    private final int oomScoreAdj;
    private MemCgroup memcg;

    /** The anonymous page table: virtual page number to an Entry (page or swap entry). */
    public final EntryArray anon = new EntryArray();
    /** The one anonymous area: the heap every anon step grows. */
    public final Vma anonVma;

    private final List<Vma> fileVmas = new ArrayList<>();

    /** mm counters (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, MM_SWAPENTS). */
    public long rssAnon;

    public long rssFile;
    public long rssShmem;
    public long swapEnts;

    /** The OOM killer chose this task (tsk_is_oom_victim / TIF_MEMDIE). */
    public boolean oomVictim;
    /** MMF_OOM_SKIP: the victim's mm was reaped; selection skips it. */
    public boolean oomSkip;

    public boolean exited;
    /** current->memcg_in_oom: a memcg OOM was recorded during this fault (3.10, v1 oom_kill_disable). */
    public MemCgroup memcgInOom;
    /** current->memcg_nr_pages_over_high (4.18, 5.18). */
    public long nrPagesOverHigh;
    /** current->nr_dirtied: pages dirtied since the last balance_dirty_pages. */
    public int nrDirtied;
    /** When a sleep the task owes ends (a throttle inside a {@code together} step), ns; 0: none. */
    public long sleepUntil;

    /**
     * has_capability(CAP_SYS_ADMIN): only 3.10's oom_badness looks at it. A container's root user
     * does not have it unless the container is privileged, so it comes from the scenario's
     * {@code caps}, never from uid 0.
     */
    public boolean capSysAdmin;

    /** real_parent: the task that forked this one (the scenario's {@code parent}), or null. */
    public Task parent;

    public Task(int id, String comm, int pid, int uid, int oomScoreAdj, MemCgroup memcg) {
        this.id = id;
        this.comm = comm;
        this.pid = pid;
        this.uid = uid;
        this.oomScoreAdj = oomScoreAdj;
        this.memcg = memcg;
        this.anonVma = new Vma(this, -1, 0, 0, false, false);
    }

    public int id() {
        return id;
    }

    public String comm() {
        return comm;
    }

    public int pid() {
        return pid;
    }

    public int uid() {
        return uid;
    }

    public int oomScoreAdj() {
        return oomScoreAdj;
    }

    /** The memcg mm->owner belongs to: who pays for this task's new pages. */
    public MemCgroup memcg() {
        return memcg;
    }

    public void setMemcg(MemCgroup memcg) {
        this.memcg = memcg;
    }

    public boolean alive() {
        return !exited;
    }

    public List<Vma> fileVmas() {
        return Collections.unmodifiableList(fileVmas);
    }

    public void addFileVma(Vma vma) {
        fileVmas.add(vma);
    }

    public void removeFileVma(Vma vma) {
        fileVmas.remove(vma);
    }

    public void clearFileVmas() {
        fileVmas.clear();
    }

    /** get_mm_rss: resident anon + file + shmem pages. */
    public long rss() {
        return rssAnon + rssFile + rssShmem;
    }

    /** total_vm: every page of every mapping. */
    public long totalVm() {
        long vm = anonVma.pages();
        for (Vma v : fileVmas) {
            vm += v.pages();
        }
        return vm;
    }

    /**
     * Page-table pages: one per 512 mapped virtual pages of each area, the way a fully populated
     * x86-64 mm needs one PTE page per 2 MiB (nr_ptes / pgtables_bytes in the OOM report).
     */
    public long pageTablePages() {
        long pt = (anonVma.pages() + 511) / 512;
        for (Vma v : fileVmas) {
            pt += (v.pages() + 511) / 512;
        }
        return pt;
    }

    @Override
    public String toString() {
        return comm + "(" + pid + ")";
    }
}
