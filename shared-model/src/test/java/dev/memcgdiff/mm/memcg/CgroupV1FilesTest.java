package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.toy.ToyMachine;
import dev.memcgdiff.outcome.CgroupFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The v1 file set every modelled kernel shows, in mem_cgroup_files' order. */
class CgroupV1FilesTest {
    private static final String V1 = """
        name: files
        host: {memory: 64M, swap: 64M}
        cgroup: v1
        cgroups:
          /a: {memory.limit_in_bytes: 1G}
        tasks:
        steps:
          - snapshot: s
        """;

    @SuppressWarnings("unchecked")
    private static Map<String, Long> keyed(CgroupFiles f, String file) {
        return (Map<String, Long>) f.files().get(file);
    }

    @Test
    void theFilesInTheirOrderWithMemsw() {
        ToyMachine t = new ToyMachine(V1);
        MemCgroup a = t.memcg("/a");
        a.oomKillDisable = true;

        CgroupFiles f = CgroupV1Files.files(a, true, 1, 60, true, List.of("cache", "rss", "swap"));

        assertThat(f.files().keySet())
                .containsExactly(
                        "memory.usage_in_bytes",
                        "memory.max_usage_in_bytes",
                        "memory.limit_in_bytes",
                        "memory.soft_limit_in_bytes",
                        "memory.failcnt",
                        "memory.memsw.usage_in_bytes",
                        "memory.memsw.max_usage_in_bytes",
                        "memory.memsw.limit_in_bytes",
                        "memory.memsw.failcnt",
                        "memory.use_hierarchy",
                        "memory.swappiness",
                        "memory.oom_control",
                        "memory.stat");
        assertThat(f.files().get("memory.limit_in_bytes")).isEqualTo(1L << 30);
        assertThat(f.files().get("memory.use_hierarchy")).isEqualTo(1L);
        assertThat(f.files().get("memory.swappiness")).isEqualTo(60L);
        assertThat(keyed(f, "memory.oom_control"))
                .containsExactly(
                        Map.entry("oom_kill_disable", 1L), Map.entry("under_oom", 0L), Map.entry("oom_kill", 0L));
        assertThat(keyed(f, "memory.stat").keySet()).startsWith("cache", "rss", "swap", "pgpgin");
    }

    @Test
    void withoutMemswNoMemswFilesNoSwapKeyAndThreeTenHasNoOomKillLine() {
        ToyMachine t = new ToyMachine(V1);
        MemCgroup a = t.memcg("/a");

        CgroupFiles f = CgroupV1Files.files(a, false, 0, 30, false, List.of("cache", "rss", "swap"));

        assertThat(f.files().keySet())
                .containsExactly(
                        "memory.usage_in_bytes",
                        "memory.max_usage_in_bytes",
                        "memory.limit_in_bytes",
                        "memory.soft_limit_in_bytes",
                        "memory.failcnt",
                        "memory.use_hierarchy",
                        "memory.swappiness",
                        "memory.oom_control",
                        "memory.stat");
        assertThat(f.files().get("memory.use_hierarchy")).isEqualTo(0L);
        assertThat((keyed(f, "memory.oom_control")).keySet()).containsExactly("oom_kill_disable", "under_oom");
        assertThat(keyed(f, "memory.stat").keySet()).startsWith("cache", "rss", "pgpgin");
    }
}
