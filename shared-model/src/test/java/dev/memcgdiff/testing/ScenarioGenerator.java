package dev.memcgdiff.testing;

import dev.memcgdiff.scenario.CgroupInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded random scenario generator of every test that generates scenarios. The same seed always
 * gives the same text, and the text names its seed ({@code seed:} and the scenario's name), so a
 * failure reported with the scenario can be replayed from the seed alone. Two shapes:
 *
 * <ul>
 * <li>{@link #generate(long)}: a random but valid scenario file (docs/scenario-format.md) of the
 * whole format: a small host (64M..512M, with or without swap, one or two nodes), cgroup v1 or v2, a
 * tree of one to five cgroups with knobs of that interface, one to four tasks and five to thirty
 * steps of every kind. Sizes stay proportional to the host so that a run takes milliseconds while
 * still pushing the host and the cgroups into reclaim, swap and OOM. The property tests run it on
 * every kernel.</li>
 * <li>{@link #twoFlatMemcgs(CgroupInterface)}: two sibling memcgs /a and /b under the root, with
 * limits and no children (flat: each counter holds its own pages only), three tasks (t1 and t2 in
 * /a, t3 in /b) and eight to fifteen steps on a roomy 1G host, a snapshot after every step: the
 * accounting invariants of one kernel are checked at each snapshot.</li>
 * </ul>
 */
public final class ScenarioGenerator {
    /** Small hosts weigh more: every page is checked after every step. */
    private static final int[] HOST_MB = {
        64, 64, 64, 64, 64, 64, 64, 96, 96, 96, 128, 128, 128, 128, 128, 192, 192, 256, 384, 512
    };

    private static final int[] SWAP_MB = {16, 32, 64, 128, 256};
    private static final String[] TMPFS_FILES = {"/dev/shm/s0", "/dev/shm/s1", "/tmp/t0"};
    private static final String[] DISK_FILES = {"/data/f0", "/data/f1", "/usr/lib/libx.so", "/var/log/app.log"};
    private static final String[] OPS = {
        "anon",
        "anon",
        "anon",
        "shmem",
        "shmem",
        "read",
        "read",
        "write",
        "mmap",
        "touch",
        "touch",
        "free",
        "unlink",
        "set",
        "set",
        "move",
        "host",
        "exit",
        "snapshot"
    };

    private final SplittableRandom r;
    private final long seed;
    private final StringBuilder out = new StringBuilder();
    private final List<String> cgroups = new ArrayList<>();
    private final List<String> alive = new ArrayList<>();
    private boolean v1;
    private int hostMb;
    private int snapshots;

    private ScenarioGenerator(long seed) {
        this.seed = seed;
        this.r = new SplittableRandom(seed);
    }

    /** The scenario text for {@code seed}: the whole format, see the class comment. */
    public static String generate(long seed) {
        return new ScenarioGenerator(seed).write();
    }

    /** Scenarios of two flat memcgs /a and /b of {@code cgroup}, see {@link TwoFlatMemcgs}. */
    public static TwoFlatMemcgs twoFlatMemcgs(CgroupInterface cgroup) {
        return new TwoFlatMemcgs(cgroup, false, false);
    }

    private String write() {
        line("name: prop-" + Long.toUnsignedString(seed));
        line("title: generated from seed " + seed);
        line("seed: " + seed);
        host();
        v1 = r.nextBoolean();
        line("cgroup: " + (v1 ? "v1" : "v2"));
        cgroupTree();
        tasks();
        steps();
        return out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    private <T> T pick(T[] items) {
        return items[r.nextInt(items.length)];
    }

    private <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    private void host() {
        hostMb = HOST_MB[r.nextInt(HOST_MB.length)];
        line("host:");
        line("  memory: " + hostMb + "M");
        if (chance(60)) {
            line("  swap: " + SWAP_MB[r.nextInt(SWAP_MB.length)] + "M");
        } else if (chance(20)) {
            line("  swap: 0");
        }
        if (chance(40)) {
            line("  nodes: 2");
        }
        if (chance(10)) {
            line("  min_free_kbytes: " + r.nextInt(128, 4097));
        }
        if (chance(25)) {
            line("  thp: " + (chance(60) ? "always" : chance(50) ? "madvise" : "never"));
        }
        if (chance(25)) {
            line("  swappiness: " + r.nextInt(0, 101));
        }
    }

    // ------------------------------------------------------------------ cgroups

    private void cgroupTree() {
        int n = r.nextInt(1, 6);
        line("cgroups:");
        for (int i = 0; i < n; i++) {
            String parent = cgroups.isEmpty() || chance(35) ? "/" : pick(cgroups);
            String path = (parent.equals("/") ? "" : parent) + "/c" + i;
            cgroups.add(path);
            List<String> knobs = knobs(r.nextInt(0, 4), true);
            if (knobs.isEmpty()) {
                line("  " + path + ": {}");
            } else {
                line("  " + path + ":");
                for (String k : knobs) {
                    line("    " + k);
                }
            }
        }
    }

    /** {@code count} distinct knob lines ("name: value") of the scenario's interface, in a sensible order. */
    private List<String> knobs(int count, boolean creation) {
        List<String> names = new ArrayList<>();
        String[] pool = v1
                ? new String[] {
                    "memory.use_hierarchy",
                    "memory.limit_in_bytes",
                    "memory.memsw.limit_in_bytes",
                    "memory.soft_limit_in_bytes",
                    "memory.swappiness",
                    "memory.oom_control",
                    "memory.move_charge_at_immigrate",
                    "memory.kmem.limit_in_bytes"
                }
                : new String[] {
                    "memory.max",
                    "memory.high",
                    "memory.low",
                    "memory.min",
                    "memory.swap.max",
                    "memory.oom.group",
                    "memory.swap.high"
                };
        if (v1 && creation && chance(60)) {
            names.add("memory.use_hierarchy"); // written first, before any child exists
        }
        int target = names.size() + count;
        for (int attempt = 0; names.size() < target && attempt < 4 * pool.length; attempt++) {
            String k = pick(pool);
            if (!names.contains(k) && keep(k)) {
                names.add(k);
            }
        }
        // the pool's order: limit before memsw, so that the usual memsw >= limit write succeeds
        List<String> ordered = new ArrayList<>();
        long limitMb = -1;
        for (String k : pool) {
            if (!names.contains(k)) {
                continue;
            }
            String value;
            if (k.equals("memory.limit_in_bytes") || k.equals("memory.max")) {
                long mb = r.nextLong(4, hostMb + 1);
                limitMb = mb;
                value = chance(85) ? mb + "M" : limit();
            } else if (k.equals("memory.memsw.limit_in_bytes")) {
                value = limitMb > 0 && chance(85) ? (limitMb + r.nextLong(0, 65)) + "M" : limit();
            } else {
                value = value(k);
            }
            ordered.add(k + ": " + value);
        }
        return ordered;
    }

    /** Rare knobs stay rare: oom_control puts faults to sleep (often until the end), swap.high makes 4.18 refuse the file. */
    private boolean keep(String knob) {
        return switch (knob) {
            case "memory.oom_control", "memory.kmem.limit_in_bytes" -> chance(15);
            case "memory.swap.high" -> chance(8);
            default -> true;
        };
    }

    private String value(String knob) {
        return switch (knob) {
            case "memory.use_hierarchy", "memory.oom_control", "memory.oom.group" -> chance(70) ? "1" : "0";
            case "memory.swappiness" -> Integer.toString(r.nextInt(0, 101));
            case "memory.move_charge_at_immigrate" -> Integer.toString(r.nextInt(0, 4));
            default -> limit();
        };
    }

    /** A limit: megabytes under the host size, exact bytes, a tiny value, or unlimited. */
    private String limit() {
        int roll = r.nextInt(100);
        if (roll < 55) {
            return r.nextLong(1, hostMb + 1) + "M";
        } else if (roll < 70) {
            return Long.toString(r.nextLong(1L << 20, (long) hostMb << 20));
        } else if (roll < 80) {
            return r.nextLong(4, 1025) + "K";
        } else if (roll < 90 || !v1) {
            return "max";
        }
        return "-1";
    }

    // ------------------------------------------------------------------ tasks

    private void tasks() {
        int n = r.nextInt(1, 5);
        line("tasks:");
        for (int i = 0; i < n; i++) {
            String name = "t" + i;
            alive.add(name);
            StringBuilder sb =
                    new StringBuilder("  ").append(name).append(": {cgroup: ").append(taskCgroup());
            if (chance(30)) {
                sb.append(", pid: ").append(20_000 + i * 7 + r.nextInt(7)); // never another task's default
            }
            if (chance(20)) {
                sb.append(", uid: ").append(r.nextInt(0, 65_536));
            }
            if (chance(35)) {
                sb.append(", oom_score_adj: ").append(r.nextInt(-1000, 1001));
            }
            line(sb.append('}').toString());
        }
    }

    private String taskCgroup() {
        return chance(85) ? pick(cgroups) : "/";
    }

    // ------------------------------------------------------------------ steps

    private void steps() {
        int n = r.nextInt(5, 31);
        line("steps:");
        for (int i = 0; i < n; i++) {
            line("  - " + step(i));
        }
    }

    private String step(int index) {
        String op = pick(OPS);
        if (alive.isEmpty() && !List.of("unlink", "set", "host", "snapshot").contains(op)) {
            op = chance(50) ? "host" : "snapshot";
        }
        return switch (op) {
            case "anon" -> "anon: {task: " + task() + ", size: " + size() + "}";
            case "shmem" -> "shmem: {task: " + task() + ", file: " + pick(TMPFS_FILES) + ", size: " + size() + "}";
            case "read" ->
                "read: {task: " + task() + ", file: " + pick(DISK_FILES) + ", size: " + size() + offset() + "}";
            case "write" -> "write: {task: " + task() + ", file: " + pick(DISK_FILES) + ", size: " + size() + "}";
            case "mmap" ->
                "mmap: {task: " + task() + ", file: " + pick(DISK_FILES) + ", size: " + size() + offset() + "}";
            case "touch" -> touch();
            case "free" -> "free: {task: " + task() + ", size: " + size() + "}";
            case "unlink" -> "unlink: {file: " + (chance(50) ? pick(TMPFS_FILES) : pick(DISK_FILES)) + "}";
            case "set" -> set();
            case "move" -> "move: {task: " + task() + ", cgroup: " + taskCgroup() + "}";
            case "host" -> "host: {size: " + size() + "}";
            case "exit" -> {
                String t = task();
                alive.remove(t);
                yield "exit: {task: " + t + "}";
            }
            case "snapshot" -> "snapshot: s" + (snapshots++);
            default -> throw new IllegalStateException("seed " + seed + ": " + op + " at step " + index);
        };
    }

    private String task() {
        return pick(alive);
    }

    private String touch() {
        String what = switch (r.nextInt(3)) {
            case 0 -> "anon";
            case 1 -> "shmem:" + pick(TMPFS_FILES);
            default -> "file:" + pick(DISK_FILES);
        };
        StringBuilder sb = new StringBuilder("touch: {task: ")
                .append(task())
                .append(", what: ")
                .append(what)
                .append(", size: ")
                .append(size());
        if (chance(50)) {
            sb.append(", pattern: ").append(chance(70) ? "random" : "sequential");
        }
        if (chance(40)) {
            sb.append(", passes: ").append(r.nextInt(1, 4));
        }
        return sb.append('}').toString();
    }

    private String set() {
        List<String> knobs = knobs(r.nextInt(1, 3), false);
        if (knobs.isEmpty()) {
            knobs = List.of(v1 ? "memory.soft_limit_in_bytes: " + limit() : "memory.high: " + limit());
        }
        return "set: {cgroup: " + pick(cgroups) + ", " + String.join(", ", knobs) + "}";
    }

    /** A step size: mostly small, sometimes a good part of the host, now and then more than it. */
    private String size() {
        int roll = r.nextInt(100);
        if (roll < 30) {
            return chance(50) ? Long.toString(r.nextLong(1, 1L << 20)) : r.nextLong(4, 1025) + "K";
        } else if (roll < 80) {
            return r.nextLong(1, Math.max(2, hostMb / 4)) + "M";
        } else if (roll < 97) {
            return r.nextLong(hostMb / 4, hostMb * 3L / 4) + "M";
        }
        return r.nextLong(hostMb, hostMb * 5L / 4) + "M";
    }

    private String offset() {
        return chance(25) ? ", offset: " + r.nextLong(0, Math.max(1, hostMb / 4)) + "M" : "";
    }

    // ------------------------------------------------------------------ two flat memcgs

    /**
     * Two sibling memcgs /a and /b, each with a limit of 16M..32M (v1 memory.limit_in_bytes, now
     * and then memory.memsw.limit_in_bytes up to 16M above it when the host swaps; v2 memory.max,
     * now and then memory.swap.max of 0..16M and memory.high 4M under max), on a 1G host with 128M
     * of swap or none; tasks t1 and t2 in /a and t3 in /b (pids 100..102), and eight to fifteen
     * steps, each followed by a snapshot s0, s1, ...: anon (twice as likely as the rest), read of
     * /data/f0..f2, write of /data/w0..w1, shmem of /dev/shm/s0..s1, a random touch of anon
     * memory, free, and a touch of the pages of /data/f0..f2 or, {@link #withMmap() with mmap},
     * an mmap of /data/m0..m1; sizes of 1M..24M. Immutable: each {@code with} gives a new shape.
     */
    public static final class TwoFlatMemcgs {
        private final CgroupInterface cgroup;
        private final boolean uids;
        private final boolean mmap;

        private TwoFlatMemcgs(CgroupInterface cgroup, boolean uids, boolean mmap) {
            this.cgroup = cgroup;
            this.uids = uids;
            this.mmap = mmap;
        }

        /** Each task gets uid 0 or 1000 at random. */
        public TwoFlatMemcgs withTaskUids() {
            return new TwoFlatMemcgs(cgroup, true, mmap);
        }

        /** The file step maps a file (mmap: /data/m0..m1) instead of touching /data/f0..f2. */
        public TwoFlatMemcgs withMmap() {
            return new TwoFlatMemcgs(cgroup, uids, true);
        }

        /** The scenario text for {@code seed}. */
        public String generate(long seed) {
            return new ScenarioGenerator(seed).writeTwoFlat(this);
        }
    }

    private String writeTwoFlat(TwoFlatMemcgs shape) {
        boolean v2 = shape.cgroup == CgroupInterface.V2;
        boolean swap = r.nextBoolean();
        out.append("name: invariants-").append(seed).append('\n');
        out.append("seed: ").append(seed).append('\n');
        out.append("host: {memory: 1G, swap: ").append(swap ? "128M" : "0").append("}\n");
        out.append("cgroup: ").append(v2 ? "v2" : "v1").append("\ncgroups:\n");
        for (String cg : new String[] {"/a", "/b"}) {
            int limit = 16 + r.nextInt(17);
            if (v2) {
                out.append("  ")
                        .append(cg)
                        .append(": {memory.max: ")
                        .append(limit)
                        .append('M');
                if (swap && r.nextBoolean()) {
                    out.append(", memory.swap.max: ").append(r.nextInt(17)).append('M');
                }
                if (r.nextInt(4) == 0) {
                    out.append(", memory.high: ").append(limit - 4).append('M');
                }
            } else {
                out.append("  ")
                        .append(cg)
                        .append(": {memory.limit_in_bytes: ")
                        .append(limit)
                        .append('M');
                if (swap && r.nextBoolean()) {
                    out.append(", memory.memsw.limit_in_bytes: ")
                            .append(limit + r.nextInt(17))
                            .append('M');
                }
            }
            out.append("}\n");
        }
        out.append("tasks:\n");
        String[] tasks = {"t1", "t2", "t3"};
        for (int i = 0; i < tasks.length; i++) {
            out.append("  ")
                    .append(tasks[i])
                    .append(": {cgroup: ")
                    .append(i == 2 ? "/b" : "/a")
                    .append(", pid: ")
                    .append(100 + i);
            if (shape.uids) {
                out.append(", uid: ").append(r.nextBoolean() ? 0 : 1000);
            }
            out.append("}\n");
        }
        out.append("steps:\n");
        int steps = 8 + r.nextInt(8);
        for (int s = 0; s < steps; s++) {
            String t = tasks[r.nextInt(tasks.length)];
            int mb = 1 + r.nextInt(24);
            switch (r.nextInt(8)) {
                case 0, 1 ->
                    out.append("  - anon: {task: ")
                            .append(t)
                            .append(", size: ")
                            .append(mb)
                            .append("M}\n");
                case 2 ->
                    out.append("  - read: {task: ")
                            .append(t)
                            .append(", file: /data/f")
                            .append(r.nextInt(3))
                            .append(", size: ")
                            .append(mb)
                            .append("M}\n");
                case 3 ->
                    out.append("  - write: {task: ")
                            .append(t)
                            .append(", file: /data/w")
                            .append(r.nextInt(2))
                            .append(", size: ")
                            .append(mb)
                            .append("M}\n");
                case 4 ->
                    out.append("  - shmem: {task: ")
                            .append(t)
                            .append(", file: /dev/shm/s")
                            .append(r.nextInt(2))
                            .append(", size: ")
                            .append(mb)
                            .append("M}\n");
                case 5 ->
                    out.append("  - touch: {task: ")
                            .append(t)
                            .append(", what: anon, size: ")
                            .append(mb)
                            .append("M, pattern: random}\n");
                case 6 ->
                    out.append("  - free: {task: ")
                            .append(t)
                            .append(", size: ")
                            .append(mb)
                            .append("M}\n");
                default -> {
                    if (shape.mmap) {
                        out.append("  - mmap: {task: ")
                                .append(t)
                                .append(", file: /data/m")
                                .append(r.nextInt(2))
                                .append(", size: ")
                                .append(mb)
                                .append("M}\n");
                    } else {
                        out.append("  - touch: {task: ")
                                .append(t)
                                .append(", what: \"file:/data/f")
                                .append(r.nextInt(3))
                                .append("\", size: ")
                                .append(mb)
                                .append("M}\n");
                    }
                }
            }
            out.append("  - snapshot: s").append(s).append('\n');
        }
        return out.toString();
    }
}
