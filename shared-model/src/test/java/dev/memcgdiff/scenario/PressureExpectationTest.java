package dev.memcgdiff.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.expect.ExpectationResult.Verdict;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.scenario.Expectation.Observable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expectations on the pressure files (/proc/pressure/memory, cgroup v2 memory.pressure): their
 * keys, averages as percents with two decimals, the words of a failed read, and a right-hand
 * side that is another file's value.
 */
class PressureExpectationTest {
    /** Lines 1-11: a v2 scenario that records pressure, cgroup /a, task app, snapshot s1; expect from line 12. */
    private static String v2(String psi, String... expect) {
        StringBuilder sb = new StringBuilder(String.join(
                "\n",
                "name: t",
                "host: {memory: 1G" + psi + "}",
                "cgroup: v2",
                "cgroups:",
                "  /a: {}",
                "tasks:",
                "  app: {cgroup: /a}",
                "steps:",
                "  - anon: {task: app, size: 4M}",
                "  - snapshot: s1",
                "expect:"));
        if (expect.length == 1) {
            sb.append("\n  all: [\"").append(expect[0]).append("\"]");
        } else {
            sb.append("\n  all:");
            for (String e : expect) {
                sb.append("\n    - \"").append(e).append('"');
            }
        }
        return sb.append('\n').toString();
    }

