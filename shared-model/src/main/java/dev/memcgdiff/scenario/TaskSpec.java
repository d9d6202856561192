package dev.memcgdiff.scenario;

/** A process: its comm name, the cgroup it starts in, pid, uid and oom_score_adj. */
public record TaskSpec(String name, String cgroup, int pid, int uid, int oomScoreAdj, SourcePos pos) {
}
