package dev.memcgdiff.scenario;

import java.util.List;

/**
 * One step of a scenario, in the words of scenario-format.md. Sizes are in 4 KiB pages
 * (rounded up); {@link #index()} is the 0-based position in {@code steps}.
 */
public sealed interface Step {
    int index();

    SourcePos pos();

    /** The step's key in the file: anon, shmem, read, ... */
    String op();

    /**
     * The task the step runs as, or null for steps that have none (unlink, set, host, snapshot,
     * sleep, and together, whose inner steps each have their own).
     */
    default String task() {
        return null;
    }

    /** Write-fault private anonymous memory. */
    record Anon(int index, SourcePos pos, String task, long pages) implements Step {
        public String op() {
            return "anon";
        }
    }

    /** Write to a tmpfs file, appending. */
    record Shmem(int index, SourcePos pos, String task, String file, long pages) implements Step {
        public String op() {
            return "shmem";
        }
    }

    /** Buffered read through the page cache, from {@code offsetPages}. */
    record Read(int index, SourcePos pos, String task, String file, long offsetPages, long pages) implements Step {
        public String op() {
            return "read";
        }
    }

    /** Buffered write, appending to the file: dirty page cache. */
    record Write(int index, SourcePos pos, String task, String file, long pages) implements Step {
        public String op() {
            return "write";
        }
    }

    /** Map a file (shared, read) from {@code offsetPages} and fault every page in. */
    record Mmap(int index, SourcePos pos, String task, String file, long offsetPages, long pages) implements Step {
        public String op() {
            return "mmap";
        }
    }

    /** Re-access resident memory: the task's anon, a tmpfs file or a regular file. */
    record Touch(int index, SourcePos pos, String task, TouchTarget what, long pages, Pattern pattern, int passes)
            implements Step {
        public String op() {
            return "touch";
        }
    }

    /** munmap anonymous memory, newest first. */
    record Free(int index, SourcePos pos, String task, long pages) implements Step {
        public String op() {
            return "free";
        }
    }

    /** Delete a file: tmpfs pages and page cache go. */
    record Unlink(int index, SourcePos pos, String file) implements Step {
        public String op() {
            return "unlink";
        }
    }

    /** Write knobs of a cgroup while running, in order. */
    record Set(int index, SourcePos pos, String cgroup, List<Knob> knobs) implements Step {
        public Set {
            knobs = List.copyOf(knobs);
        }

        public String op() {
            return "set";
        }
    }

    /** Migrate a task to another cgroup; its charges stay where they are. */
    record Move(int index, SourcePos pos, String task, String cgroup) implements Step {
        public String op() {
            return "move";
        }
    }

    /** A process outside every container (root cgroup) allocates anonymous memory. */
    record Host(int index, SourcePos pos, long pages) implements Step {
        public String op() {
            return "host";
        }
    }

    /** The task exits: its anonymous memory and swap are freed. */
    record Exit(int index, SourcePos pos, String task) implements Step {
        public String op() {
            return "exit";
        }
    }

    /** Record every observable under this label. */
    record Snapshot(int index, SourcePos pos, String label) implements Step {
        public String op() {
            return "snapshot";
        }
    }

    /** Let the simulated clock run for {@code nanos} nanoseconds with no task doing anything. */
    record Sleep(int index, SourcePos pos, long nanos) implements Step {
        public String op() {
            return "sleep";
        }
    }

    /**
     * Two or more task steps that run at the same time, each as a different task; the step ends
     * when the last of them ends. It is one step: {@link #index()} is its place in {@code steps},
     * and every inner step carries that same index (inner steps are not numbered on their own;
     * {@code step N} expectations address the together as a whole). Inner steps are {@link Anon},
     * {@link Shmem}, {@link Read}, {@link Write}, {@link Mmap}, {@link Touch} or {@link Free}, in
     * file order.
     */
    record Together(int index, SourcePos pos, List<Paced> steps) implements Step {
        public Together {
            steps = List.copyOf(steps);
        }

        public String op() {
            return "together";
        }

        /** The tasks of the inner steps, in file order (all different). */
        public List<String> tasks() {
            return steps.stream().map(p -> p.step().task()).toList();
        }
    }

    /**
     * A step inside {@link Together} and its {@code rate}: bytes per second the step may move at
     * most, or {@link #UNPACED} (0) when it runs as fast as the machine lets it.
     */
    record Paced(Step step, long rateBps) {
        public static final long UNPACED = 0;

        public boolean paced() {
            return rateBps != UNPACED;
        }
    }

    /** {@code what} of a touch: {@code anon}, {@code shmem:<file>} or {@code file:<file>}. */
    record TouchTarget(Kind kind, String file) {
        public enum Kind {
            ANON,
            SHMEM,
            FILE
        }

        @Override
        public String toString() {
            return kind == Kind.ANON ? "anon" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + file;
        }
    }

    /** The order in which a touch visits pages; random draws from the scenario's seed. */
    enum Pattern {
        SEQUENTIAL,
        RANDOM
    }
}
