package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.incident.IncidentReport;
import dev.memcgdiff.incident.ReportParser;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Step;
import dev.memcgdiff.scenario.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each log of the import corpus must import to, fact by fact (the recorded files of
 * ImportCorpusTest pin every byte; these say why the bytes are right), the damaged variants, and
 * the command's options and errors.
 */
class ImportCommandTest {
    private static final Path CORPUS = ImportCorpusTest.CORPUS;

    @TempDir
    Path dir;

    /** Every report of a corpus log, imported and parsed back. */
    private static List<ImportCommand.Imported> imported(String log) {
        Path file = CORPUS.resolve(log);
        return ImportCommand.importAll(file, ReportParser.parse(ImportCommand.readLog(file)), null);
    }

    private static Scenario scenario(ImportCommand.Imported im) {
        try {
            return ScenarioParser.parse(
                    im.scenario().name() + ".yaml", im.scenario().yaml());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Scenario only(String log) {
        List<ImportCommand.Imported> all = imported(log);
        assertThat(all).as(log).hasSize(1);
        return scenario(all.get(0));
    }

    private static List<String> expectations(Scenario s, String key) {
        return s.expectations().stream()
                .filter(e -> e.kernel().equals(key) && !e.isKnownGap())
                .map(Expectation::text)
                .toList();
    }

    private static Map<String, String> knownGaps(Scenario s) {
        return s.expectations().stream()
                .filter(Expectation::isKnownGap)
                .collect(Collectors.toMap(Expectation::text, Expectation::knownGap, (a, b) -> a));
    }

    private static CgroupSpec cgroup(Scenario s, String path) {
        return s.cgroups().stream()
                .filter(c -> c.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no cgroup " + path));
    }

    private static String knob(Scenario s, String path, String knob) {
        return cgroup(s, path).knobs().stream()
                .filter(k -> k.name().equals(knob))
                .map(k -> k.raw())
                .findFirst()
                .orElse(null);
    }

    private static TaskSpec task(Scenario s, String name) {
        return s.tasks().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task " + name));
    }

    /** The YAML without its description, which names lines and what was read with problems. */
    static String withoutDescription(String yaml) {
        return yaml.replaceAll("(?s)description: \\|\\n.*?\\nrefs:", "refs:");
    }

    @Test
    void rhel7MemcgReportFromTheDeferredOomOfAFault() {
        Scenario s = only("310-memcg-deferred-fault.log");
        String pod = "/kubepods/burstable/pod1f2e9a77";

        assertThat(s.name()).isEqualTo("incident-310-memcg-anon-fault-memory");
        // memory failcnt above 0 with memsw failcnt 0 at equal limits: memory was hit (3.10 charges it first)
        assertThat(expectations(s, "3.10"))
                .contains(
                        "limit 0 == memory",
                        "victim 0 == java",
                        "pid 0 == 4242",
                        "oom_memcg 0 == " + pod,
                        "task_memcg 0 == " + pod + "/ctr-1",
                        pod + " memory.failcnt > 0",
                        pod + " memory.memsw.failcnt == 0");
        assertThat(knob(s, pod, "memory.limit_in_bytes")).isEqualTo("4G");
        assertThat(knob(s, pod, "memory.memsw.limit_in_bytes")).isEqualTo("4G");
        assertThat(knob(s, "/kubepods", "memory.use_hierarchy")).isEqualTo("1");
        assertThat(task(s, "java").oomScoreAdj()).isEqualTo(1000);
        assertThat(task(s, "java").uid()).isEqualTo(1000);
        assertThat(task(s, "java").cgroup()).isEqualTo(pod + "/ctr-1");
        // 3.10 prints no shmem key: tmpfs is the anon LRU that rss does not count, 500M
        assertThat(s.steps()).anyMatch(st -> st instanceof Step.Shmem sh && sh.pages() == 500 * 256);
        assertThat(s.description()).contains("3.10 prints no shmem key");
        // the trace shows only the deferred OOM (mem_cgroup_oom_synchronize): an anon fault, said inferred
        assertThat(s.steps().get(s.steps().size() - 1)).isInstanceOf(Step.Anon.class);
        assertThat(s.host().swapBytes()).isZero();
    }

    @Test
    void upstream415ReportGetsThe418ModuleWithTheReasonAndItsSwapFull() {
        Scenario s = only("415-memcg-docker-fault.log");

        assertThat(s.description()).contains("release 4.15.0-112-generic").contains("upstream 4.15-4.18");
        assertThat(expectations(s, "4.18")).contains("limit 0 == memory", "victim 0 == node", "pid 0 == 3011");
        // 256M swapped, the memory limit hit: the host's swap is exactly that, full at the OOM
        assertThat(s.host().swapBytes()).isEqualTo(256L << 20);
        assertThat(s.steps().get(0)).isInstanceOf(Step.Shmem.class);
        assertThat(((Step.Set) s.steps().get(1)).knobs().get(0).raw()).isEqualTo("0");
        assertThat(((Step.Set) s.steps().get(2)).knobs().get(0).raw()).isEqualTo("512M");
        assertThat(knownGaps(s)).containsKey("/docker/5a3c9d0e7b21 memory.kmem.usage_in_bytes@before-oom >= 9M");
    }

    @Test
    void rhel81HybridReadChargeWithTheLimitOnThePod() {
        Scenario s = only("rhel81-memcg-read.log");
        String pod = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice";

        assertThat(s.name()).isEqualTo("incident-418-memcg-read-memsw");
        assertThat(s.steps().get(s.steps().size() - 1)).isInstanceOf(Step.Read.class);
        assertThat(expectations(s, "4.18"))
                .contains("limit 0 == memsw", "oom_memcg 0 == " + pod, "task_memcg 0 == " + pod + "/docker-9f1e.scope");
        assertThat(s.host().nodes()).isEqualTo(2);
        assertThat(s.description()).contains("page cache: the report's 8.0M (under 1% of the limit) is left out");
    }

    @Test
    void v1ReportOfA5xKernelReadsMemoryStatLinesAndTheSummary() {
        Scenario s = only("54-v1-memcg-write.log");

        assertThat(s.name()).isEqualTo("incident-518-memcg-write-memory");
        assertThat(s.description()).contains("5.4.0-150-generic").contains("nearest modelled kernel");
        assertThat(s.cgroup().name()).isEqualToIgnoringCase("V1");
        assertThat(expectations(s, "5.18")).contains("/docker/7c1d44aa memory.stat:total_rss@before-oom ~ 512M 5%");
        // 492M of page cache the write could reclaim: the OOM itself is a known gap, never dropped
        assertThat(knownGaps(s)).containsKeys("kills == 1", "victim 0 == python3", "limit 0 == memory");
        assertThat(s.steps())
                .anyMatch(st -> st instanceof Step.Write w && w.file().equals("/data/dirty"));
    }

    @Test
    void cgroupV2ReportWithItsSwapMaxAndWhat310Must() {
        Scenario s = only("61-v2-memcg-anon.log");
        String svc = "/system.slice/pg.service";

        assertThat(s.cgroup().name()).isEqualToIgnoringCase("V2");
        assertThat(knob(s, svc, "memory.max")).isEqualTo("2G");
        assertThat(knob(s, svc, "memory.swap.max")).isEqualTo("512M");
        assertThat(s.expectations())
                .anyMatch(e -> e.kernel().equals("3.10") && e.lhs() instanceof Expectation.Observable.Unsupported);
        assertThat(task(s, "postgres").pid()).isEqualTo(41022);
        assertThat(task(s, "postgres-2").oomScoreAdj()).isEqualTo(-900);
        assertThat(knownGaps(s)).containsKey(svc + " memory.stat:kernel@before-oom >= 29488K");
        assertThat(s.description()).contains("maps 293.0M of tmpfs (shmem-rss)");
    }

    @Test
    void rhel7GlobalOomWithAChildSacrificed() {
        Scenario s = only("310-global-child-sacrifice.log");

        assertThat(s.name()).isEqualTo("incident-310-global-oom-anon-fault");
        assertThat(expectations(s, "3.10"))
                .contains(
                        "victim 0 == stress",
                        "pid 0 == 2202",
                        "constraint 0 == CONSTRAINT_NONE",
                        "oom_memcg 0 == global",
                        "limit 0 == host");
        assertThat(knownGaps(s)).containsKey("pid 0 == 2205");
        assertThat(s.host().memoryBytes()).isEqualTo(2097022L * 4096);
        assertThat(s.host().swapBytes()).isEqualTo(2097148L * 1024);
        assertThat(s.host().minFreeKbytes()).isEqualTo(11584);
        assertThat(s.cgroups()).isEmpty();
    }

    @Test
    void globalOomOf5xPutsTheVictimInItsMemcgAndLeavesInitOut() {
        Scenario s = only("515-global-no-swap.log");

        assertThat(task(s, "ml-train").cgroup()).isEqualTo("/user.slice/user-1000.slice/session-3.scope");
        assertThat(task(s, "gnome-shell").cgroup()).isEqualTo("/");
        assertThat(s.tasks()).noneMatch(t -> t.name().equals("systemd"));
        assertThat(knownGaps(s)).containsKey("/proc/meminfo:Slab@before-oom >= 169200K");
        assertThat(s.host().swapBytes()).isZero();
    }

    @Test
    void aLogWrappedByATerminalImportsAsTheCleanOne() {
        List<ImportCommand.Imported> wrapped = imported("damaged-310-wrapped-80.log");
        List<ImportCommand.Imported> clean = imported("310-memcg-deferred-fault.log");

        assertThat(wrapped).hasSize(1);
        assertThat(withoutDescription(wrapped.get(0).scenario().yaml()).replace("damaged-310-wrapped-80", "x"))
                .isEqualTo(withoutDescription(clean.get(0).scenario().yaml()).replace("310-memcg-deferred-fault", "x"));
        assertThat(wrapped.get(0).report().problems())
                .anyMatch(p -> p.matches("line 1: continued on line 2 .*"))
                .allMatch(p -> p.contains("continued on line"));
    }

    @Test
    void twoHostsInterleavedAreTwoReportsEachAsIfAlone() {
        List<ImportCommand.Imported> both = imported("damaged-two-hosts-interleaved.log");

        assertThat(both).extracting(im -> im.report().host()).containsExactly("worker-7", "legacy-2");
        assertThat(withoutDescription(both.get(0).scenario().yaml()).replace("damaged-two-hosts-interleaved", "x"))
                .isEqualTo(withoutDescription(imported("rhel81-memcg-read.log")
                                .get(0)
                                .scenario()
                                .yaml())
                        .replace("rhel81-memcg-read", "x"));
        assertThat(withoutDescription(both.get(1).scenario().yaml()).replace("damaged-two-hosts-interleaved", "x"))
                .isEqualTo(withoutDescription(imported("310-memcg-deferred-fault.log")
                                .get(0)
                                .scenario()
                                .yaml())
                        .replace("310-memcg-deferred-fault", "x"));
    }

    @Test
    void reportsCutAnywhereKeepWhatTheyHaveAndSaySoByLine() {
        List<ImportCommand.Imported> cut = imported("damaged-cut-reports.log");

        assertThat(cut).hasSize(2);
        IncidentReport first = cut.get(0).report();
        assertThat(first.lastLine()).isEqualTo(38);
        assertThat(first.killed()).isEmpty();
        assertThat(first.memcgStats()).containsKey("file_mapped").doesNotContainKey("file_dirty");
        Scenario a = scenario(cut.get(0));
        assertThat(expectations(a, "5.18")).noneMatch(e -> e.startsWith("victim"));
        assertThat(a.description()).contains("victim: none in the report");
        IncidentReport second = cut.get(1).report();
        assertThat(second.problems().get(0)).startsWith("line 39: the report starts here, without its first lines");
        Scenario b = scenario(cut.get(1));
        assertThat(b.cgroup().name()).isEqualToIgnoringCase("V2");
        assertThat(b.description()).contains("4.19+ formats");
        assertThat(expectations(b, "5.18")).contains("victim 0 == postgres");
    }

    @Test
    void noiseInsideAReportIsReportedByLineAndTheImportGoesOn() {
        List<ImportCommand.Imported> noisy = imported("damaged-noise-crlf.log");

        assertThat(noisy).hasSize(1);
        List<String> problems = noisy.get(0).report().problems();
        assertThat(problems)
                .anyMatch(p -> p.matches("line 6: not a line of an OOM report, skipped: \"IPv6: ADDRCONF.*"))
                .anyMatch(p -> p.matches("line 29: a counter line that cannot be read .*\"memory: usage 20971\""))
                .anyMatch(p ->
                        p.equals("line 12: text after the frame try_charge ignored: \"<-- the charge that failed\""));
        assertThat(withoutDescription(noisy.get(0).scenario().yaml()).replace("damaged-noise-crlf", "x"))
                .isEqualTo(withoutDescription(imported("rhel81-memcg-read.log")
                                .get(0)
                                .scenario()
                                .yaml())
                        .replace("rhel81-memcg-read", "x"));
    }

    @Test
    void noReportIsBadInputAndAMissingFileToo() {
        Cli.Result none = Cli.run("import", CORPUS.resolve("no-oom-report.log").toString())
                .assertNoStackTrace();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no-oom-report.log: no OOM report found (3 lines read");

        Cli.Result missing =
                Cli.run("import", dir.resolve("nope.log").toString()).assertNoStackTrace();
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.log: the log does not exist");
    }

    @Test
    void outWritesAFileNamedAfterItOrOneFilePerReportIntoADirectory() throws IOException {
        Path one = dir.resolve("golden/scenarios/my-incident.yaml");
        Cli.Result r = Cli.run("import", CORPUS.resolve("rhel81-memcg-read.log").toString(), "--out", one.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(one)).startsWith("name: my-incident\n");
        assertThat(r.err()).contains("-> my-incident written to " + one);
        // the written file is a valid scenario
        assertThat(Cli.run("validate", one.toString()).exit()).isZero();

        Path into = dir.resolve("out");
        Files.createDirectories(into);
        Cli.Result two = Cli.run(
                "import", CORPUS.resolve("damaged-two-hosts-interleaved.log").toString(), "--out", into.toString());
        assertThat(two.exit()).isZero();
        try (var files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("incident-310-memcg-anon-fault-memory.yaml", "incident-418-memcg-read-memsw.yaml");
        }

        Path several = dir.resolve("two.yaml");
        Cli.run("import", CORPUS.resolve("damaged-two-hosts-interleaved.log").toString(), "--out", several.toString());
        assertThat(dir.resolve("two-1.yaml")).exists();
        assertThat(Files.readString(dir.resolve("two-2.yaml"))).startsWith("name: two-2\n");

        Cli.Result bad = Cli.run(
                "import",
                CORPUS.resolve("rhel81-memcg-read.log").toString(),
                "--out",
                dir.resolve("My File.yaml").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("the file name must be a scenario name");
    }

    @Test
    void helpNamesTheFormatsAndTheExitStatus() {
        assertThat(Cli.run("import", "--help").out().replaceAll("\\s+", " "))
                .contains("REPORT")
                .contains("--out")
                .contains("3.10 (RHEL 7)");
        assertThat(Cli.run("replay", "--help").out().replaceAll("\\s+", " "))
                .contains("match, differs, known gap, not in the report")
                .contains("3 an expectation failed");
    }
}
