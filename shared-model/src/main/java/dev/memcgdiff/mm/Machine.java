package dev.memcgdiff.mm;

import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.mm.filemap.FileTable;
import dev.memcgdiff.mm.filemap.ShadowTable;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.ChargeStock;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.psi.Psi;
import dev.memcgdiff.mm.swap.SwapDevice;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.ThpMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated host: page frames, nodes, swap, the page cache, memory cgroups and tasks, with
 * the mechanisms every kernel version uses the same way. Kernel versions decide; the machine does.
 */
public final class Machine {
    public final Pages pages;
    public final Node[] nodes;
    public final SwapDevice swap;
    public final FileTable files = new FileTable();
    public final ShadowTable shadows = new ShadowTable();
    public final Trace trace = new Trace();
    /** Simulated time: one clock per run. */
    public final Clock clock = new Clock();
    /** memcg_oom_waitq: the tasks asleep in the memcg OOM (mm/memcontrol.c, one per host). */
    public final MemcgOomWaitq memcgOomWaitq = new MemcgOomWaitq(clock, trace);
    /** The disk regular files live on (host.disk). */
    public final BlockDevice disk;
    /** The disk swap I/O goes to: host.swap_disk, else {@link #disk}. */
    public final BlockDevice swapDisk;

    public final ChargeStock stock;
    public final CgroupInterface cgroupInterface;
    /** v1 memsw accounting (CONFIG_MEMCG_SWAP with swapaccount=1, the RHEL default). */
    public final boolean swapAccount;
    /** vm.swappiness. */
    public final int vmSwappiness;

    public final ThpMode thp;
    /** vm.min_free_kbytes as configured, or -1: the kernel computes it. */
    public final long minFreeKbytesSetting;
    /** host.fs: the filesystem regular files live on. */
    public final HostSpec.Fs fs;
    /** vm.min_free_kbytes in effect (set by the kernel at boot). */
    public long minFreeKbytes;

    private final int pagesPerNode;
    private final List<MemCgroup> memcgs = new ArrayList<>();
    private final Map<String, MemCgroup> memcgByPath = new TreeMap<>();
    private final List<Task> tasks = new ArrayList<>();
    private final long[] vmstat = new long[VmEvent.values().length];
    private final List<OomKillRecord> oomKills = new ArrayList<>();
    private final Charging charging;
    private final SwapCache swapCache;
    private final Writeback writeback;
    private final Rmap rmap;
    private final Teardown teardown;
    private final HostSpec.Psi psiSetting;
    private final int cpus;
    private Psi psi = Psi.OFF;
    private KernelOps ops;
    private MemCgroup root;

    /** The step being run and the task running it (current), for records and the OOM report. */
    public int step = -1;

    public Task current;
    /** The path the current allocation or charge comes from, for OOM reports. */
    public CallSite site = CallSite.ANON_FAULT;
    /** A {@code together} step is running: tasks sleep on their own time, not on the machine's. */
    public boolean concurrent;
    /** The kernel panicked (no killable task on a global OOM): nothing runs after. */
    public String panic;

