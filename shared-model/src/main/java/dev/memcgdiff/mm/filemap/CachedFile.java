package dev.memcgdiff.mm.filemap;

import dev.memcgdiff.mm.page.EntryArray;
import dev.memcgdiff.mm.task.Vma;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An inode and its address_space: the page cache (index to page, shadow or, for tmpfs, swap
 * entry), the file size, and the vmas that map it (i_mmap, for page_referenced and unmapping).
 */
public final class CachedFile {
    private final int id;
    private final String path;
    private final boolean tmpfs;
    /** mapping->i_pages. */
    public final EntryArray pages = new EntryArray();
    /** i_size in pages: how far the file has been written (files read from disk grow on demand). */
    public long sizePages;
    /** mapping->nrpages: resident pages in the cache. */
    public long nrpages;
    /** Shadow entries in the cache (mapping->nrexceptional / nrshadows). */
    public long nrShadows;
    /** Dirty page cache pages of this file (not under writeback). */
    public long nrDirty;
    /** inode->dirtied_when: when the file went from clean to dirty, ns; -1 while clean. */
    public long dirtiedWhen = -1;
    /** mapping->writeback_index: where the flusher resumes in this file. */
    public long writebackIndex;

    private final List<Vma> mappings = new ArrayList<>();
    private boolean unlinked;

    public CachedFile(int id, String path, boolean tmpfs) {
        this.id = id;
        this.path = path;
        this.tmpfs = tmpfs;
    }

    public int id() {
        return id;
    }

    public String path() {
        return path;
    }

    /** shmem_mapping: the file lives on tmpfs (swap-backed, no disk behind it). */
    public boolean tmpfs() {
        return tmpfs;
    }

    public List<Vma> mappings() {
        return Collections.unmodifiableList(mappings);
    }

    public void addMapping(Vma vma) {
        mappings.add(vma);
    }

    public void removeMapping(Vma vma) {
        mappings.remove(vma);
    }

    public void clearMappings() {
        mappings.clear();
    }

    public boolean unlinked() {
        return unlinked;
    }

    public void markUnlinked() {
        unlinked = true;
    }
}
