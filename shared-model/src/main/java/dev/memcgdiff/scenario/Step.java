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

    /** The task the step runs as, or null for steps that have none (unlink, set, host, snapshot). */
    default String task() {
        return null;
    }

    /** Write-fault private anonymous memory. */
    record Anon(int index, SourcePos pos, String task, long pages) implements Step {
        public String op() { return "anon"; }
    }

    /** Write to a tmpfs file, appending. */
    record Shmem(int index, SourcePos pos, String task, String file, long pages) implements Step {
        public String op() { return "shmem"; }
    }

    /** Buffered read through the page cache, from {@code offsetPages}. */
    record Read(int index, SourcePos pos, String task, String file, long offsetPages, long pages) implements Step {
        public String op() { return "read"; }
    }

    /** Buffered write, appending to the file: dirty page cache. */
    record Write(int index, SourcePos pos, String task, String file, long pages) implements Step {
        public String op() { return "write"; }
    }

    /** Map a file (shared, read) from {@code offsetPages} and fault every page in. */
    record Mmap(int index, SourcePos pos, String task, String file, long offsetPages, long pages) implements Step {
        public String op() { return "mmap"; }
    }

    /** Re-access resident memory: the task's anon, a tmpfs file or a regular file. */
    record Touch(int index, SourcePos pos, String task, TouchTarget what, long pages, Pattern pattern, int passes)
            implements Step {
        public String op() { return "touch"; }
    }

    /** munmap anonymous memory, newest first. */
    record Free(int index, SourcePos pos, String task, long pages) implements Step {
        public String op() { return "free"; }
    }

    /** Delete a file: tmpfs pages and page cache go. */
    record Unlink(int index, SourcePos pos, String file) implements Step {
        public String op() { return "unlink"; }
    }

    /** Write knobs of a cgroup while running, in order. */
    record Set(int index, SourcePos pos, String cgroup, List<Knob> knobs) implements Step {
        public Set {
            knobs = List.copyOf(knobs);
        }

        public String op() { return "set"; }
    }

    /** Migrate a task to another cgroup; its charges stay where they are. */
    record Move(int index, SourcePos pos, String task, String cgroup) implements Step {
        public String op() { return "move"; }
    }

    /** A process outside every container (root cgroup) allocates anonymous memory. */
    record Host(int index, SourcePos pos, long pages) implements Step {
        public String op() { return "host"; }
    }

    /** The task exits: its anonymous memory and swap are freed. */
    record Exit(int index, SourcePos pos, String task) implements Step {
        public String op() { return "exit"; }
    }

    /** Record every observable under this label. */
    record Snapshot(int index, SourcePos pos, String label) implements Step {
        public String op() { return "snapshot"; }
    }

    /** {@code what} of a touch: {@code anon}, {@code shmem:<file>} or {@code file:<file>}. */
    record TouchTarget(Kind kind, String file) {
        public enum Kind { ANON, SHMEM, FILE }

        @Override
        public String toString() {
            return kind == Kind.ANON ? "anon" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + file;
        }
    }

    /** The order in which a touch visits pages; random draws from the scenario's seed. */
    enum Pattern { SEQUENTIAL, RANDOM }
}