    public Machine(HostSpec host, CgroupInterface cgroupInterface) {
        long total = host.memoryPages();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("host memory too large for the model: " + total + " pages");
        }
        this.pages = new Pages((int) total);
        this.nodes = new Node[host.nodes()];
        this.pagesPerNode = (int) (total / host.nodes());
        for (int n = 0; n < nodes.length; n++) {
            int start = n * pagesPerNode;
            int end = n == nodes.length - 1 ? (int) total : start + pagesPerNode;
            nodes[n] = new Node(n, start, end, pages);
        }
        this.swap = new SwapDevice(host.swapPages());
        this.cgroupInterface = cgroupInterface;
        this.swapAccount = true;
        this.vmSwappiness = host.swappiness();
        this.thp = host.thp();
        this.minFreeKbytesSetting = host.minFreeKbytes();
        this.fs = host.fs();
        this.stock = new ChargeStock(memswCharged());
        this.charging = new Charging(this);
        this.swapCache = new SwapCache(this);
        this.disk = new BlockDevice(
                "disk",
                host.disk().readBps(),
                host.disk().writeBps(),
                host.disk().latencyNs());
        this.swapDisk = host.swapDisk() == null
                ? disk
                : new BlockDevice(
                        "swap",
                        host.swapDisk().readBps(),
                        host.swapDisk().writeBps(),
                        host.swapDisk().latencyNs());
        this.writeback = new Writeback(this, host.dirty(), host.fs(), disk);
        this.rmap = new Rmap(this);
        this.teardown = new Teardown(this);
        this.psiSetting = host.psi();
        this.cpus = host.cpus();
    }

    /** Attach the kernel and create the root memcg; called once by the runner after boot. */
    public void attach(KernelOps kernelOps) {
        if (this.ops != null) {
            throw new IllegalStateException("kernel already attached");
        }
        this.ops = kernelOps;
        memcgs.add(null); // id 0: no memcg
        KernelTraits traits = kernelOps.traits();
        root = new MemCgroup(1, "/", null, false, nodes.length, pages, traits.protectedUsagePropagation());
        memcgs.add(root);
        memcgByPath.put("/", root);
        psi = Psi.boot(traits.psi(), psiSetting, cpus, cgroupInterface);
        psi.cgroupCreated(root, clock.now());
        kernelOps.memcg().cgroupCreated(root);
        Watermarks.setup(this, traits.minFreeKbytesMax(), traits.watermarkFormula());
    }

    /**
     * {@code t} sleeps for {@code ns} (a throttle: a memory.high penalty, reclaim_throttle).
     * Alone, the machine's time passes and whatever falls due runs; in a {@code together} step the
     * task only owes the sleep and the other tasks run meanwhile. PSI sees the task asleep, not in
     * iowait; inside a memory stall section (psi_memstall_enter) the sleep is a memory stall.
     *
     * @return whether the time has passed (false: the sleep is owed)
     */
    public boolean sleep(Task t, long ns) {
        return sleep(t, ns, false);
    }

    /**
     * {@code t} sleeps for {@code ns} in io_schedule_timeout (balance_dirty_pages, congestion_wait):
     * the same as {@link #sleep}, in iowait for PSI.
     */
    public boolean ioSleep(Task t, long ns) {
        return sleep(t, ns, true);
    }

    private boolean sleep(Task t, long ns, boolean io) {
        psi.sleep(t, clock.now(), ns, io, concurrent && t != null);
        if (concurrent && t != null) {
            t.sleepUntil = Math.max(t.sleepUntil, clock.now() + ns);
            return false;
        }
        clock.runUntil(clock.now() + ns);
        return true;
    }

    /**
     * The current task waits in io_schedule until {@code t} (a read it needs, a page under
     * writeback): the clock moves there, and PSI sees the task off its CPU in iowait.
     */
    public void ioWaitUntil(long t) {
        psi.ioWait(current, clock.now(), t);
        clock.runUntil(t);
    }

    /** Pressure stall information (kernel/sched/psi.c); {@link Psi#OFF} when the run records none. */
    public Psi psi() {
        return psi;
    }

    public KernelOps ops() {
        return ops;
    }

    /** The attached kernel's facts. */
    public KernelTraits traits() {
        return ops.traits();
    }

    /**
     * memcg_memory_event: count a memory.events event in {@code memcg} and, where this kernel
     * propagates events, in its ancestors.
     */
    public void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
        switch (ops.traits().memoryEvents()) {
            case NONE -> {}
            case LOCAL -> memcg.raiseMemoryEvent(event, false);
            case HIERARCHICAL_ON_V2 -> memcg.raiseMemoryEvent(event, cgroupInterface == CgroupInterface.V2);
        }
    }

    public Charging charging() {
        return charging;
    }

    public Writeback writeback() {
        return writeback;
    }

    public SwapCache swapCache() {
        return swapCache;
    }

    public Rmap rmap() {
        return rmap;
    }

    public Teardown teardown() {
        return teardown;
    }

    /** do_memsw_account: v1 with swap accounting, where memory+swap is charged with memory. */
    public boolean memswCharged() {
        return cgroupInterface == CgroupInterface.V1 && swapAccount;
    }

    // ---- memcgs ----

    public MemCgroup root() {
        return root;
    }

    public MemCgroup createMemcg(String path, MemCgroup parent) {
        if (memcgByPath.containsKey(path)) {
            throw new IllegalArgumentException("cgroup " + path + " exists");
        }
        MemCgroup m = new MemCgroup(
                memcgs.size(),
                path,
                parent,
                ops.memcg().linksToParent(parent),
                nodes.length,
                pages,
                ops.traits().protectedUsagePropagation());
        memcgs.add(m);
        memcgByPath.put(path, m);
        psi.cgroupCreated(m, clock.now());
        ops.memcg().cgroupCreated(m);
        return m;
    }

    public MemCgroup memcg(int id) {
        return memcgs.get(id);
    }

    public MemCgroup memcg(String path) {
        return memcgByPath.get(path);
    }

    /** Every memcg, root first, then in creation order (parents before children). */
    public List<MemCgroup> memcgs() {
        return Collections.unmodifiableList(memcgs.subList(1, memcgs.size()));
    }

    // ---- tasks ----

    public Task createTask(String comm, int pid, int uid, int oomScoreAdj, MemCgroup memcg) {
        Task t = new Task(tasks.size(), comm, pid, uid, oomScoreAdj, memcg);
        tasks.add(t);
        memcg.attachTask(t.id());
        psi.moved(t, memcg, clock.now());
        return t;
    }

    public Task task(int id) {
        return tasks.get(id);
    }

    public List<Task> tasks() {
        return Collections.unmodifiableList(tasks);
    }

    public void moveTask(Task t, MemCgroup to) {
        t.memcg().detachTask(t.id());
        to.attachTask(t.id());
        t.setMemcg(to);
        psi.moved(t, to, clock.now());
    }

    // ---- pages and nodes ----

    public int nodeOf(int pfn) {
        int n = pfn / pagesPerNode;
        return Math.min(n, nodes.length - 1);
    }

    /** mem_cgroup_page_lruvec: the lruvec of the page's memcg on the page's node (root for uncharged). */
    public Lruvec lruvecOf(int pfn) {
        int id = pages.memcg(pfn);
        MemCgroup m = id == 0 ? root : memcgs.get(id);
        return m.lruvec(nodeOf(pfn));
    }

    /** The memcg a page is charged to, or root when it is not charged. */
    public MemCgroup memcgOf(int pfn) {
        int id = pages.memcg(pfn);
        return id == 0 ? root : memcgs.get(id);
    }

    /** The node a task allocates from first: tasks are spread over nodes by id. */
    public int homeNode(Task t) {
        return t == null ? 0 : t.id() % nodes.length;
    }

    /**
     * get_page_from_freelist for order 0: the first node of the zonelist (home node first) whose
     * free pages stay above {@code markOf(node)} after the allocation; -1 when none.
     */
    public int takeFreePage(Task t, WatermarkLevel level) {
        int home = homeNode(t);
        for (int i = 0; i < nodes.length; i++) {
            Node node = nodes[(home + i) % nodes.length];
            if (level == WatermarkLevel.NONE ? node.nrFree() > 0 : node.watermarkOk(level.of(node))) {
                int pfn = node.takeFree();
                if (pfn != Pages.NONE) {
                    return pfn;
                }
            }
        }
        return Pages.NONE;
    }

    /** Which watermark an allocation attempt must stay above. */
    public enum WatermarkLevel {
        LOW,
        MIN,
        HIGH,
        NONE;

        long of(Node n) {
            return switch (this) {
                case LOW -> n.wmarkLow();
                case MIN -> n.wmarkMin();
                case HIGH -> n.wmarkHigh();
                case NONE -> 0;
            };
        }
    }

    public void freePage(int pfn) {
        nodes[nodeOf(pfn)].free(pfn);
    }

    public long freePages() {
        long f = 0;
        for (Node n : nodes) {
            f += n.nrFree();
        }
        return f;
    }

    // ---- events ----

    /** count_vm_event plus count_memcg_events on {@code memcg} (null: host only). */
    public void countEvent(VmEvent e, MemCgroup memcg, long n) {
        vmstat[e.ordinal()] += n;
        if (memcg != null) {
            memcg.countEvent(e, n);
        }
    }

    /** A memcg event that the host-wide /proc/vmstat does not see. */
    public void countMemcgOnly(VmEvent e, MemCgroup memcg, long n) {
        memcg.countEvent(e, n);
    }

    /** A host-wide event only (__count_vm_events). */
    public void countHostEvent(VmEvent e, long n) {
        vmstat[e.ordinal()] += n;
    }

    public long vmEvent(VmEvent e) {
        return vmstat[e.ordinal()];
    }

    // ---- OOM kills ----

    public void recordKill(OomKillRecord kill) {
        oomKills.add(kill);
        if (onKill != null) {
            onKill.accept(kill);
        }
    }

    /** Told of every kill as it is recorded (the report's time sampler), or null: it only reads. */
    public Consumer<OomKillRecord> onKill;

    /** How many OOM kills so far (cheap, for the hot fault loop). */
    public int oomKillCount() {
        return oomKills.size();
    }

    public List<OomKillRecord> oomKills() {
        return Collections.unmodifiableList(oomKills);
    }
}
