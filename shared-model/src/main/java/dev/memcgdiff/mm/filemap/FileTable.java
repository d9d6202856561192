package dev.memcgdiff.mm.filemap;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The host's files by path: one page cache for the whole host, shared by every task. */
public final class FileTable {
    private final TreeMap<String, CachedFile> byPath = new TreeMap<>();
    private final List<CachedFile> byId = new ArrayList<>();

    /** Look a file up, creating it on first use (files named by read/write steps exist on disk). */
    public CachedFile open(String path) {
        CachedFile f = byPath.get(path);
        if (f == null) {
            f = new CachedFile(byId.size(), path, isTmpfs(path));
            byPath.put(path, f);
            byId.add(f);
        }
        return f;
    }

    /** The live file at this path, or null. */
    public CachedFile lookup(String path) {
        return byPath.get(path);
    }

    public CachedFile byId(int id) {
        return byId.get(id);
    }

    /** Forget the path: a later open creates a new inode; the old one lives while pages remain. */
    public void unlink(CachedFile f) {
        byPath.remove(f.path(), f);
        f.markUnlinked();
    }

    /** Every inode ever created, in creation order (unlinked ones included). */
    public List<CachedFile> all() {
        return List.copyOf(byId);
    }

    public static boolean isTmpfs(String path) {
        return path.startsWith("/dev/shm/") || path.startsWith("/tmp/");
    }
}
