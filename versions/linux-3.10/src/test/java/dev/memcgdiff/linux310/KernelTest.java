package dev.memcgdiff.linux310;

import static dev.memcgdiff.mm.TracePoints.CGROUP_WRITE;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.SourcePos;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Kernel SPI: registration and what 3.10 refuses to run. */
class KernelTest {

    @Test
    @DisplayName("ServiceLoader finds 3.10 as RHEL 7.9's 3.10.0-1160.el7.x86_64")
    void registered() {
        Kernel k = Kernels.byVersion("3.10").orElseThrow();
        assertThat(k).isInstanceOf(Linux310.class);
        assertThat(k.release()).isEqualTo("3.10.0-1160.el7.x86_64");
    }

    @Test
    @DisplayName("a memcg scenario on cgroup v2 is unsupported: RHEL 7 has no unified memory controller")
    void cgroupV2Unsupported() {
        Outcome o = Model.run("""
            name: v2
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /pod: {memory.max: 64M, memory.low: 16M}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - anon: {task: a, size: 1M}
            """);
        assertThat(o.status()).isEqualTo("unsupported");
        assertThat(o.reason()).isEqualTo("cgroup v2: not in 3.10");
        assertThat(o.steps()).isEmpty();
    }

    @Test
    @DisplayName("every v1 knob of the scenario language exists in 3.10")
    void v1KnobsSupported() {
        Outcome o = Model.run("""
            name: v1-knobs
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod:
                memory.kmem.limit_in_bytes: 64M
                memory.limit_in_bytes: 32M
                memory.memsw.limit_in_bytes: 48M
                memory.soft_limit_in_bytes: 16M
                memory.swappiness: 10
                memory.use_hierarchy: 1
                memory.oom_control: 1
                memory.move_charge_at_immigrate: 3
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(o.status()).isEqualTo("ok");
        assertThat(o.times(CGROUP_WRITE)).as("no write was refused").isZero();
        assertThat(file(o, "s", "/pod", "memory.limit_in_bytes"))
                .as("the writes took effect")
                .isEqualTo(32 * M);
        assertThat(file(o, "s", "/pod", "memory.memsw.limit_in_bytes")).isEqualTo(48 * M);
        assertThat(file(o, "s", "/pod", "memory.swappiness")).isEqualTo(10);
        assertThat(file(o, "s", "/pod", "memory.use_hierarchy")).isEqualTo(1);
        assertThat(key(o, "s", "/pod", "memory.oom_control", "oom_kill_disable"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("KernelTraits: the v2 files are missing 'not in 3.10', the v1 files of mem_cgroup_files are not")
    void missingKnobs() {
        KernelTraits traits = new Linux310().traits();
        assertThat(traits).isSameAs(new Linux310().traits());
        assertThat(traits.missingKnobs())
                .containsOnlyKeys(Linux310.MISSING_KNOBS)
                .allSatisfy((knob, why) -> assertThat(why).isEqualTo("not in 3.10"));
        assertThat(traits.missingKnobs())
                .doesNotContainKeys(
                        "memory.limit_in_bytes",
                        "memory.memsw.limit_in_bytes",
                        "memory.soft_limit_in_bytes",
                        "memory.kmem.limit_in_bytes",
                        "memory.swappiness",
                        "memory.use_hierarchy",
                        "memory.oom_control",
                        "memory.move_charge_at_immigrate");
        assertThat(traits.cgroupInterfaces()).containsExactly(CgroupInterface.V1);
    }

    @Test
    @DisplayName("Kernel.unsupported: a cgroup v2 knob (the parser keeps it out of v1 files) reads 'KNOB: not in 3.10'")
    void v2KnobUnsupported() throws ScenarioException {
        Scenario parsed = ScenarioParser.parse("v1.yaml", """
            name: v1
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(new Linux310().unsupported(parsed)).isEmpty();
        SourcePos pos = parsed.cgroups().get(0).pos();
        for (String knob : Linux310.MISSING_KNOBS) {
            CgroupSpec pod = new CgroupSpec("/pod", List.of(new Knob(knob, "1M", 1 << 20, pos)), pos);
            Scenario s = new Scenario(
                    parsed.file(),
                    parsed.name(),
                    parsed.title(),
                    parsed.description(),
                    parsed.refs(),
                    parsed.kernels(),
                    parsed.seed(),
                    parsed.host(),
                    CgroupInterface.V1,
                    List.of(pod),
                    parsed.tasks(),
                    parsed.steps(),
                    parsed.expectations(),
                    parsed.source());
            assertThat(new Linux310().unsupported(s)).contains(knob + ": not in 3.10");
        }
    }
}
