package dev.memcgdiff.mm.oom;

import java.util.List;

/**
 * One OOM kill as the outcome records it: at which step, the victim, the memcg whose limit was
 * hit (null for a global OOM), the victim's memcg, the constraint, which limit ran out
 * ("memory", "memsw", "swap" or "host"), the victim's badness and the kernel's report lines.
 */
public record OomKillRecord(
        int step,
        String victim,
        int pid,
        String oomMemcg,
        String taskMemcg,
        String constraint,
        String limit,
        long points,
        long totalPages,
        List<String> report) {
    public OomKillRecord {
        report = List.copyOf(report);
    }
}
