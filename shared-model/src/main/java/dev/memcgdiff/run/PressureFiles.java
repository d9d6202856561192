package dev.memcgdiff.run;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.outcome.CgroupFiles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pressure files a snapshot reads when the scenario records them (it writes {@code host.psi}):
 * cgroup v2's memory.pressure (kernel/cgroup/cgroup.c:cgroup_memory_pressure_show, the root's
 * showing the system's) and /proc/pressure/memory (kernel/sched/psi.c:psi_memory_show). Reading
 * brings the averages up to date, as in the kernel.
 */
final class PressureFiles {
    /** The file name in a snapshot's host files. */
    static final String PROC_PRESSURE_MEMORY = "/proc/pressure/memory";

    private PressureFiles() {}

    /** {@code files} with memory.pressure after the memcg's own files, where the kernel has one. */
    static CgroupFiles memoryPressure(Machine m, MemCgroup memcg, CgroupFiles files) {
        Object pressure = m.psi().memoryPressure(memcg, m.clock.now());
        return pressure == null ? files : files.putFile("memory.pressure", pressure);
    }

    /** The host's /proc files beyond meminfo and vmstat: /proc/pressure/memory when recorded. */
    static Map<String, Object> proc(Machine m) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object pressure = m.psi().procPressureMemory(m.clock.now());
        if (pressure != null) {
            out.put(PROC_PRESSURE_MEMORY, pressure);
        }
        return out;
    }
}
