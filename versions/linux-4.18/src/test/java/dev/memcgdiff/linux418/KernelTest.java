package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.TracePoints.CGROUP_WRITE;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Kernels;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Kernel SPI for RHEL 8.1, and the run's determinism. */
class KernelTest {

    @Test
    @DisplayName("ServiceLoader finds 4.18 as RHEL 8.1's 4.18.0-147.el8.x86_64")
    void registered() {
        Kernel k = Kernels.byVersion("4.18").orElseThrow();
        assertThat(k).isInstanceOf(Linux418.class);
        assertThat(k.release()).isEqualTo("4.18.0-147.el8.x86_64");
    }

    @Test
    @DisplayName("every v1 knob of the scenario language exists in 4.18 and is accepted")
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
        assertThat(o.times(CGROUP_WRITE)).as("no write failed").isZero();
        assertThat(file(o, null, "/pod", "memory.swappiness")).isEqualTo(10);
        assertThat(keyed(o, null, "/pod", "memory.oom_control")).containsEntry("oom_kill_disable", 1L);
    }

    @Test
    @DisplayName("the same scenario gives the same outcome, byte for byte, run after run")
    void deterministic() {
        String yaml = """
            name: determinism
            host: {memory: 64M, swap: 32M}
            seed: 7
            cgroup: v2
            cgroups:
              /a: {memory.max: 24M, memory.oom.group: 1}
              /b: {memory.low: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: u, file: /data/f, size: 16M}
              - anon: {task: t, size: 20M}
              - touch: {task: t, what: anon, size: 20M, pattern: random, passes: 2}
              - shmem: {task: t, file: /dev/shm/x, size: 16M}
              - read: {task: u, file: /data/g, size: 48M}
            """;
        String first = GoldenText.render(Model.run(yaml));
        assertThat(GoldenText.render(Model.run(yaml))).isEqualTo(first);
    }
}
