package dev.memcgdiff.mm.vmscan;

import dev.memcgdiff.mm.memcg.MemCgroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * mem_cgroup_iter with a reclaim cookie (3.10 and 4.18): reclaimers of the same root, node (3.10:
 * zone) and priority share one cursor, so each limit reclaim resumes the pre-order walk after the
 * memcg where the previous one stopped. A walk that did not start at the top ends at the end of
 * the tree; one that did wraps around once so that it sees at least one memcg.
 */
public final class MemcgIter {
    private final Map<Long, MemCgroup> positions = new HashMap<>();

    private static long key(MemCgroup root, int node, int priority) {
        return ((long) root.id() << 32) | ((long) node << 8) | priority;
    }

    /** A walk in progress: call {@link #next()} until it returns null, or {@link #stop()}. */
    public final class Walk {
        private final long key;
        private final List<MemCgroup> order;
        private int at;
        private boolean first = true;
        private boolean wrapped;

        private Walk(long key, List<MemCgroup> order, int start) {
            this.key = key;
            this.order = order;
            this.at = start;
        }

        /** The next memcg to reclaim from, or null when this walk is over. */
        public MemCgroup next() {
            if (at >= order.size()) {
                if (!first || wrapped) {
                    positions.put(key, null);
                    return null;
                }
                wrapped = true;
                at = 0;
            }
            first = false;
            MemCgroup m = order.get(at++);
            positions.put(key, m);
            return m;
        }

        /** mem_cgroup_iter_break: leave the cursor where it is. */
        public void stop() {
            // The cursor already points at the last memcg returned.
        }
    }

    /** Start (or resume) the shared walk under {@code root}. */
    public Walk start(MemCgroup root, int node, int priority) {
        long k = key(root, node, priority);
        List<MemCgroup> order = root.hierarchy();
        MemCgroup last = positions.get(k);
        int start = last == null ? 0 : order.indexOf(last) + 1;
        if (start < 0) {
            start = 0;
        }
        return new Walk(k, order, start);
    }
}
