package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.page.Pages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * struct mem_cgroup: one memory cgroup with its page counters, knobs, statistics, events and
 * one lruvec per node. The knobs hold what was written; which of them a kernel honours, and
 * how, is the kernel's business.
 */
public final class MemCgroup {
    private final int id;
    private final String path;
    private final MemCgroup parent;
    private final List<MemCgroup> children = new ArrayList<>();
    private final List<Integer> taskIds = new ArrayList<>();
    private final Lruvec[] lruvecs;

    public final PageCounter memory;
    /** memory+swap (v1 memsw); the kernels keep it beside memory. */
    public final PageCounter memsw;
    /** cgroup v2 swap counter (memory.swap.max / swap.current). */
    public final PageCounter swap;

    public final PageCounter kmem;

    /** memory.soft_limit_in_bytes, in pages. */
    public long softLimit = PageCounter.MAX;
    /** memory.swappiness (v1), inherited from the parent at creation. */
    public int swappiness;
    /** memory.use_hierarchy (v1). */
    public boolean useHierarchy;
    /** memory.oom_control oom_kill_disable (v1). */
    public boolean oomKillDisable;
    /** memory.oom.group. */
    public boolean oomGroup;
    /** memory.move_charge_at_immigrate (v1). */
    public int moveChargeAtImmigrate;
    /** memory.swap.high, in pages (5.18). */
    public long swapHigh = PageCounter.MAX;
    /** under_oom: tasks of this memcg or a descendant are in a memcg OOM. */
    public int underOom;
    /** oom_lock: this subtree's OOM is being handled. */
    public boolean oomLock;

    private final long[] stat = new long[MemcgStat.values().length];
    private final long[] events = new long[VmEvent.values().length];
    private final long[] memoryEvents = new long[MemoryEvent.values().length];
    private final long[] memoryEventsLocal = new long[MemoryEvent.values().length];

    /**
     * Create a memcg. Counters link to the parent's only when {@code hierarchical}: a v1 child
     * of a parent with use_hierarchy=0 has no parent counter.
     */
    public MemCgroup(
            int id,
            String path,
            MemCgroup parent,
            boolean hierarchical,
            int nodes,
            Pages pages,
            PageCounter.Propagation propagation) {
        this.id = id;
        this.path = path;
        this.parent = parent;
        boolean link = parent != null && hierarchical;
        this.memory = new PageCounter("memory", this, link ? parent.memory : null, propagation);
        this.memsw = new PageCounter("memory+swap", this, link ? parent.memsw : null, propagation);
        this.swap = new PageCounter("swap", this, link ? parent.swap : null, propagation);
        this.kmem = new PageCounter("kmem", this, link ? parent.kmem : null, propagation);
        this.lruvecs = new Lruvec[nodes];
        for (int n = 0; n < nodes; n++) {
            lruvecs[n] = new Lruvec(pages, id, n);
        }
        if (parent != null) {
            parent.children.add(this);
        }
    }

    public int id() {
        return id;
    }

    public String path() {
        return path;
    }

    public MemCgroup parent() {
        return parent;
    }

    public boolean isRoot() {
        return parent == null;
    }

    public List<MemCgroup> children() {
        return Collections.unmodifiableList(children);
    }

    public Lruvec lruvec(int node) {
        return lruvecs[node];
    }

    public int nodes() {
        return lruvecs.length;
    }

    /** Sum of one LRU list over every node of this memcg only. */
    public long lruSize(int lru) {
        long sum = 0;
        for (Lruvec l : lruvecs) {
            sum += l.size(lru);
        }
        return sum;
    }

    /** mem_cgroup_iter's walk: this memcg, then its descendants, pre-order, in creation order. */
    public void forEachInSubtree(Consumer<MemCgroup> action) {
        action.accept(this);
        for (MemCgroup child : children) {
            child.forEachInSubtree(action);
        }
    }

    /** Every memcg below this one in the cgroup tree, pre-order, whatever use_hierarchy says. */
    public List<MemCgroup> subtree() {
        List<MemCgroup> list = new ArrayList<>();
        forEachInSubtree(list::add);
        return list;
    }

    /**
     * What mem_cgroup_iter walks under this memcg (for_each_mem_cgroup_tree, reclaim, OOM task
     * scans): the whole subtree, except that a v1 memcg without use_hierarchy (other than the
     * root cgroup) is walked alone.
     */
    public List<MemCgroup> hierarchy() {
        if (!useHierarchy && !isRoot()) {
            return List.of(this);
        }
        return subtree();
    }

    /**
     * mem_cgroup_is_descendant: {@code other} is this memcg, or below it while this memcg uses
     * hierarchy (a v1 memcg with use_hierarchy=0 has no descendants in this sense).
     */
    public boolean isAncestorOf(MemCgroup other) {
        if (other == this) {
            return true;
        }
        if (!useHierarchy) {
            return false;
        }
        for (MemCgroup m = other; m != null; m = m.parent) {
            if (m == this) {
                return true;
            }
        }
        return false;
    }

    public List<Integer> taskIds() {
        return Collections.unmodifiableList(taskIds);
    }

    public void attachTask(int taskId) {
        taskIds.add(taskId);
    }

    public void detachTask(int taskId) {
        taskIds.remove(Integer.valueOf(taskId));
    }

    public long stat(MemcgStat item) {
        return stat[item.ordinal()];
    }

    public void modStat(MemcgStat item, long delta) {
        long v = stat[item.ordinal()] + delta;
        if (v < 0) {
            throw new IllegalStateException(item + " of " + path + " would go negative");
        }
        stat[item.ordinal()] = v;
    }

    /** The stat summed over this memcg and its descendants (the total_* and v2 values). */
    public long treeStat(MemcgStat item) {
        long[] sum = {0};
        forEachInSubtree(m -> sum[0] += m.stat(item));
        return sum[0];
    }

    public long event(VmEvent e) {
        return events[e.ordinal()];
    }

    public void countEvent(VmEvent e, long n) {
        events[e.ordinal()] += n;
    }

    public long treeEvent(VmEvent e) {
        long[] sum = {0};
        forEachInSubtree(m -> sum[0] += m.event(e));
        return sum[0];
    }

    /** The subtree's LRU list size (lruvec_page_state summed hierarchically). */
    public long treeLruSize(int lru) {
        long[] sum = {0};
        forEachInSubtree(m -> sum[0] += m.lruSize(lru));
        return sum[0];
    }

    public long memoryEvent(MemoryEvent e) {
        return memoryEvents[e.ordinal()];
    }

    public long memoryEventLocal(MemoryEvent e) {
        return memoryEventsLocal[e.ordinal()];
    }

    /**
     * memcg_memory_event: count an event here; with {@code propagate} (5.18 cgroup v2) also in
     * every ancestor below the root.
     */
    public void raiseMemoryEvent(MemoryEvent e, boolean propagate) {
        memoryEventsLocal[e.ordinal()]++;
        memoryEvents[e.ordinal()]++;
        if (propagate) {
            for (MemCgroup m = parent; m != null && !m.isRoot(); m = m.parent) {
                m.memoryEvents[e.ordinal()]++;
            }
        }
    }

    @Override
    public String toString() {
        return path;
    }
}
