package dev.memcgdiff.scenario;

import java.util.List;

/** A cgroup of the tree: its path (never "/") and the knobs written at creation, in file order. */
public record CgroupSpec(String path, List<Knob> knobs, SourcePos pos) {
    public CgroupSpec {
        knobs = List.copyOf(knobs);
    }

    /** The parent path: "/" for a top-level cgroup. */
    public String parentPath() {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
