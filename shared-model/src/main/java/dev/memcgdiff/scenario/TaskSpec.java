package dev.memcgdiff.scenario;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A process: its comm name, the cgroup it starts in, pid, uid and oom_score_adj; the task it is
 * a child of ({@code parent}, a task declared earlier, or null), and its capabilities
 * ({@code caps}, in file order, empty for none).
 */
public record TaskSpec(
        String name, String cgroup, int pid, int uid, int oomScoreAdj, String parent, Set<String> caps, SourcePos pos) {
    /** The only capability the format knows so far. */
    public static final String CAP_SYS_ADMIN = "CAP_SYS_ADMIN";

    public TaskSpec {
        caps = Collections.unmodifiableSet(new LinkedHashSet<>(caps));
    }

    /** A task with no parent task and no capabilities. */
    public TaskSpec(String name, String cgroup, int pid, int uid, int oomScoreAdj, SourcePos pos) {
        this(name, cgroup, pid, uid, oomScoreAdj, null, Set.of(), pos);
    }

    public boolean hasCap(String cap) {
        return caps.contains(cap);
    }
}
