package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Json;
import dev.memcgdiff.outcome.JsonOutcome;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.ScenarioParser;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    /**
     * Reads the command's output strictly, as JSON rather than as text: objects keep their key
     * order (LinkedHashMap), every integer is a Long, and a duplicate key or text after the value
     * is an error.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @TempDir
    Path dir;

    private static Object parseJson(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** The table row whose observable is exactly this, marks and padding aside. */
    private static String row(String text, String observable) {
        return lines(text).stream()
                .filter(l -> l.length() > 2 && l.substring(2).startsWith(observable + "  "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + observable + " in\n" + text));
    }

    private static List<String> cells(String row) {
        return Arrays.asList(row.substring(2).trim().split(" {2,}"));
    }

    /** A row too wide for columns: "* observable", then "    KERNEL  value" per kernel. */
    private static List<String> block(String text, String observable, int kernels) {
        List<String> all = lines(text);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).length() > 2 && all.get(i).substring(2).equals(observable)) {
                return all.subList(i + 1, i + 1 + kernels).stream()
                        .peek(l -> assertThat(l).startsWith("    "))
                        .map(l -> l.trim().split(" {2,}", 2)[1])
                        .toList();
            }
        }
        throw new AssertionError("no block " + observable + " in\n" + text);
    }

    @Test
    void textHasOneColumnPerKernelAndMarksTheRowsWhereTheyDiffer() {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418(), TestKernels.refusing("9.0")), "run", f.toString())
                .assertNoStackTrace();

        // The scenario's "step 1 == ok" is false on purpose: exit 3. The refusing double has no
        // expectation of its own, and "all" does not apply to a refused scenario: a warning.
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err())
                .isEqualTo("memcg-diff: warning: " + f + ": no expectation applies on 9.0 (it refuses the scenario, so "
                        + "\"all\" does not apply): add \"unsupported\" under \"9.0\" if it must refuse it (the golden "
                        + "corpus suite refuses a scenario/kernel pair without one)\n");
        assertThat(cells(row(r.out(), "kernel"))).containsExactly("kernel", "4.18", "9.0");
        assertThat(cells(row(r.out(), "release"))).containsExactly("release", "4.18.0-147.el8.x86_64", "9.0.0-test");
        // 4.18 runs the scenario, the double refuses it: every step and the kill count differ.
        // The refusal is wider than a column: it is listed under its row, kernel by kernel.
        assertThat(r.out()).contains("\n* status\n    4.18  ok\n    9.0   unsupported (" + TestKernels.REFUSAL + ")\n");
        assertThat(block(r.out(), "status", 2)).containsExactly("ok", "unsupported (" + TestKernels.REFUSAL + ")");
        assertThat(row(r.out(), "step 0 anon small")).startsWith(SideBySideTable.DIFFERS);
        assertThat(cells(row(r.out(), "step 0 anon small")))
                .containsExactly("step 0 anon small", "ok (256 pages)", "-");
        assertThat(row(r.out(), "oom kills")).startsWith(SideBySideTable.DIFFERS);
        assertThat(r.out()).contains("* = the kernels differ: ");
        // The 4.18 column is as wide as its widest value in columns (at least the release
        // "4.18.0-147.el8.x86_64", 21 characters), not as the refusal; two blanks separate columns.
        String header = row(r.out(), "kernel");
        assertThat(header.indexOf("9.0") - header.indexOf("4.18")).isGreaterThanOrEqualTo(21 + 2);
        assertThat(row(r.out(), "release").indexOf("9.0.0-test")).isEqualTo(header.indexOf("9.0"));
    }

    @Test
    void kernelsThatBehaveAlikeMarkNoRow() {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(
                List.of(Cli.linux418(), TestKernels.renamed(Cli.linux418(), "9.1")), "run", f.toString(), "--all");

        assertThat(r.exit()).as("the 4.18 expectation that is false on purpose").isEqualTo(3);
        assertThat(cells(row(r.out(), "kernel"))).containsExactly("kernel", "4.18", "9.1");
        List<String> marked = lines(r.out()).stream()
                .filter(l -> l.startsWith(SideBySideTable.DIFFERS) && !l.startsWith("* = "))
                .toList();
        assertThat(marked).isEmpty();
        assertThat(r.out()).contains("* = the kernels differ: 0 of the ");
        assertThat(cells(row(r.out(), "kill 0 victim"))).containsExactly("kill 0 victim", "big (200)", "big (200)");
    }

    @Test
    void textShowsStepsTheOomKillKeyFilesAndExpectationResults() {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString());

        assertThat(r.exit()).as("an expectation failed").isEqualTo(3);
        String out = r.out();
        assertThat(out).startsWith("scenario small-oom: A 4M container fills anon past its limit\nfile: " + f + "\n");
        // 8M of anon in a 4M memcg without swap: a memcg OOM in /a whose victim is the biggest task.
        assertThat(cells(row(out, "step 1 anon big")).get(1)).startsWith("killed");
        assertThat(cells(row(out, "oom kills"))).containsExactly("oom kills", "1");
        assertThat(cells(row(out, "kill 0 victim"))).containsExactly("kill 0 victim", "big (200)");
        assertThat(cells(row(out, "kill 0 oom_memcg"))).containsExactly("kill 0 oom_memcg", "/a");
        assertThat(cells(row(out, "kill 0 constraint"))).containsExactly("kill 0 constraint", "CONSTRAINT_MEMCG");
        assertThat(cells(row(out, "kill 0 limit"))).containsExactly("kill 0 limit", "memory");
        // The limit as 4.18 prints it: 4M is page aligned, so no rounding.
        assertThat(cells(row(out, "/a memory.limit_in_bytes")))
                .containsExactly("/a memory.limit_in_bytes", "4194304 (4M)");
        for (String key : List.of(
                "/a memory.usage_in_bytes",
                "/a memory.failcnt",
                "/a memory.stat:cache",
                "/a memory.stat:rss",
                "/a memory.stat:active_anon",
                "/a memory.oom_control:oom_kill",
                "/proc/meminfo:MemFree (kB)",
                "/proc/meminfo:SwapFree (kB)")) {
            assertThat(cells(row(out, key)).get(1)).as(key).matches("[0-9]+( \\([0-9.]+[KMGT]\\))?");
        }
        assertThat(cells(row(out, "/a memory.failcnt")).get(1))
                .as("a count has no unit")
                .matches("[0-9]+");
        assertThat(cells(row(out, "/proc/meminfo:MemFree (kB)")).get(1))
                .as("kB shown in binary units of bytes")
                .matches("[0-9]+ \\([0-9.]+M\\)");
        assertThat(out).contains("\nsizes: exact bytes (kB for /proc/meminfo) with binary units beside them; --bytes");
        assertThat(cells(row(out, "/a memory.oom_control:oom_kill")))
                .containsExactly("/a memory.oom_control:oom_kill", "1");
        // The intermediate snapshot gets its own section; the key-file filter hides the event counters.
        assertThat(out).contains("\n  snapshot after-kill\n").contains("\n  snapshot end (after the last step)\n");
        assertThat(out).doesNotContain("memory.stat:pgfault").doesNotContain("/proc/vmstat:");
        assertThat(out).contains("one kernel: nothing to compare");

        assertThat(out).contains("\nexpectations on 4.18: 3 passed, 1 failed\n");
        assertThat(out).contains("\n  PASS  kills == 1: saw 1\n");
        assertThat(out).contains("\n  PASS  victim 0 == big: saw big");
        assertThat(out).contains("\n  PASS  step 1 == killed: saw killed");
        assertThat(out).contains("\n  FAIL  step 1 == ok: saw killed (step 1) at " + f + ":22:7\n");
        assertThat(out).doesNotContain("trace on");
    }

    @Test
    void longCgroupPathsAreAbbreviatedWithALegendAndBytesShowsExactSizesOnly() {
        String pod = "/kubepods.slice/kubepods-burstable.slice";
        Path f = Cli.write(
                dir.resolve("long.yaml"),
                Scenarios.MEMCG_OOM
                        .replace("  /a:\n", "  /kubepods.slice: {}\n  " + pod + ":\n")
                        .replace("cgroup: /a,", "cgroup: " + pod + ","));
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString());

        assertThat(r.out()).contains("\nfile: " + f + "\ncgroups: [1] " + pod + "\n\n");
        assertThat(cells(row(r.out(), "[1] memory.limit_in_bytes")))
                .containsExactly("[1] memory.limit_in_bytes", "4194304 (4M)");
        assertThat(cells(row(r.out(), "kill 0 oom_memcg"))).containsExactly("kill 0 oom_memcg", "[1]");
        assertThat(r.out()).doesNotContain(pod + " memory.");

        Cli.Result exact = Cli.run(List.of(Cli.linux418()), "run", "--bytes", f.toString());
        assertThat(cells(row(exact.out(), "[1] memory.limit_in_bytes")))
                .containsExactly("[1] memory.limit_in_bytes", "4194304");
        assertThat(exact.out()).doesNotContain("(4M)").doesNotContain("\nsizes: ");
    }

    @Test
    void allShowsEveryObservableAndTraceAppendsEachKernelsTrace() {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", "--all", "--trace", f.toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out())
                .contains("/a memory.stat:pgfault")
                .contains("/proc/vmstat:nr_free_pages")
                .contains("/a memory.max_usage_in_bytes");
        int trace = r.out().indexOf("\ntrace on 4.18 (");
        assertThat(trace).isGreaterThan(r.out().indexOf("expectations on 4.18"));
        // The memcg OOM kill is explained in the trace in the kernel's words.
        assertThat(r.out().substring(trace)).contains("oom_kill_process").contains("big");
    }

    @Test
    void cgroupV2ShowsTheV2Files() {
        Path f = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("warning: " + f + ": no expectation applies on 4.18: add one under \"all\"");
        assertThat(cells(row(r.out(), "/c memory.max"))).containsExactly("/c memory.max", "8388608 (8M)");
        assertThat(cells(row(r.out(), "/c memory.events:oom_kill"))).containsExactly("/c memory.events:oom_kill", "0");
        assertThat(cells(row(r.out(), "/c memory.current")).get(1)).matches("[0-9]+ \\([0-9.]+M\\)");
        assertThat(cells(row(r.out(), "/c memory.stat:anon")).get(1)).matches("[0-9]+ \\([0-9.]+M\\)");
        assertThat(r.out())
                .doesNotContain("/c memory.low")
                .doesNotContain("memory.stat:pgfault")
                .contains("expectations: none in the scenario");
    }

    @Test
    void aKnobOneKernelLacksIsMarkedAsADifference() {
        Kernel k518 = Kernels.byVersion("5.18").orElse(null);
        assumeTrue(k518 != null, "linux-5.18 is not registered yet");
        Path f = Cli.write(dir.resolve("swap-high.yaml"), Scenarios.SWAP_HIGH);
        Cli.Result r = Cli.run("run", "--kernel", "4.18,5.18", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\n* status\n");
        List<String> status = block(r.out(), "status", 2);
        assertThat(status.get(0)).startsWith("unsupported").contains("memory.swap.high");
        assertThat(status.get(1)).isEqualTo("ok");
    }

    @Test
    void jsonForOneFileIsTheContractObject() {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r =
                Cli.run(List.of(Cli.linux418(), TestKernels.refusing("9.0")), "run", "--format", "json", f.toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("no expectation applies on 9.0");
        assertThat(r.out()).endsWith("}\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) parseJson(r.out());
        assertThat(root).containsOnlyKeys("scenario", "kernels").containsEntry("scenario", "small-oom");
        @SuppressWarnings("unchecked")
        Map<String, Object> kernels = (Map<String, Object>) root.get("kernels");
        assertThat(kernels.keySet()).containsExactly("4.18", "9.0");
        @SuppressWarnings("unchecked")
        Map<String, Object> k418 = (Map<String, Object>) kernels.get("4.18");
        assertThat(k418.keySet())
                .containsExactly(
                        "status", "reason", "release", "steps", "oom_kills", "snapshots", "trace", "expectations");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) k418.get("expectations");
        assertThat(results).extracting(m -> m.get("verdict")).containsExactly("passed", "passed", "passed", "failed");
        assertThat(results.get(3))
                .containsEntry("expectation", "step 1 == ok")
                .containsEntry("key", "4.18")
                .containsEntry("at", f + ":22:7")
                .containsEntry("observed", "killed")
                .containsEntry("known_gap", null);
        assertThat(k418).containsEntry("status", "ok").containsEntry("trace", List.of());
        assertThat((List<?>) k418.get("steps")).hasSize(4);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> kills = (List<Map<String, Object>>) k418.get("oom_kills");
        assertThat(kills).hasSize(1);
        assertThat(kills.get(0))
                .containsEntry("victim", "big")
                .containsEntry("pid", 200L)
                .containsEntry("oom_memcg", "/a")
                .containsEntry("constraint", "CONSTRAINT_MEMCG");
        @SuppressWarnings("unchecked")
        Map<String, Object> snapshots = (Map<String, Object>) k418.get("snapshots");
        assertThat(snapshots.keySet()).containsExactly("after-kill", "end");
        @SuppressWarnings("unchecked")
        Map<String, Object> refused = (Map<String, Object>) kernels.get("9.0");
        assertThat(refused).containsEntry("status", "unsupported").containsEntry("reason", TestKernels.REFUSAL);
    }

    @Test
    void jsonIsExactlyWhatTheContractWriterGives() throws Exception {
        Path f = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", "--format", "json", "--trace", f.toString());

        var scenario = ScenarioParser.parse(f);
        var outcomes = List.of(Runner.run(scenario, Cli.linux418()));
        String contract = Json.write(
                        Coverage.withExpectations(
                                JsonOutcome.scenario("small-oom", outcomes, true), scenario, outcomes),
                        true)
                + "\n";
        assertThat(r.out()).isEqualTo(contract);
        @SuppressWarnings("unchecked")
        Map<String, Object> k418 = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) parseJson(r.out())).get("kernels")).get("4.18");
        assertThat((List<?>) k418.get("trace")).isNotEmpty();
    }

    @Test
    void jsonForSeveralFilesIsAnArrayInFileOrder() {
        Path a = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        Path b = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", "--format=json", a.toString(), b.toString());

        assertThat(r.exit()).isEqualTo(3);
        List<?> all = (List<?>) parseJson(r.out());
        assertThat(all).hasSize(2);
        assertThat(((Map<?, ?>) all.get(0)).get("scenario")).isEqualTo("v2-quiet");
        assertThat(((Map<?, ?>) all.get(1)).get("scenario")).isEqualTo("small-oom");
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        Path a = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        Path b = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        List<Kernel> ks = List.of(Cli.linux418(), TestKernels.renamed(Cli.linux418(), "9.1"));
        for (String format : List.of("text", "json")) {
            Cli.Result first = Cli.run(ks, "run", "--trace", "--format", format, a.toString(), b.toString());
            Cli.Result second = Cli.run(ks, "run", "--trace", "--format", format, a.toString(), b.toString());
            assertThat(second.out()).as(format).isEqualTo(first.out()).isNotEmpty();
        }
    }

    @Test
    void kernelSelectsColumnsInRegisteredOrder() {
        Path f = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        List<Kernel> ks =
                List.of(Cli.linux418(), TestKernels.renamed(Cli.linux418(), "9.1"), TestKernels.refusing("9.2"));

        Cli.Result one = Cli.run(ks, "run", "--kernel", "9.1", f.toString());
        assertThat(cells(row(one.out(), "kernel"))).containsExactly("kernel", "9.1");

        Cli.Result two = Cli.run(ks, "run", "--kernel", "9.2,4.18", f.toString());
        assertThat(cells(row(two.out(), "kernel"))).containsExactly("kernel", "4.18", "9.2");

        Cli.Result all = Cli.run(ks, "run", f.toString());
        assertThat(cells(row(all.out(), "kernel"))).containsExactly("kernel", "4.18", "9.1", "9.2");
    }

    @Test
    void aScenarioRunsOnlyOnTheKernelsItAllows() {
        Path f = Cli.write(dir.resolve("one.yaml"), Scenarios.onlyOn("9.1"));
        Cli.Result r =
                Cli.run(List.of(Cli.linux418(), TestKernels.renamed(Cli.linux418(), "9.1")), "run", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(cells(row(r.out(), "kernel"))).containsExactly("kernel", "9.1");
    }

    @Test
    void aScenarioNoChosenKernelRunsIsBadInput() {
        Path f = Cli.write(dir.resolve("only310.yaml"), Scenarios.ONLY_310);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString()).assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo(f + ": scenario only-310 runs only on kernels 3.10, and none of them is "
                        + "registered (registered: 4.18)\n");

        Path g = Cli.write(dir.resolve("one.yaml"), Scenarios.onlyOn("9.1"));
        Cli.Result s = Cli.run(
                List.of(Cli.linux418(), TestKernels.renamed(Cli.linux418(), "9.1")),
                "run",
                "--kernel",
                "4.18",
                g.toString());
        assertThat(s.exit()).isEqualTo(2);
        assertThat(s.err()).contains("runs only on kernels 9.1, and none of them is selected (--kernel 4.18)");
    }

    @Test
    void anInvalidFileStopsEveryFileAndPrintsEachError() {
        Path good = Cli.write(dir.resolve("good.yaml"), Scenarios.V2_NO_PRESSURE);
        Path size = Cli.write(dir.resolve("size.yaml"), Scenarios.BAD_SIZE);
        Path key = Cli.write(dir.resolve("key.yaml"), Scenarios.BAD_KEY);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", size.toString(), good.toString(), key.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> errors = lines(r.err().stripTrailing());
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith(size + ":2:16: ").contains("4G").contains("(allowed: ");
        assertThat(errors.get(1)).startsWith(key + ":2:1: ").contains("colour");
    }

    @Test
    void aMissingFileIsBadInputAtLineOne() {
        Path missing = dir.resolve("nope.yaml");
        Cli.Result r =
                Cli.run(List.of(Cli.linux418()), "run", missing.toString()).assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(missing + ":1:1: ").contains("does not exist");
    }

    @Test
    void anUnknownKernelIsBadInputListingTheRegisteredOnes() {
        Path f = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        Cli.Result r = Cli.run(
                        List.of(Cli.linux418(), TestKernels.refusing("9.0")),
                        "run",
                        "--kernel",
                        "4.18,6.1",
                        f.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("memcg-diff: unknown kernel '6.1' in --kernel (registered: 4.18, 9.0)\n");
    }

    @Test
    void anUnknownKernelAndABadFileAreReportedTogether() {
        Path bad = Cli.write(dir.resolve("size.yaml"), Scenarios.BAD_SIZE);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", "--kernel", "2.6", bad.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("unknown kernel '2.6'").contains(bad + ":2:16: ");
    }

    @Test
    void aFailureOfTheModelIsOneLineWithExitOneAndNoPartialOutput() {
        Path good = Cli.write(dir.resolve("good.yaml"), Scenarios.V2_NO_PRESSURE);
        Path oom = Cli.write(dir.resolve("oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(
                        List.of(Cli.linux418(), TestKernels.failingBoot("9.3")), "run", good.toString(), oom.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo("memcg-diff: internal error running " + good
                        + " on 9.3: IllegalStateException: boot failed on purpose second line\n");
    }

    @Test
    void theRegisteredKernelsRunWhenNoneAreInjected() {
        Path f = Cli.write(dir.resolve("v2.yaml"), Scenarios.V2_NO_PRESSURE);
        Cli.Result r = Cli.run("run", f.toString());

        assertThat(r.exit()).isZero();
        List<String> header = cells(row(r.out(), "kernel"));
        assertThat(header.subList(1, header.size()))
                .containsExactlyElementsOf(
                        Kernels.all().stream().map(Kernel::version).toList())
                .contains("4.18");
    }
}
