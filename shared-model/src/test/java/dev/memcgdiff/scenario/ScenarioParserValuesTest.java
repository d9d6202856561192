package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.scenario.Expectation.Observable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Defaults, sizes and the less common value forms of a valid file. */
class ScenarioParserValuesTest {
    private static final String MINIMAL = doc(
            "name: minimal",
            "host: {memory: 1G}",
            "cgroup: v2",
            "tasks:",
            "  a: {cgroup: /}",
            "  b: {cgroup: /}",
            "  c: {cgroup: /}",
            "steps:",
            "  - touch: {task: a, what: anon, size: 1M}",
            "  - read: {task: b, file: /data/x, size: 1M}",
            "  - mmap: {task: c, file: /data/x, size: 1M}");

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioParser.parse("values.yaml", text);
    }

    /** A v1 file whose only step is the given one, with cgroup /a and task app. */
    private static Scenario withStep(String step) throws ScenarioException {
        return parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "cgroups: {/a: {}}",
                "tasks: {app: {cgroup: /a}}",
                "steps:",
                "  - " + step));
    }

    @Test
    void absentKeysTakeTheirDefaults() throws ScenarioException {
        Scenario s = parse(MINIMAL);
        assertThat(s.title()).isEqualTo("minimal");
        assertThat(s.description()).isEmpty();
        assertThat(s.refs()).isEmpty();
        assertThat(s.kernels()).isEmpty();
        assertThat(s.runsOn("3.10")).isTrue();
        assertThat(s.seed()).isZero();
        assertThat(s.host().swapBytes()).isZero();
        assertThat(s.host().nodes()).isEqualTo(1);
        assertThat(s.host().minFreeKbytes()).isEqualTo(-1);
        assertThat(s.host().thp()).isEqualTo(ThpMode.NEVER);
        assertThat(s.host().swappiness()).isEqualTo(60);
        assertThat(s.cgroups()).isEmpty();
        assertThat(s.expectations()).isEmpty();
        assertThat(s.tasks()).extracting(TaskSpec::pid).containsExactly(1000, 1001, 1002);
        assertThat(s.tasks()).extracting(TaskSpec::uid).containsExactly(0, 0, 0);
        assertThat(s.tasks()).extracting(TaskSpec::oomScoreAdj).containsExactly(0, 0, 0);
    }

    @Test
    void taskDefaults() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "tasks:",
                "  a: {cgroup: /}",
                "  b: {cgroup: /, pid: 7}",
                "  c: {cgroup: /}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.tasks())
                .containsExactly(
                        new TaskSpec("a", "/", 1000, 0, 0, new SourcePos("values.yaml", 5, 3)),
                        new TaskSpec("b", "/", 7, 0, 0, new SourcePos("values.yaml", 6, 3)),
                        new TaskSpec("c", "/", 1002, 0, 0, new SourcePos("values.yaml", 7, 3)));
    }

    @Test
    void stepDefaults() throws ScenarioException {
        assertThat(withStep("touch: {task: app, what: anon, size: 1M}"))
                .extracting(s -> s.steps().get(0))
                .isEqualTo(new Step.Touch(
                        0,
                        new SourcePos("values.yaml", 7, 5),
                        "app",
                        new Step.TouchTarget(Step.TouchTarget.Kind.ANON, null),
                        256,
                        Step.Pattern.SEQUENTIAL,
                        1));
        assertThat(((Step.Read) withStep("read: {task: app, file: /data/x, size: 1M}")
                                .steps()
                                .get(0))
                        .offsetPages())
                .isZero();
        assertThat(((Step.Mmap) withStep("mmap: {task: app, file: /data/x, size: 1M}")
                                .steps()
                                .get(0))
                        .offsetPages())
                .isZero();
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "0, 0",
        "1, 1",
        "1234, 1234",
        "4096, 4096",
        "1K, 1024",
        "512M, 536870912",
        "4G, 4294967296",
        "1T, 1099511627776",
        "4194304T, 4611686018427387904",
        "007M, 7340032"
    })
    void sizesAreBinary(String text, long bytes) {
        assertThat(SizeParser.parse(text)).isEqualTo(new SizeParser.Parsed(bytes, null));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({
        "4194305T",
        "4611686018427387905",
        "99999999999999999999999",
        "1.5G",
        "4g",
        "4GB",
        "4GiB",
        "-1",
        "max",
        "''",
        "G",
        "4 G",
        "0x10",
        "1e6",
        "+4G"
    })
    void malformedSizesAreRefused(String text) {
        assertThat(SizeParser.parse(text).ok()).isFalse();
    }

    @ParameterizedTest(name = "a step of {0} is {1} pages")
    @CsvSource({"1, 1", "1234, 1", "4096, 1", "4097, 2", "8K, 2", "1M, 256", "4G, 1048576", "4T, 1073741824"})
    void stepSizesRoundUpToPages(String size, long pages) throws ScenarioException {
        Step.Anon anon = (Step.Anon)
                withStep("anon: {task: app, size: " + size + "}").steps().get(0);
        assertThat(anon.pages()).isEqualTo(pages);
    }

    @Test
    void offsetsRoundUpToPagesToo() throws ScenarioException {
        Step.Read read = (Step.Read) withStep("read: {task: app, file: /data/x, size: 8K, offset: 4097}")
                .steps()
                .get(0);
        assertThat(read.offsetPages()).isEqualTo(2);
        assertThat(read.pages()).isEqualTo(2);
    }

    @Test
    void hostSizesRoundUpToPages() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 16777217, swap: 1}",
                "cgroup: v1",
                "tasks: {}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.host().memoryBytes()).isEqualTo(16777216 + 4096);
        assertThat(s.host().memoryPages()).isEqualTo(4097);
        assertThat(s.host().swapBytes()).isEqualTo(4096);
    }

    @Test
    void hostKeys() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host:",
                "  memory: 1T",
                "  swap: 1T",
                "  nodes: 8",
                "  min_free_kbytes: 128",
                "  thp: madvise",
                "  swappiness: 0",
                "cgroup: v1",
                "tasks: {}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.host())
                .isEqualTo(new HostSpec(
                        1L << 40, 1L << 40, 8, 128, 0, ThpMode.MADVISE, new SourcePos("values.yaml", 2, 1)));
    }

    @Test
    void knobsKeepTheBytesWrittenAndMaxIsMax() throws ScenarioException {
        Scenario v1 = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "cgroups:",
                "  /a: {memory.limit_in_bytes: 1234, memory.memsw.limit_in_bytes: -1, memory.soft_limit_in_bytes: max,"
                        + " memory.kmem.limit_in_bytes: 0, memory.swappiness: 100, memory.use_hierarchy: 0,"
                        + " memory.oom_control: 1, memory.move_charge_at_immigrate: 3}",
                "tasks: {}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(v1.cgroups().get(0).knobs())
                .extracting(Knob::name, Knob::raw, Knob::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("memory.limit_in_bytes", "1234", 1234L),
                        org.assertj.core.groups.Tuple.tuple("memory.memsw.limit_in_bytes", "-1", Sizes.MAX),
                        org.assertj.core.groups.Tuple.tuple("memory.soft_limit_in_bytes", "max", Sizes.MAX),
                        org.assertj.core.groups.Tuple.tuple("memory.kmem.limit_in_bytes", "0", 0L),
                        org.assertj.core.groups.Tuple.tuple("memory.swappiness", "100", 100L),
                        org.assertj.core.groups.Tuple.tuple("memory.use_hierarchy", "0", 0L),
                        org.assertj.core.groups.Tuple.tuple("memory.oom_control", "1", 1L),
                        org.assertj.core.groups.Tuple.tuple("memory.move_charge_at_immigrate", "3", 3L));
        assertThat(v1.cgroups().get(0).knobs().get(1).isMax()).isTrue();

        Scenario v2 = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v2",
                "cgroups:",
                "  /a: {memory.max: 4G, memory.high: max, memory.low: 1M, memory.min: 0, memory.swap.max: max,"
                        + " memory.swap.high: 2G, memory.oom.group: 1}",
                "tasks: {}",
                "steps:",
                "  - set: {cgroup: /a, memory.max: 2G, memory.oom.group: 0}"));
        assertThat(v2.cgroups().get(0).knobs())
                .extracting(Knob::value)
                .containsExactly(4L << 30, Sizes.MAX, 1L << 20, 0L, Sizes.MAX, 2L << 30, 1L);
        Step.Set set = (Step.Set) v2.steps().get(0);
        assertThat(set.knobs()).extracting(Knob::name).containsExactly("memory.max", "memory.oom.group");
    }

    @Test
    void realContainerCgroupNamesAndAnEmptyKnobMap() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v1",
                "cgroups:",
                "  /kubepods.slice:",
                "  /kubepods.slice/kubepods-burstable.slice: {}",
                "  /kubepods.slice/kubepods-burstable.slice/docker-083a4f:c@1.scope: {memory.limit_in_bytes: 1G}",
                "tasks: {php-fpm:pool_1: {cgroup: /kubepods.slice/kubepods-burstable.slice/docker-083a4f:c@1.scope}}",
                "steps: [{exit: {task: php-fpm:pool_1}}]"));
        assertThat(s.cgroups())
                .extracting(CgroupSpec::path)
                .containsExactly(
                        "/kubepods.slice",
                        "/kubepods.slice/kubepods-burstable.slice",
                        "/kubepods.slice/kubepods-burstable.slice/docker-083a4f:c@1.scope");
        assertThat(s.cgroups().get(0).knobs()).isEmpty();
        assertThat(s.cgroups().get(2).parentPath()).isEqualTo("/kubepods.slice/kubepods-burstable.slice");
    }

    @Test
    void touchTargetsAndFiles() throws ScenarioException {
        Step.Touch shmem = (Step.Touch)
                withStep("touch: {task: app, what: \"shmem:/tmp/a\", size: 1, pattern: random," + " passes: 100}")
                        .steps()
                        .get(0);
        assertThat(shmem.what()).isEqualTo(new Step.TouchTarget(Step.TouchTarget.Kind.SHMEM, "/tmp/a"));
        assertThat(shmem.what()).hasToString("shmem:/tmp/a");
        assertThat(shmem.passes()).isEqualTo(100);
        Step.Touch file = (Step.Touch) withStep("touch: {task: app, what: \"file:/var/log/x.log\", size: 1}")
                .steps()
                .get(0);
        assertThat(file.what()).isEqualTo(new Step.TouchTarget(Step.TouchTarget.Kind.FILE, "/var/log/x.log"));
        assertThat(((Step.Unlink) withStep("unlink: {file: /data/x}").steps().get(0)).file())
                .isEqualTo("/data/x");
        assertThat(((Step.Shmem) withStep("shmem: {task: app, file: /dev/shm/a/b, size: 1}")
                                .steps()
                                .get(0))
                        .file())
                .isEqualTo("/dev/shm/a/b");
    }

    @Test
    void expectationValueForms() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v2",
                "cgroups: {/a: {}}",
                "tasks: {app: {cgroup: /a}}",
                "steps:",
                "  - anon: {task: app, size: 1M}",
                "  - snapshot: s1",
                "expect:",
                "  all:",
                "    - oom_memcg 0 == /a",
                "    - kill_step 1 != 0",
                "    - pid 2 >= -5",
                "    - \"/proc/meminfo:Active(anon)@s1 <= 1G\"",
                "    - \"/proc/vmstat:pgscan_direct > 0\"",
                "    - \"/ memory.stat:anon@end ~ 1M 2.5%\"",
                "    - \"  task_memcg   3   ==   /a  \"",
                "    - constraint 0 == CONSTRAINT_MEMCG",
                "    - limit 0 == 4K",
                "  \"5.18\": [\"/a memory.events:oom_kill == 1\"]"));
        List<Expectation> e = s.expectations();
        assertThat(e)
                .extracting(Expectation::lhs)
                .containsExactly(
                        new Observable.Kill(0, "oom_memcg"),
                        new Observable.Kill(1, "step"),
                        new Observable.Kill(2, "pid"),
                        new Observable.HostFile("/proc/meminfo", "Active(anon)", "s1"),
                        new Observable.HostFile("/proc/vmstat", "pgscan_direct", "end"),
                        new Observable.CgroupFile("/", "memory.stat", "anon", "end"),
                        new Observable.Kill(3, "task_memcg"),
                        new Observable.Kill(0, "constraint"),
                        new Observable.Kill(0, "limit"),
                        new Observable.CgroupFile("/a", "memory.events", "oom_kill", "end"));
        assertThat(e)
                .extracting(Expectation::value)
                .containsExactly(
                        new Expectation.Value("/a", null),
                        new Expectation.Value("0", 0L),
                        new Expectation.Value("-5", -5L),
                        new Expectation.Value("1G", 1L << 30),
                        new Expectation.Value("0", 0L),
                        new Expectation.Value("1M", 1L << 20),
                        new Expectation.Value("/a", null),
                        new Expectation.Value("CONSTRAINT_MEMCG", null),
                        new Expectation.Value("4K", 4096L),
                        new Expectation.Value("1", 1L));
        assertThat(e)
                .extracting(Expectation::op)
                .containsExactly(
                        Expectation.Op.EQ,
                        Expectation.Op.NE,
                        Expectation.Op.GE,
                        Expectation.Op.LE,
                        Expectation.Op.GT,
                        Expectation.Op.APPROX,
                        Expectation.Op.EQ,
                        Expectation.Op.EQ,
                        Expectation.Op.EQ,
                        Expectation.Op.EQ);
        assertThat(e.get(5).tolerancePct()).isEqualTo(2.5);
        assertThat(e.get(6).text()).isEqualTo("  task_memcg   3   ==   /a  ");
        assertThat(e.get(9).kernel()).isEqualTo("5.18");
        assertThat(e.get(0).pos()).isEqualTo(new SourcePos("values.yaml", 11, 7));
    }

    @Test
    void descriptionAndRefsAreKeptAsWritten() throws ScenarioException {
        Scenario s = parse(doc(
                "name: t",
                "title: yes",
                "description: >",
                "  folded",
                "  text",
                "refs:",
                "  - a",
                "  - 42",
                "host: {memory: 1G}",
                "cgroup: v1",
                "tasks: {}",
                "steps: [{host: {size: 1M}}]"));
        assertThat(s.title()).isEqualTo("yes");
        assertThat(s.description()).isEqualTo("folded text\n");
        assertThat(s.refs()).containsExactly("a", "42");
    }
}
