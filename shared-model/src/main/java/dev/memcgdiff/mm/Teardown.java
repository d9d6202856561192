package dev.memcgdiff.mm;

import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;

/**
 * Taking memory away: munmap of anonymous memory, exit_mmap (task exit and the oom_reaper),
 * truncation of a file (unlink), and releasing one page back to the allocator.
 */
public final class Teardown {
    private final Machine m;
    private final Pages pages;

    Teardown(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    /** Off the LRU, uncharged, back to the allocator (the last put_page of a page). */
    public void releasePage(int pfn) {
        if (pages.test(pfn, PageFlags.PG_LRU)) {
            m.lruvecOf(pfn).delete(pfn);
        }
        m.charging().uncharge(pfn);
        m.freePage(pfn);
    }

    /** zap_pte_range for one anonymous page table slot. */
    public void zapAnon(Task t, long vpage) {
        int e = t.anon.get(vpage);
        if (Entry.isPage(e)) {
            int pfn = Entry.pfn(e);
            t.anonVma.unmap(vpage);
            pages.setMapcount(pfn, 0);
            t.rssAnon--;
            t.anon.set(vpage, Entry.EMPTY);
            if (pages.test(pfn, PageFlags.PG_ISOLATED)) {
                throw new IllegalStateException("zap of isolated pfn " + pfn);
            }
            if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
                m.swapCache().delete(pfn);
            }
            releasePage(pfn);
        } else if (Entry.isSwap(e)) {
            t.anon.set(vpage, Entry.EMPTY);
            t.swapEnts--;
            m.swapCache().swapFree(Entry.payload(e));
        }
    }

    /** munmap of the newest {@code count} pages of the task's anonymous memory. */
    public long freeNewestAnon(Task t, long count) {
        long top = t.anonVma.pages();
        long bottom = Math.max(0, top - count);
        for (long v = top - 1; v >= bottom; v--) {
            zapAnon(t, v);
        }
        t.anon.truncate(bottom);
        shrinkAnonVma(t, bottom);
        return top - bottom;
    }

    private static void shrinkAnonVma(Task t, long newPages) {
        // The heap shrinks from the top: a fresh vma of the new size keeps the page counts honest.
        long old = t.anonVma.pages();
        if (newPages < old) {
            t.anonVma.truncateTo(newPages);
        }
    }

    /** exit_mmap: every anonymous page and swap entry goes; file mappings are dropped. */
    public void exitMmap(Task t) {
        freeNewestAnon(t, t.anonVma.pages());
        for (Vma vma : t.fileVmas()) {
            CachedFile f = m.files.byId(vma.fileId());
            for (long idx = vma.start(); idx < vma.start() + vma.pages(); idx++) {
                int e = f.pages.get(idx);
                if (Entry.isPage(e)) {
                    m.rmap().unmapFile(vma, idx, Entry.pfn(e));
                }
            }
            f.removeMapping(vma);
        }
        t.clearFileVmas();
    }

    /** truncate_inode_pages on unlink: page cache pages, shadows and tmpfs swap entries go. */
    public void truncate(CachedFile f) {
        for (long idx = 0; idx < f.pages.length(); idx++) {
            int e = f.pages.get(idx);
            if (Entry.isPage(e)) {
                int pfn = Entry.pfn(e);
                m.rmap().unmapAllFile(pfn);
                m.writeback().forget(pfn);
                f.pages.set(idx, Entry.EMPTY);
                f.nrpages--;
                releasePage(pfn);
            } else if (Entry.isShadow(e)) {
                m.shadows.free(Entry.payload(e));
                f.pages.set(idx, Entry.EMPTY);
                f.nrShadows--;
            } else if (Entry.isSwap(e)) {
                f.pages.set(idx, Entry.EMPTY);
                m.swapCache().swapFree(Entry.payload(e));
            }
        }
        f.pages.truncate(0);
        f.sizePages = 0;
        for (Vma vma : f.mappings()) {
            vma.task().removeFileVma(vma);
        }
        f.clearMappings();
    }
}
