package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.expect.ExpectationResult.Verdict;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.scenario.Expectation.Observable;
import dev.memcgdiff.scenario.HostSpec.DirtySysctls;
import dev.memcgdiff.scenario.HostSpec.Disk;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forms that simulated time adds: durations, the host's CPUs, disks, dirty sysctls, fs and
 * psi; task parents and caps; the sleep and together steps; the step N elapsed and time@LABEL
 * expectations, and how the checker reports them while outcomes record no times.
 */
class ScenarioParserTimeTest {
    private static final long MS = Durations.NANOS_PER_MS;
    private static final long S = Durations.NANOS_PER_S;
    private static final long M = 1L << 20;
    private static final String FILE = "time.yaml";

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioParser.parse(FILE, text);
    }

    private static SourcePos at(int line, int column) {
        return new SourcePos(FILE, line, column);
    }

    /** A scenario whose host is the given line (line 2). */
    private static HostSpec host(String line) throws ScenarioException {
        return parse(doc("name: t", line, "cgroup: v1", "tasks: {}", "steps: [{host: {size: 1M}}]"))
                .host();
    }

    // Durations

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "500us, 500000",
        "20ms, 20000000",
        "3s, 3000000000",
        "2m, 120000000000",
        "0s, 0",
        "0us, 0",
        "007ms, 7000000",
        "1440m, 86400000000000",
        "1us, 1000",
        "4611686018s, 4611686018000000000"
    })
    void durationsAreWholeNumbersWithAUnit(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(new Durations.Parsed(nanos, null));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5s | a duration is a whole number: write \"1.5s\" in a smaller unit (1500ms, not 1.5s)",
                ".5ms | a duration is a whole number",
                "3 | a duration needs a unit: write 3s, 3ms or 3us, not 3",
                "'3 s' | write durations as 3s, without a space",
                "1h | hours are not a unit: write minutes (1h = 60m)",
                "2h | 2h = 120m",
                "1d | days are not a unit: write minutes (1d = 1440m)",
                "-1s | a duration cannot be negative: \"-1s\"",
                "-5 | a duration cannot be negative",
                "3S | duration units are lowercase: write 3s, not 3S",
                "20MS | duration units are lowercase: write 20ms, not 20MS",
                "2M | 2M is a size (M = MiB); a duration in minutes is 2m",
                "1000ns | the smallest unit is us: write 1us, not 1000ns",
                "5ns | the smallest unit is us (1us = 1000ns), and 5ns is not a whole number of us",
                "3sec | write seconds as s: 3s",
                "3min | write minutes as m: 3m",
                "5µs | write microseconds as us: 5us",
                "5msec | write milliseconds as ms: 5ms",
                "4611686019s | the duration \"4611686019s\" is too long (over 2^62 ns)",
                "99999999999999999999us | is too long",
                "3x | unknown duration unit \"x\"",
                "s | \"s\" is not a duration",
                "'' | \"\" is not a duration",
                "+3s | \"+3s\" is not a duration",
                "1:30 | \"1:30\" is not a duration"
            })
    void otherFormsAreRefusedWithAHint(String text, String problem) {
        Durations.Parsed parsed = Durations.parse(text);
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.problem()).contains(problem);
    }

    @ParameterizedTest(name = "{0} ns is written {1}")
    @CsvSource({
        "0, 0s",
        "120000000000, 2m",
        "90000000000, 90s",
        "1500000000, 1500ms",
        "100000, 100us",
        "1, 1ns",
        "1500, 1500ns",
        "86400000000000, 1440m"
    })
    void durationsFormatInTheLargestExactUnit(long nanos, String text) {
        assertThat(Durations.format(nanos)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} reads back")
    @CsvSource({"500us", "20ms", "3s", "2m", "0s", "1440m"})
    void formattedDurationsParseBack(String text) {
        long nanos = Durations.parse(text).nanos();
        assertThat(Durations.parse(Durations.format(nanos)).nanos()).isEqualTo(nanos);
    }

    // host

    @Test
    void absentHostKeysTakeTheirDefaults() throws ScenarioException {
        HostSpec host = host("host: {memory: 1G}");
        assertThat(host.cpus()).isEqualTo(4);
        assertThat(host.disk()).isEqualTo(new Disk(500 * M, 200 * M, 100_000));
        assertThat(host.disk()).isEqualTo(Disk.DEFAULT);
        assertThat(host.swapDisk()).isNull();
        assertThat(host.swapDevice()).isSameAs(host.disk());
        assertThat(host.dirty()).isEqualTo(new DirtySysctls(20, 10, 0, 0, 3000, 500));
        assertThat(host.dirty().usesBytes()).isFalse();
        assertThat(host.dirty().backgroundUsesBytes()).isFalse();
        assertThat(host.fs()).isEqualTo(HostSpec.Fs.EXT4);
        assertThat(host.psi()).isEqualTo(HostSpec.Psi.UNSET);
        // The constructor of the host before time gives exactly these defaults.
        assertThat(host).isEqualTo(new HostSpec(1L << 30, 0, 1, -1, 60, ThpMode.NEVER, at(2, 1)));
    }

    @Test
    void everyHostKey() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host:",
                "  memory: 1G",
                "  cpus: 1024",
                "  disk: {read: 1G, write: 100M, latency: 2ms}",
                "  swap_disk: {read: 50M, write: 25M, latency: 10s}",
                "  dirty_ratio: 0",
                "  dirty_background_ratio: 100",
                "  dirty_bytes: 8K",
                "  dirty_background_bytes: 1",
                "  dirty_expire_centisecs: 0",
                "  dirty_writeback_centisecs: 2147483647",
                "  fs: xfs",
                "  psi: true",
                "cgroup: v1",
                "tasks: {}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.host())
                .isEqualTo(new HostSpec(
                        1L << 30,
                        0,
                        1,
                        -1,
                        60,
                        ThpMode.NEVER,
                        1024,
                        new Disk(1L << 30, 100 * M, 2 * MS),
                        new Disk(50 * M, 25 * M, 10 * S),
                        new DirtySysctls(0, 100, 8192, 1, 0, Integer.MAX_VALUE),
                        HostSpec.Fs.XFS,
                        HostSpec.Psi.ON,
                        at(2, 1)));
        assertThat(s.host().swapDevice()).isEqualTo(new Disk(50 * M, 25 * M, 10 * S));
    }

    @Test
    void aDiskKeyLeftOutTakesTheDefaultDisksValue() throws ScenarioException {
        HostSpec host = host("host: {memory: 1G, disk: {read: 1G}, swap_disk: {write: 1M}}");
        assertThat(host.disk()).isEqualTo(new Disk(1L << 30, 200 * M, 100_000));
        assertThat(host.swapDisk()).isEqualTo(new Disk(500 * M, M, 100_000));
        assertThat(host("host: {memory: 1G, disk: {}, swap_disk: {}}").swapDisk())
                .isEqualTo(Disk.DEFAULT);
        assertThat(host("host: {memory: 1G, disk: {latency: 0us}}").disk().latencyNs())
                .isZero();
        assertThat(host("host: {memory: 1G, disk: {read: 1, write: 1T}}").disk())
                .isEqualTo(new Disk(1, 1L << 40, 100_000));
    }

    @Test
    void dirtyBytesAndRatiosAreBothKeptAsWritten() throws ScenarioException {
        DirtySysctls d = host("host: {memory: 1G, dirty_ratio: 30, dirty_bytes: 64M, dirty_background_bytes: 4097}")
                .dirty();
        assertThat(d.ratio()).isEqualTo(30);
        assertThat(d.bytes()).isEqualTo(64 * M);
        assertThat(d.usesBytes())
                .as("the kernel uses dirty_bytes when it is non-zero")
                .isTrue();
        assertThat(d.backgroundRatio()).isEqualTo(10);
        assertThat(d.backgroundBytes()).as("exact bytes, not rounded to pages").isEqualTo(4097);
        assertThat(d.backgroundUsesBytes()).isTrue();
        DirtySysctls unset = host("host: {memory: 1G, dirty_bytes: 0, dirty_background_bytes: 0}")
                .dirty();
        assertThat(unset).isEqualTo(DirtySysctls.DEFAULT);
        assertThat(unset.usesBytes()).isFalse();
    }

    @ParameterizedTest(name = "psi: {0}")
    @CsvSource({"true, ON", "false, OFF", "default, DEFAULT", "'\"true\"', ON", "'!!bool false', OFF"})
    void psiIsTrueFalseOrTheKernelsDefault(String written, HostSpec.Psi psi) throws ScenarioException {
        assertThat(host("host: {memory: 1G, psi: " + written + "}").psi()).isEqualTo(psi);
    }

    @Test
    void theOldHostConstructorStillWorks() {
        HostSpec host = new HostSpec(64L << 30, 0, 2, -1, 60, ThpMode.NEVER, null);
        assertThat(host.memoryPages()).isEqualTo(16L << 20);
        assertThat(host.cpus()).isEqualTo(HostSpec.DEFAULT_CPUS);
        assertThat(host.dirty()).isEqualTo(DirtySysctls.DEFAULT);
        assertThat(host.swapDevice()).isEqualTo(Disk.DEFAULT);
    }

    // tasks

    @Test
    void tasksHaveParentsAndCaps() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v2",
                "cgroups: {/a: {}}",
                "tasks:",
                "  init: {cgroup: /}",
                "  dockerd: {cgroup: /, parent: init, caps: [CAP_SYS_ADMIN]}",
                "  app: {cgroup: /a, parent: dockerd, caps: []}",
                "  sidecar: {cgroup: /a}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.tasks())
                .containsExactly(
                        new TaskSpec("init", "/", 1000, 0, 0, null, Set.of(), at(6, 3)),
                        new TaskSpec("dockerd", "/", 1001, 0, 0, "init", Set.of("CAP_SYS_ADMIN"), at(7, 3)),
                        new TaskSpec("app", "/a", 1002, 0, 0, "dockerd", Set.of(), at(8, 3)),
                        new TaskSpec("sidecar", "/a", 1003, 0, 0, null, Set.of(), at(9, 3)));
        assertThat(s.tasks().get(1).hasCap(TaskSpec.CAP_SYS_ADMIN)).isTrue();
        assertThat(s.tasks().get(2).hasCap(TaskSpec.CAP_SYS_ADMIN)).isFalse();
        assertThat(s.tasks().get(3))
                .as("the constructor of the task before time: no parent, no caps")
                .isEqualTo(new TaskSpec("sidecar", "/a", 1003, 0, 0, at(9, 3)));
        assertThatThrownBy(() -> s.tasks().get(1).caps().add("CAP_X"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // steps

    @Test
    void sleepLetsTheClockRun() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "tasks: {}",
                "steps:",
                "  - sleep: {for: 30s}",
                "  - sleep: {for: \"500us\"}",
                "  - sleep:",
                "      for: 1440m"));
        assertThat(s.steps())
                .containsExactly(
                        new Step.Sleep(0, at(6, 5), 30 * S),
                        new Step.Sleep(1, at(7, 5), 500_000),
                        new Step.Sleep(2, at(8, 5), 1440 * 60 * S));
        assertThat(s.steps()).extracting(Step::op).containsOnly("sleep");
        assertThat(s.steps()).extracting(Step::task).containsOnlyNulls();
    }

    private static final String TOGETHER = doc(
            "name: t",
            "host: {memory: 1G}",
            "cgroup: v2",
            "cgroups: {/a: {}}",
            "tasks:",
            "  t1: {cgroup: /a}",
            "  t2: {cgroup: /a}",
            "  t3: {cgroup: /}",
            "  t4: {cgroup: /a}",
            "  t5: {cgroup: /a}",
            "  t6: {cgroup: /a}",
            "  t7: {cgroup: /a}",
            "steps:",
            "  - anon: {task: t7, size: 2M}",
            "  - together:",
            "      - anon: {task: t1, size: 1M, rate: 1M}",
            "      - shmem: {task: t2, file: /dev/shm/s, size: 1M}",
            "      - read: {task: t3, file: /data/x, size: 1M, offset: 4K, rate: 100M}",
            "      - write: {task: t4, file: /data/y, size: 1M, rate: 1}",
            "      - mmap: {task: t5, file: /data/lib.so, size: 1M}",
            "      - touch: {task: t6, what: anon, size: 1M, pattern: random, passes: 2}",
            "      - free: {task: t7, size: 1M}",
            "  - together: [{anon: {task: t1, size: 4K}}, {anon: {task: t2, size: 4K, rate: 1T}}]",
            "  - exit: {task: t1}",
            "  - sleep: {for: 2m}",
            "  - snapshot: after",
            "expect:",
            "  all:",
            "    - \"step 1 == ok\"",
            "    - \"step 1 elapsed >= 20ms\"",
            "    - \"step 4 elapsed == 2m\"",
            "    - \"time@after >= 2m\"",
            "    - \"time ~ 2m 5%\"",
            "    - \"time@end < 3m\"",
            "  \"5.18\": [\"step 2 elapsed != 0s\"]");

    @Test
    void togetherRunsTaskStepsAtTheSameTime() throws ScenarioException {
        Scenario s = parse(TOGETHER);
        assertThat(s.steps()).hasSize(6);
        Step.Together together = (Step.Together) s.steps().get(1);
        long page = 1;
        long mPages = 256;
        assertThat(together)
                .isEqualTo(new Step.Together(
                        1,
                        at(15, 5),
                        List.of(
                                new Step.Paced(new Step.Anon(1, at(16, 9), "t1", mPages), M),
                                new Step.Paced(new Step.Shmem(1, at(17, 9), "t2", "/dev/shm/s", mPages), 0),
                                new Step.Paced(new Step.Read(1, at(18, 9), "t3", "/data/x", page, mPages), 100 * M),
                                new Step.Paced(new Step.Write(1, at(19, 9), "t4", "/data/y", mPages), 1),
                                new Step.Paced(new Step.Mmap(1, at(20, 9), "t5", "/data/lib.so", 0, mPages), 0),
                                new Step.Paced(
                                        new Step.Touch(
                                                1,
                                                at(21, 9),
                                                "t6",
                                                new Step.TouchTarget(Step.TouchTarget.Kind.ANON, null),
                                                mPages,
                                                Step.Pattern.RANDOM,
                                                2),
                                        0),
                                new Step.Paced(new Step.Free(1, at(22, 9), "t7", mPages), Step.Paced.UNPACED))));
        assertThat(together.op()).isEqualTo("together");
        assertThat(together.task()).isNull();
        assertThat(together.tasks()).containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7");
        assertThat(together.steps())
                .extracting(p -> p.step().index())
                .as("inner steps carry the together's index")
                .containsOnly(1);
        assertThat(together.steps())
                .extracting(Step.Paced::paced)
                .containsExactly(true, false, true, true, false, false, false);
        Step.Together flow = (Step.Together) s.steps().get(2);
        assertThat(flow.steps()).extracting(Step.Paced::rateBps).containsExactly(0L, 1L << 40);
        assertThat(s.steps()).extracting(Step::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(s.steps().get(3)).isEqualTo(new Step.Exit(3, at(24, 5), "t1"));
        assertThat(s.steps().get(4)).isEqualTo(new Step.Sleep(4, at(25, 5), 2 * 60 * S));
    }

    @Test
    void aTogetherDoesNotCountAsItsTasksExit() throws ScenarioException {
        Scenario s = parse(doc(ScenarioErrorCase.HEAD.toArray(String[]::new))
                + doc(
                        "  - together:",
                        "      - anon: {task: app, size: 1M}",
                        "      - anon: {task: other, size: 1M}",
                        "  - together:",
                        "      - free: {task: other, size: 1M}",
                        "      - touch: {task: app, what: anon, size: 1M}",
                        "  - exit: {task: app}"));
        assertThat(s.steps()).extracting(Step::op).containsExactly("together", "together", "exit");
    }

    // expectations

    @Test
    void elapsedAndTimeAreComparedWithDurations() throws ScenarioException {
        List<Expectation> e = parse(TOGETHER).expectations();
        assertThat(e)
                .extracting(Expectation::lhs)
                .containsExactly(
                        new Observable.StepResult(1),
                        new Observable.Elapsed(1),
                        new Observable.Elapsed(4),
                        new Observable.Time("after"),
                        new Observable.Time("end"),
                        new Observable.Time("end"),
                        new Observable.Elapsed(2));
        assertThat(e)
                .extracting(Expectation::op)
                .containsExactly(
                        Expectation.Op.EQ,
                        Expectation.Op.GE,
                        Expectation.Op.EQ,
                        Expectation.Op.GE,
                        Expectation.Op.APPROX,
                        Expectation.Op.LT,
                        Expectation.Op.NE);
        assertThat(e)
                .extracting(Expectation::value)
                .containsExactly(
                        new Expectation.Value("ok", null),
                        new Expectation.Value("20ms", 20 * MS),
                        new Expectation.Value("2m", 120 * S),
                        new Expectation.Value("2m", 120 * S),
                        new Expectation.Value("2m", 120 * S),
                        new Expectation.Value("3m", 180 * S),
                        new Expectation.Value("0s", 0L));
        assertThat(e.get(4).tolerancePct()).isEqualTo(5.0);
        assertThat(e.get(6).kernel()).isEqualTo("5.18");
        assertThat(e).extracting(x -> x.lhs().isTime()).containsExactly(false, true, true, true, true, true, true);
    }

    private static Outcome ran(String kernel, Scenario s) {
        List<StepRecord> steps = s.steps().stream()
                .map(step -> new StepRecord(step.index(), step.op(), step.task(), "ok", 0))
                .toList();
        return new Outcome(
                s.name(), kernel, kernel, "ok", null, steps, List.of(), Map.of(), List.of(), Map.of(), List.of());
    }

    @Test
    void theCheckerReadsTheTimesOfStepsAndSnapshots() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "tasks: {}",
                "steps:",
                "  - sleep: {for: 1s}",
                "expect:",
                "  all: [\"step 0 elapsed >= 1s\", \"step 0 elapsed > 1s\", \"time >= 1s\", \"time < 1s\"]"));
        Outcome o = new Outcome(
                s.name(),
                "4.18",
                "4.18",
                "ok",
                null,
                List.of(new StepRecord(0, "sleep", null, "ok", 0, 0, S, List.of())),
                List.of(),
                Map.of(Outcome.END, new Snapshot(Map.of(), Map.of(), Map.of(), S)),
                List.of(),
                Map.of(),
                List.of());
        assertThat(ExpectationChecker.check(s, o))
                .extracting(ExpectationResult::verdict)
                .containsExactly(Verdict.PASSED, Verdict.FAILED, Verdict.PASSED, Verdict.FAILED);
        Outcome refused = Outcome.unsupported(s.name(), "3.10", "3.10", "no clock");
        assertThat(ExpectationChecker.check(s, refused))
                .extracting(ExpectationResult::verdict)
                .as("an all expectation on a kernel that refused the scenario")
                .containsOnly(Verdict.NOT_APPLICABLE);
    }
}
