package dev.memcgdiff.outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every observable at one moment: each cgroup's files (root first), the host's /proc files, and
 * the simulated clock then (ns since the scenario started).
 */
public record Snapshot(
        Map<String, CgroupFiles> cgroups, Map<String, Long> meminfo, Map<String, Long> vmstat, long timeNs) {
    /** A snapshot at time 0 (tests). */
    public Snapshot(Map<String, CgroupFiles> cgroups, Map<String, Long> meminfo, Map<String, Long> vmstat) {
        this(cgroups, meminfo, vmstat, 0);
    }

    public Snapshot {
        cgroups = Collections.unmodifiableMap(new LinkedHashMap<>(cgroups));
        meminfo = Collections.unmodifiableMap(new LinkedHashMap<>(meminfo));
        vmstat = Collections.unmodifiableMap(new LinkedHashMap<>(vmstat));
    }
}
