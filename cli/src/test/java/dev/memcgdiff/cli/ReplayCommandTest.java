package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memcg-diff replay} on a small report written from 4.18.0-147's printk formats: a 32M container. */
class ReplayCommandTest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    /** A RHEL 8.1 memcg OOM from an anonymous fault in /tiny (32M, memsw 32M: no swap). */
    static final String TINY = String.join(
                    "\n",
                    "[  100.000001] app invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0",
                    "[  100.000002] app cpuset=tiny mems_allowed=0",
                    "[  100.000003] CPU: 0 PID: 500 Comm: app Not tainted 4.18.0-147.el8.x86_64 #1",
                    "[  100.000004] Call Trace:",
                    "[  100.000005]  dump_stack+0x5c/0x80",
                    "[  100.000006]  dump_header+0x6e/0x27a",
                    "[  100.000007]  oom_kill_process.cold.29+0xb/0x10",
                    "[  100.000008]  out_of_memory+0x1ba/0x4b0",
                    "[  100.000009]  mem_cgroup_out_of_memory+0x49/0x80",
                    "[  100.000010]  try_charge+0x6f1/0x770",
                    "[  100.000011]  mem_cgroup_try_charge+0x8b/0x1a0",
                    "[  100.000012]  mem_cgroup_try_charge_delay+0x1c/0x40",
                    "[  100.000013]  do_anonymous_page+0xb5/0x370",
                    "[  100.000014]  __handle_mm_fault+0x66e/0x6b0",
                    "[  100.000015]  handle_mm_fault+0xda/0x200",
                    "[  100.000016] Task in /tiny killed as a result of limit of /tiny",
                    "[  100.000017] memory: usage 32768kB, limit 32768kB, failcnt 0",
                    "[  100.000018] memory+swap: usage 32768kB, limit 32768kB, failcnt 40",
                    "[  100.000019] kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
                    "[  100.000020] Memory cgroup stats for /tiny: cache:0KB rss:32768KB rss_huge:0KB shmem:0KB "
                            + "mapped_file:0KB dirty:0KB writeback:0KB swap:0KB inactive_anon:0KB active_anon:32768KB "
                            + "inactive_file:0KB active_file:0KB unevictable:0KB",
                    "[  100.000021] Memory cgroup out of memory: Killed process 500 (app) total-vm:40000kB, "
                            + "anon-rss:32768kB, file-rss:0kB, shmem-rss:0kB",
                    "[  100.000022] oom_reaper: reaped process 500 (app), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
            + "\n";

    @TempDir
    Path dir;

    @Test
    void textPutsTheReportBesideTheModelsAndSaysWhatTheOtherKernelsDo() {
        Path log = Cli.write(dir.resolve("tiny.log"), TINY);
        Cli.Result r = Cli.run("replay", log.toString()).assertNoStackTrace();

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith("replay of " + log + "\n\nreport 1 of 1, lines 1-22: scenario "
                        + "incident-418-memcg-anon-fault-memsw (memcg OOM, kernel 4.18)\n")
                .containsPattern("\n  kind +memcg OOM +memcg OOM +match\n")
                .containsPattern("\n  victim pid +500 +500 +match\n")
                .contains("\n4.18: app (500) is OOM-killed at step ")
                .contains("fields match")
                .contains("\nexpectations on 4.18: ")
                .contains("\non 3.10 this workload: ")
                .contains("\non 5.18 this workload: ");
        assertThat(r.out().lines().filter(l -> l.startsWith("  ") && l.endsWith(" differs")))
                .as("no field differs")
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGivesTheSameFields() throws Exception {
        Path log = Cli.write(dir.resolve("tiny.log"), TINY);
        Cli.Result r = Cli.run("replay", "--format", "json", "--kernel", "4.18", log.toString());

        assertThat(r.exit()).isZero();
        Map<String, Object> root = JSON.readValue(r.out(), Map.class);
        List<Map<String, Object>> reports = (List<Map<String, Object>>) root.get("reports");
        assertThat(reports).hasSize(1);
        Map<String, Object> rep = reports.get(0);
        assertThat(rep)
                .containsEntry("lines", "1-22")
                .containsEntry("kernel", "4.18")
                .containsEntry("scenario", "incident-418-memcg-anon-fault-memsw");
        List<Map<String, Object>> fields = (List<Map<String, Object>>) rep.get("fields");
        assertThat(fields).extracting(f -> f.get("field")).contains("kind", "limit hit", "memory.stat rss", "victim");
        assertThat(fields)
                .filteredOn(f -> f.get("field").equals("limit hit"))
                .extracting(f -> f.get("verdict"))
                .containsExactly("match");
        assertThat((Map<String, Object>) rep.get("kernels")).isEmpty();
        assertThat(r.out())
                .isEqualTo(Cli.run("replay", "--format", "json", "--kernel", "4.18", log.toString())
                        .out());
    }

    @Test
    void aLogWithoutAReportIsBadInput() {
        Path log = Cli.write(dir.resolve("boot.log"), "[    0.000000] Linux version 4.18.0-147.el8.x86_64\n");
        Cli.Result r = Cli.run("replay", log.toString()).assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no OOM report found");
    }
}
