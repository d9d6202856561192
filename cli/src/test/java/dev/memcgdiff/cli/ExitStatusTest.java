package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memcgdiff.scenario.ScenarioParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit statuses the commands document: 3 for a failed expectation, 4 for too little heap; known gaps. */
class ExitStatusTest {
    @TempDir
    Path dir;

    /** MEMCG_OOM with only true expectations, plus the two kinds of known gap. */
    private static String withGaps(String gaps) {
        return Scenarios.MEMCG_OOM.replace("    - \"step 1 == ok\"\n", gaps);
    }

    @Test
    void everyExpectationHoldingExitsZero() {
        Path f = Cli.write(dir.resolve("ok.yaml"), withGaps(""));
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString()).assertNoStackTrace();

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\nexpectations on 4.18: 3 passed, 0 failed\n");
    }

    @Test
    void anOpenKnownGapIsReportedAndDoesNotFail() {
        Path f = Cli.write(
                dir.resolve("gap.yaml"),
                withGaps("    - {check: \"kills == 2\", known-gap: \"the model has no fork (docs/FIDELITY.md)\"}\n"));
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "run", f.toString()).assertNoStackTrace();

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("\nexpectations on 4.18: 3 passed, 0 failed, 1 known gap\n")
                .contains("\n  GAP   kills == 2: saw 1 (oom kills) at " + f
                        + ":22:15; known gap: the model has no fork (docs/FIDELITY.md)\n");
    }

    @Test
    void aKnownGapThatHoldsFailsUntilTheMarkerIsRemoved() {
        Path f = Cli.write(
                dir.resolve("closed.yaml"), withGaps("    - {check: \"kills == 1\", known-gap: \"was open\"}\n"));
        Cli.Result run = Cli.run(List.of(Cli.linux418()), "run", f.toString()).assertNoStackTrace();

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out())
                .contains("\n  FAIL  kills == 1: saw 1 (oom kills) at " + f
                        + ":22:15; marked known-gap, but it holds: remove the marker\n");

        Cli.Result json = Cli.run(List.of(Cli.linux418()), "run", "--format", "json", f.toString());
        assertThat(json.exit()).isEqualTo(3);
        assertThat(json.out()).contains("\"verdict\": \"gap_closed\"").contains("\"known_gap\": \"was open\"");
    }

    @Test
    void aHostTooLargeForTheHeapIsRefusedAtOnceWithTheHeapItNeeds() throws Exception {
        String huge = """
            name: huge
            host: {memory: 1T, swap: 1T}
            cgroup: v1
            tasks:
              t: {cgroup: /}
            steps:
              - anon: {task: t, size: 1T}
            expect:
              all: ["kills == 0"]
            """;
        Path f = Cli.write(dir.resolve("huge.yaml"), huge);
        HeapBudget.Need need = HeapBudget.need(ScenarioParser.parse(f));
        assumeTrue(need.bytes() > Runtime.getRuntime().maxMemory(), "this JVM has the heap for a 1T host");

        for (String command : List.of("run")) {
            long start = System.nanoTime();
            Cli.Result r =
                    Cli.run(List.of(Cli.linux418()), command, f.toString()).assertNoStackTrace();
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertThat(r.exit()).isEqualTo(4);
            assertThat(r.out()).isEmpty();
            assertThat(r.err())
                    .startsWith("memcg-diff: " + f + ": scenario huge needs about ")
                    .contains("of heap for one kernel run (page arrays 6.5 GiB, swap 4.0 GiB, ")
                    .contains("MEMCG_DIFF_JAVA_OPTS=-Xmx");
            assertThat(ms).as("refused before anything runs").isLessThan(1000);
        }
        assertThat(need.pageArrays()).isEqualTo((1L << 40) / 4096 * 26);
    }

    @Test
    void recordIsRefusedTooWithoutWritingAnything() throws Exception {
        Path golden = dir.resolve("golden");
        Path f = Cli.write(golden.resolve("scenarios/huge.yaml"), """
            name: huge
            host: {memory: 1T, swap: 1T}
            cgroup: v1
            tasks: {}
            steps:
              - host: {size: 1G}
            expect:
              all: ["kills == 0"]
            """);
        assumeTrue(
                HeapBudget.need(ScenarioParser.parse(f)).bytes()
                        > Runtime.getRuntime().maxMemory(),
                "this JVM has the heap for a 1T host");
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "record", f.toString()).assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(4);
        assertThat(golden.resolve("outcomes")).doesNotExist();
    }

    @Test
    void theHelpDocumentsTheExitStatuses() {
        for (String command : List.of("run", "record")) {
            assertThat(Cli.run(command, "--help").out().replaceAll("\\s+", " "))
                    .as(command)
                    .contains("3 an expectation failed")
                    .contains("4 a scenario needs more heap");
        }
        assertThat(Cli.run("--help").out().replaceAll("\\s+", " ")).contains("3 an expectation failed");
    }
}