    private static String recorded(String expect) {
        return v2(", psi: true", expect);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                ScenarioErrorCase.of(
                        "memory.pressure on v1",
                        ScenarioErrorCase.expect("  all: [\"/a memory.pressure:some_total > 0\"]"),
                        14,
                        9,
                        "memory.pressure is a cgroup v2 file",
                        "on cgroup v1, the system's pressure: /proc/pressure/memory:KEY"),
                ScenarioErrorCase.of(
                        "psi not written",
                        v2("", "/proc/pressure/memory:some_total > 0"),
                        12,
                        9,
                        "/proc/pressure/memory is recorded only when host.psi is written",
                        "psi: default (each kernel's own), true or false under host"),
                ScenarioErrorCase.of(
                        "no key",
                        recorded("/proc/pressure/memory > 0"),
                        12,
                        9,
                        "/proc/pressure/memory needs a key: /proc/pressure/memory:KEY",
                        "a key some_avg10, some_avg60, some_avg300, some_total, full_avg10"),
                ScenarioErrorCase.of(
                        "unknown key",
                        recorded("/a memory.pressure:avg10 > 1"),
                        12,
                        9,
                        "memory.pressure has no key \"avg10\"",
                        "(avgN in percent, total in microseconds)"),
                ScenarioErrorCase.of(
                        "three decimals",
                        recorded("/a memory.pressure:some_avg10 > 1.234"),
                        12,
                        9,
                        "the value \"1.234\" is not a pressure percent",
                        "a percent 0..100 with at most two decimals as the file prints it (63.18)"),
                ScenarioErrorCase.of(
                        "over 100",
                        recorded("/a memory.pressure:full_avg60 < 100.5"),
                        12,
                        9,
                        "the percent 100.5 is over 100",
                        "a percent 0..100"),
                ScenarioErrorCase.of(
                        "average against a total",
                        recorded("/a memory.pressure:some_avg10 <= /a memory.pressure:some_total"),
                        12,
                        9,
                        "a pressure average compares only with a pressure average",
                        "avgN with avgN (percent), other files with other files"),
                ScenarioErrorCase.of(
                        "undeclared cgroup on the right",
                        recorded("/a memory.current <= /zz memory.current"),
                        12,
                        9,
                        "the cgroup /zz is not declared under cgroups",
                        "/a"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedWithPositionAndWhatIsAllowed(ScenarioErrorCase c) {
        c.check();
    }

    @Test
    void pressureKeysPercentsWordsAndFileValues() throws ScenarioException {
        Scenario s = ScenarioParser.parse(
                "t.yaml",
                v2(
                        ", psi: default",
                        "/a memory.pressure:some_avg10@s1 >= 63.18",
                        "/a memory.pressure:full_avg300 < 5",
                        "/a memory.pressure:some_avg60 ~ 0.5 10%",
                        "/proc/pressure/memory:full_total == ENOENT",
                        "/a memory.pressure:full_total <= /a memory.pressure:some_total",
                        "/proc/pressure/memory:some_total == / memory.pressure:some_total",
                        "/a memory.current ~ /a memory.current@s1 5%",
                        "/a memory.pressure:full_avg10 < /proc/pressure/memory:some_avg10@s1"));
        List<Expectation> e = s.expectations();
        assertThat(e)
                .extracting(Expectation::lhs)
                .containsExactly(
                        new Observable.CgroupFile("/a", "memory.pressure", "some_avg10", "s1"),
                        new Observable.CgroupFile("/a", "memory.pressure", "full_avg300", "end"),
                        new Observable.CgroupFile("/a", "memory.pressure", "some_avg60", "end"),
                        new Observable.HostFile("/proc/pressure/memory", "full_total", "end"),
                        new Observable.CgroupFile("/a", "memory.pressure", "full_total", "end"),
                        new Observable.HostFile("/proc/pressure/memory", "some_total", "end"),
                        new Observable.CgroupFile("/a", "memory.current", null, "end"),
                        new Observable.CgroupFile("/a", "memory.pressure", "full_avg10", "end"));
        assertThat(e)
                .extracting(Expectation::value)
                .containsExactly(
                        new Expectation.Value("63.18", 6318L),
                        new Expectation.Value("5", 500L),
                        new Expectation.Value("0.5", 50L),
                        new Expectation.Value("ENOENT", null),
                        new Expectation.Value(
                                "/a", null, new Observable.CgroupFile("/a", "memory.pressure", "some_total", "end")),
                        new Expectation.Value(
                                "/", null, new Observable.CgroupFile("/", "memory.pressure", "some_total", "end")),
                        new Expectation.Value(
                                "/a", null, new Observable.CgroupFile("/a", "memory.current", null, "s1")),
                        new Expectation.Value(
                                "/proc/pressure/memory:some_avg10@s1",
                                null,
                                new Observable.HostFile("/proc/pressure/memory", "some_avg10", "s1")));
        assertThat(e.get(2).tolerancePct()).isEqualTo(10.0);
        assertThat(e.get(6).tolerancePct()).isEqualTo(5.0);
    }

    @Test
    void aCgroupPathAfterTheOperatorIsStillAWord() throws ScenarioException {
        Scenario s = ScenarioParser.parse("t.yaml", v2("", "oom_memcg 0 == /a", "task_memcg 0 != /a"));
        assertThat(s.expectations())
                .extracting(Expectation::value)
                .containsExactly(new Expectation.Value("/a", null), new Expectation.Value("/a", null));
    }

    @Test
    void theCheckerReadsPressureLinesWordsAndOtherFiles() throws ScenarioException {
        Scenario s = ScenarioParser.parse(
                "t.yaml",
                v2(
                        ", psi: true",
                        "/a memory.pressure:some_avg10 == 63.18",
                        "/a memory.pressure:some_total == 10005000",
                        "/a memory.pressure:full_avg60 > 15.32",
                        "/a memory.pressure:full_total < /a memory.pressure:some_total",
                        "/a memory.pressure:full_total <= /a memory.pressure:some_total",
                        "/proc/pressure/memory:some_total == ENOENT",
                        "/proc/pressure/memory:some_total > 0",
                        "/ memory.pressure:some_avg10 < /a memory.pressure:some_avg10"));
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("some", "avg10=63.18 avg60=15.32 avg300=3.37 total=10005000");
        lines.put("full", "avg10=63.18 avg60=15.32 avg300=3.37 total=10005000");
        Map<String, CgroupFiles> cgroups = new LinkedHashMap<>();
        cgroups.put("/", new CgroupFiles().putFile("memory.pressure", Map.of("some", "avg10=0.50 total=1")));
        cgroups.put("/a", new CgroupFiles().putFile("memory.pressure", lines));
        Snapshot end = new Snapshot(cgroups, Map.of(), Map.of(), Map.of("/proc/pressure/memory", "ENOENT"), 0);
        List<StepRecord> steps =
                List.of(new StepRecord(0, "anon", "app", "ok", 1024), new StepRecord(1, "snapshot", null, "ok", 0));
        Outcome o = new Outcome(
                s.name(),
                "3.10",
                "3.10",
                "ok",
                null,
                steps,
                List.of(),
                Map.of("s1", end, Outcome.END, end),
                List.of(),
                Map.of(),
                List.of());
        List<ExpectationResult> r = ExpectationChecker.check(s, o);
        assertThat(r)
                .extracting(ExpectationResult::verdict)
                .containsExactly(
                        Verdict.PASSED,
                        Verdict.PASSED,
                        Verdict.FAILED,
                        Verdict.FAILED,
                        Verdict.PASSED,
                        Verdict.PASSED,
                        Verdict.FAILED,
                        Verdict.PASSED);
        assertThat(r.get(0).observed()).isEqualTo("6318");
        assertThat(r.get(0).where()).contains("hundredths of a percent");
        assertThat(r.get(3).observed()).isEqualTo("10005000 vs 10005000");
        assertThat(r.get(6).observed()).isEqualTo("ENOENT");
        assertThat(r.get(6).where()).contains("not on this kernel");
    }
}
