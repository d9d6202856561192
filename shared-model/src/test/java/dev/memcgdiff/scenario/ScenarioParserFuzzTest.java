package dev.memcgdiff.scenario;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any text gives a Scenario or a ScenarioException, never another throwable. Under plain
 * {@code mvn verify} Jazzer replays the seeds in ScenarioParserFuzzTestInputs/parseAnything;
 * with {@code JAZZER_FUZZ=1} it fuzzes, e.g.
 * {@code JAZZER_FUZZ=1 mvn -pl shared-model test -Dtest=ScenarioParserFuzzTest}.
 */
class ScenarioParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    // The format's words, so that fuzzing reaches past the first unknown key (unused when replaying).
    @DictionaryEntries({
        "name: ",
        "title: ",
        "description: ",
        "refs: ",
        "kernels: ",
        "\"3.10\"",
        "\"4.18\"",
        "seed: ",
        "host: ",
        "memory: ",
        "swap: ",
        "nodes: ",
        "min_free_kbytes: ",
        "thp: ",
        "madvise",
        "swappiness: ",
        "cgroup: ",
        "v1",
        "v2",
        "cgroups:",
        "tasks:",
        "steps:",
        "expect:",
        "pid: ",
        "uid: ",
        "oom_score_adj: ",
        "- anon: ",
        "- shmem: ",
        "- read: ",
        "- write: ",
        "- mmap: ",
        "- touch: ",
        "- free: ",
        "- unlink: ",
        "- set: ",
        "- move: ",
        "- host: ",
        "- exit: ",
        "- snapshot: ",
        "task: ",
        "size: ",
        "file: ",
        "offset: ",
        "what: ",
        "shmem:/tmp/",
        "file:/",
        "pattern: random",
        "passes: ",
        "/dev/shm/",
        "/tmp/",
        "memory.limit_in_bytes: ",
        "memory.memsw.limit_in_bytes: ",
        "memory.use_hierarchy: ",
        "memory.max: ",
        "memory.oom.group: ",
        "max",
        "-1",
        "4G",
        "512M",
        "4096",
        "all: ",
        "unsupported",
        "kills == ",
        "victim 0 == ",
        "step 0 == ",
        "/proc/meminfo:",
        "/proc/vmstat:",
        " memory.stat:",
        "@end",
        " ~ ",
        "3%",
        ">=",
        "!!str ",
        "&a ",
        "*a",
        "---",
        "{",
        "}",
        "[",
        "]",
        // Simulated time: durations, host disks and sysctls, task parents and caps, sleep and together.
        "cpus: ",
        "disk: ",
        "swap_disk: ",
        "read: ",
        "write: ",
        "latency: ",
        "dirty_ratio: ",
        "dirty_background_ratio: ",
        "dirty_bytes: ",
        "dirty_background_bytes: ",
        "dirty_expire_centisecs: ",
        "dirty_writeback_centisecs: ",
        "fs: ",
        "xfs",
        "ext4",
        "psi: ",
        "default",
        "parent: ",
        "caps: ",
        "CAP_SYS_ADMIN",
        "- sleep: ",
        "for: ",
        "- together:",
        "rate: ",
        "500us",
        "20ms",
        "3s",
        "2m",
        "1.5s",
        " elapsed ",
        "time@",
        "step 0 elapsed >= "
    })
    void parseAnything(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Scenario scenario = ScenarioParser.parse("fuzz.yaml", text);
            if (!scenario.source().equals(text) || scenario.steps().isEmpty()) {
                throw new AssertionError("a scenario that does not hold its text or its steps: " + scenario.name());
            }
        } catch (ScenarioException e) {
            checkRefusal(e);
        }
    }

    /** A refusal must say where (inside the file), what, and what is allowed; and not be a parser bug. */
    static void checkRefusal(ScenarioException e) {
        SourcePos pos = e.pos();
        if (pos == null || !"fuzz.yaml".equals(pos.file()) || pos.line() < 1 || pos.column() < 1) {
            throw new AssertionError("a refusal without a usable position: " + e.getMessage(), e);
        }
        if (e.problem() == null
                || e.problem().isBlank()
                || e.allowed() == null
                || e.allowed().isBlank()) {
            throw new AssertionError("a refusal that does not say what is wrong and allowed: " + e.getMessage(), e);
        }
        if (e.problem().startsWith("internal error")) {
            throw new AssertionError("the parser failed: " + e.getMessage(), e);
        }
    }
}
