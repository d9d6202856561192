package dev.memcgdiff.outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every observable at one moment: each cgroup's files (root first) and the host's /proc files. */
public record Snapshot(Map<String, CgroupFiles> cgroups, Map<String, Long> meminfo, Map<String, Long> vmstat) {
    public Snapshot {
        cgroups = Collections.unmodifiableMap(new LinkedHashMap<>(cgroups));
        meminfo = Collections.unmodifiableMap(new LinkedHashMap<>(meminfo));
        vmstat = Collections.unmodifiableMap(new LinkedHashMap<>(vmstat));
    }
}
