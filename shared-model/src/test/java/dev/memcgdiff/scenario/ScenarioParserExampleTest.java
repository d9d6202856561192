package dev.memcgdiff.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.scenario.Expectation.Observable;
import dev.memcgdiff.scenario.Expectation.Op;
import dev.memcgdiff.scenario.Expectation.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the format document parse to exactly what the document says they mean. */
class ScenarioParserExampleTest {
    private static final long K = 1024;
    private static final long M = K * K;
    private static final long G = M * K;
    private static final String FILE = "examples/memsw.yaml";

    private static SourcePos at(int line, int column) {
        return new SourcePos(FILE, line, column);
    }

    @Test
    void theMainExampleParsesToTheValuesItStates() throws ScenarioException {
        Scenario s = ScenarioParser.parse(FILE, SpecExamples.EXAMPLE);

        assertThat(s.file()).isEqualTo(FILE);
        assertThat(s.source()).isEqualTo(SpecExamples.EXAMPLE);
        assertThat(s.name()).isEqualTo("memsw-swap-past-2g");
        assertThat(s.title()).isEqualTo("Container swap grows past memsw minus limit");
        assertThat(s.description())
                .isEqualTo("32G container, memsw = limit + 2G, fills tmpfs and anon until memsw is hit.\n");
        assertThat(s.refs())
                .containsExactly(
                        "docs/QUESTIONS.md §9",
                        "golden/incidents/4.18-memcg-shmem-write-memsw.log",
                        "mm/memcontrol.c:mem_cgroup_swapout (4.18.0-147)");
        assertThat(s.kernels()).containsExactly("3.10", "4.18", "5.18");
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.host()).isEqualTo(new HostSpec(64 * G, 8 * G, 1, 67584, 60, ThpMode.NEVER, at(8, 1)));
        assertThat(s.cgroup()).isEqualTo(CgroupInterface.V1);
        assertThat(s.cgroups())
                .containsExactly(
                        new CgroupSpec(
                                "/kubepods",
                                List.of(
                                        new Knob("memory.limit_in_bytes", "60G", 60 * G, at(17, 5)),
                                        new Knob("memory.use_hierarchy", "1", 1, at(18, 5))),
                                at(16, 3)),
                        new CgroupSpec(
                                "/kubepods/pod",
                                List.of(
                                        new Knob("memory.limit_in_bytes", "32G", 32 * G, at(20, 5)),
                                        new Knob("memory.memsw.limit_in_bytes", "34G", 34 * G, at(21, 5))),
                                at(19, 3)),
                        new CgroupSpec("/kubepods/pod/app", List.of(), at(22, 3)));
        assertThat(s.tasks())
                .containsExactly(
                        new TaskSpec("java", "/kubepods/pod/app", 7093, 1000, 916, at(24, 3)),
                        new TaskSpec("sidecar", "/kubepods/pod/app", 7100, 0, 0, at(25, 3)));

        long gPages = G / Sizes.PAGE_SIZE;
        assertThat(s.steps())
                .containsExactly(
                        new Step.Anon(0, at(27, 5), "java", 4 * gPages),
                        new Step.Shmem(1, at(28, 5), "java", "/dev/shm/cache", 28 * gPages),
                        new Step.Read(2, at(29, 5), "sidecar", "/data/app.log", 0, gPages),
                        new Step.Write(3, at(30, 5), "java", "/data/out", gPages / 2),
                        new Step.Mmap(4, at(31, 5), "java", "/data/lib.so", 0, gPages / 16),
                        new Step.Touch(
                                5,
                                at(32, 5),
                                "java",
                                new Step.TouchTarget(Step.TouchTarget.Kind.ANON, null),
                                gPages,
                                Step.Pattern.RANDOM,
                                2),
                        new Step.Free(6, at(33, 5), "java", gPages),
                        new Step.Unlink(7, at(34, 5), "/dev/shm/cache"),
                        new Step.Set(
                                8,
                                at(35, 5),
                                "/kubepods/pod",
                                List.of(new Knob("memory.limit_in_bytes", "16G", 16 * G, at(35, 37)))),
                        new Step.Move(9, at(36, 5), "sidecar", "/kubepods"),
                        new Step.Host(10, at(37, 5), 10 * gPages),
                        new Step.Exit(11, at(38, 5), "sidecar"),
                        new Step.Snapshot(12, at(39, 5), "after-fill"));
        assertThat(s.expectations()).isEmpty();
    }

    @Test
    void theExpectationExampleParsesToTheObservablesItNames() throws ScenarioException {
        Scenario s = ScenarioParser.parse(FILE, SpecExamples.EXPECT_EXAMPLE);

        assertThat(s.cgroup()).isEqualTo(CgroupInterface.V2);
        assertThat(s.expectations())
                .containsExactly(
                        new Expectation(
                                "all", "kills == 2", new Observable.Kills(), Op.EQ, new Value("2", 2L), 0, at(25, 7)),
                        new Expectation(
                                "all",
                                "victim 0 == b",
                                new Observable.Kill(0, "victim"),
                                Op.EQ,
                                new Value("b", null),
                                0,
                                at(26, 7)),
                        new Expectation(
                                "all",
                                "step 3 == killed",
                                new Observable.StepResult(3),
                                Op.EQ,
                                new Value("killed", null),
                                0,
                                at(27, 7)),
                        new Expectation(
                                "all",
                                "/pod memory.stat:cache >= 690M",
                                new Observable.CgroupFile("/pod", "memory.stat", "cache", "end"),
                                Op.GE,
                                new Value("690M", 690 * M),
                                0,
                                at(28, 7)),
                        new Expectation(
                                "5.18",
                                "/c memory.stat:inactive_anon@filled >= 95M",
                                new Observable.CgroupFile("/c", "memory.stat", "inactive_anon", "filled"),
                                Op.GE,
                                new Value("95M", 95 * M),
                                0,
                                at(30, 7)),
                        new Expectation(
                                "5.18",
                                "/A/B memory.current@pressure ~ 50M 3%",
                                new Observable.CgroupFile("/A/B", "memory.current", null, "pressure"),
                                Op.APPROX,
                                new Value("50M", 50 * M),
                                3.0,
                                at(31, 7)),
                        new Expectation("3.10", "unsupported", new Observable.Unsupported(), null, null, 0, at(33, 7)));
    }

    @Test
    void theSameTextAlwaysGivesTheSameScenario() throws ScenarioException {
        assertThat(ScenarioParser.parse(FILE, SpecExamples.EXAMPLE))
                .isEqualTo(ScenarioParser.parse(FILE, SpecExamples.EXAMPLE));
        assertThat(ScenarioParser.parse(FILE, SpecExamples.EXPECT_EXAMPLE))
                .isEqualTo(ScenarioParser.parse(FILE, SpecExamples.EXPECT_EXAMPLE));
    }
}
