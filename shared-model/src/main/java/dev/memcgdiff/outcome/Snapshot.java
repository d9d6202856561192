package dev.memcgdiff.outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every observable at one moment: each cgroup's files (root first), the host's /proc files, and
 * the simulated clock then (ns since the scenario started). {@code procFiles} holds the host
 * files beyond meminfo and vmstat that the scenario records (/proc/pressure/memory: an ordered
 * map of its lines, or the word a failed read gives); it is empty for most scenarios.
 */
public record Snapshot(
        Map<String, CgroupFiles> cgroups,
        Map<String, Long> meminfo,
        Map<String, Long> vmstat,
        Map<String, Object> procFiles,
        long timeNs) {
    /** A snapshot at time 0 (tests). */
    public Snapshot(Map<String, CgroupFiles> cgroups, Map<String, Long> meminfo, Map<String, Long> vmstat) {
        this(cgroups, meminfo, vmstat, Map.of(), 0);
    }

    /** A snapshot without other /proc files. */
    public Snapshot(
            Map<String, CgroupFiles> cgroups, Map<String, Long> meminfo, Map<String, Long> vmstat, long timeNs) {
        this(cgroups, meminfo, vmstat, Map.of(), timeNs);
    }

    public Snapshot {
        cgroups = Collections.unmodifiableMap(new LinkedHashMap<>(cgroups));
        meminfo = Collections.unmodifiableMap(new LinkedHashMap<>(meminfo));
        vmstat = Collections.unmodifiableMap(new LinkedHashMap<>(vmstat));
        procFiles = Collections.unmodifiableMap(new LinkedHashMap<>(procFiles));
    }
}
