package dev.memcgdiff.linux310;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Kernels;
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
        Outcome o = Scenarios.run("""
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
        Outcome o = Scenarios.run("""
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
        assertThat(o.trace()).noneMatch(l -> l.contains("echo "));
    }
}
