package dev.memcgdiff.linux310;

import static dev.memcgdiff.testing.ScenarioHarness.parse;
import static dev.memcgdiff.testing.ScenarioHarness.pressure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** 3.10.0-1160 has no kernel/sched/psi.c: psi=1 changes nothing, /proc/pressure is not there. */
class PsiTest {
    @Test
    @DisplayName("no PSI: /proc/pressure/memory is not there (ENOENT); an expectation on it says so")
    void noPsi() {
        Scenario s = parse("""
            name: no-psi
            host: {memory: 256M, psi: true}
            cgroup: v1
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 4M}
            expect:
              all:
                - "/proc/pressure/memory:some_total == ENOENT"
                - "/proc/pressure/memory:some_total >= 0"
            """);
        Outcome o = Runner.run(s, new Linux310());
        assertThat(pressure(o, null, null)).isEqualTo("ENOENT");
        List<ExpectationResult> r = ExpectationChecker.check(s, o);
        assertThat(r.get(0).failed()).isFalse();
        assertThat(r.get(1).failed()).isTrue();
        assertThat(r.get(1).message()).contains("saw ENOENT").contains("not on this kernel");
    }
}
