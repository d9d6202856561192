package dev.memcgdiff.mm;

import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;

/**
 * Reverse mapping (mm/rmap.c): from a physical page to every pte that maps it. page_referenced
 * tests and clears the accessed bit through each mapping, which is why reclaim asks the physical
 * page and not a virtual address (docs/QUESTIONS.md §13); try_to_unmap removes every pte.
 */
public final class Rmap {
    private final Machine m;
    private final Pages pages;

    Rmap(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    /**
     * page_referenced: how many ptes mapping this page had their accessed bit set, clearing
     * them, and the VM_EXEC / VM_LOCKED flags of the vmas they were in. With a {@code target} memcg (memcg reclaim) only mappings of tasks in its subtree count
     * (invalid_page_referenced_vma / mm_match_cgroup).
     */
    public Referenced pageReferenced(int pfn, MemCgroup target) {
        if (pages.mapcount(pfn) == 0) {
            return Referenced.NONE;
        }
        if (pages.isAnon(pfn)) {
            Task t = m.task(pages.mapping(pfn));
            Vma vma = t.anonVma;
            if (matches(t, target) && vma.isPresent(pages.index(pfn)) && vma.testAndClearYoung(pages.index(pfn))) {
                return new Referenced(1, false, vma.locked());
            }
            return Referenced.NONE;
        }
        int referenced = 0;
        boolean exec = false;
        boolean locked = false;
        CachedFile f = m.files.byId(pages.mapping(pfn));
        long idx = pages.index(pfn);
        for (Vma vma : f.mappings()) {
            if (vma.covers(idx) && vma.isPresent(idx) && matches(vma.task(), target) && vma.testAndClearYoung(idx)) {
                referenced++;
                exec |= vma.exec();
                locked |= vma.locked();
            }
        }
        return referenced == 0 && !exec && !locked ? Referenced.NONE : new Referenced(referenced, exec, locked);
    }

    private static boolean matches(Task t, MemCgroup target) {
        return target == null || target.isAncestorOf(t.memcg());
    }

    /** Map a new anonymous page at {@code vpage} of the task (page_add_new_anon_rmap + set_pte). */
    public void mapNewAnon(Task t, long vpage, int pfn) {
        pages.set(pfn, PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED);
        pages.setMapping(pfn, t.id(), (int) vpage);
        pages.setMapcount(pfn, 1);
        t.anon.set(vpage, Entry.page(pfn));
        t.anonVma.grow(vpage + 1);
        t.anonVma.map(vpage);
        t.rssAnon++;
    }

    /** Map an anonymous page that came back from swap (do_swap_page). */
    public void mapSwappedIn(Task t, long vpage, int pfn) {
        pages.setMapcount(pfn, 1);
        t.anon.set(vpage, Entry.page(pfn));
        t.anonVma.map(vpage);
        t.rssAnon++;
        t.swapEnts--;
    }

    /** page_add_file_rmap + set_pte for one page of a file vma. */
    public void mapFile(Vma vma, long idx, int pfn) {
        if (vma.isPresent(idx)) {
            vma.markYoung(idx);
            return;
        }
        int count = pages.mapcount(pfn);
        pages.setMapcount(pfn, count + 1);
        if (count == 0) {
            m.charging().mappedChanged(pfn, true);
        }
        vma.map(idx);
        if (pages.isShmem(pfn)) {
            vma.task().rssShmem++;
        } else {
            vma.task().rssFile++;
        }
    }

    /** page_remove_rmap + pte clear for one page of a file vma. */
    public void unmapFile(Vma vma, long idx, int pfn) {
        if (!vma.isPresent(idx)) {
            return;
        }
        vma.unmap(idx);
        int count = pages.mapcount(pfn) - 1;
        pages.setMapcount(pfn, count);
        if (count == 0) {
            m.charging().mappedChanged(pfn, false);
        }
        if (pages.isShmem(pfn)) {
            vma.task().rssShmem--;
        } else {
            vma.task().rssFile--;
        }
    }

    /** Remove every file mapping of a page (truncation, or try_to_unmap of a page cache page). */
    public void unmapAllFile(int pfn) {
        if (pages.mapcount(pfn) == 0) {
            return;
        }
        CachedFile f = m.files.byId(pages.mapping(pfn));
        long idx = pages.index(pfn);
        for (Vma vma : f.mappings()) {
            if (vma.covers(idx)) {
                unmapFile(vma, idx, pfn);
            }
        }
    }

    /**
     * try_to_unmap: take the page out of every page table. An anonymous page must already be in
     * the swap cache: its pte becomes the swap entry.
     *
     * @return false when a mapping is VM_LOCKED (SWAP_MLOCK / try_to_unmap fails)
     */
    public boolean tryToUnmap(int pfn) {
        if (pages.mapcount(pfn) == 0) {
            return true;
        }
        if (pages.isAnon(pfn)) {
            Task t = m.task(pages.mapping(pfn));
            if (t.anonVma.locked()) {
                return false;
            }
            long vpage = pages.index(pfn);
            int slot = pages.priv(pfn);
            t.anon.set(vpage, Entry.swap(slot));
            m.swap.dup(slot);
            t.anonVma.unmap(vpage);
            t.rssAnon--;
            t.swapEnts++;
            pages.setMapcount(pfn, 0);
            return true;
        }
        CachedFile f = m.files.byId(pages.mapping(pfn));
        long idx = pages.index(pfn);
        for (Vma vma : f.mappings()) {
            if (vma.covers(idx) && vma.isPresent(idx) && vma.locked()) {
                return false;
            }
        }
        unmapAllFile(pfn);
        return true;
    }
}
