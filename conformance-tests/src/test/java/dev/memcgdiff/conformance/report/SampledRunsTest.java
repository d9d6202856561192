package dev.memcgdiff.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.outcome.TimeSamples.Field;
import dev.memcgdiff.outcome.TimeSamples.Kind;
import dev.memcgdiff.outcome.TimeSamples.Sample;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.testing.ScenarioHarness;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The report's sampled runs on the real kernels: the same outcome as a plain run, and each kill sampled at its time. */
class SampledRunsTest {
    /** java's heap grows past its pod's 256M limit without swap: every kernel OOM-kills it in step 1. */
    private static final Scenario AT_LIMIT = ScenarioHarness.parse(String.join(
            "\n",
            "name: at-limit",
            "host: {memory: 2G}",
            "cgroup: v1",
            "cgroups:",
            "  /pod: {memory.use_hierarchy: 1, memory.limit_in_bytes: 256M}",
            "  /pod/java: {}",
            "  /idle: {}",
            "tasks:",
            "  java: {cgroup: /pod/java, pid: 7093}",
            "steps:",
            "  - anon: {task: java, size: 200M}",
            "  - anon: {task: java, size: 100M}",
            ""));

    static List<Kernel> kernels() {
        return Kernels.all();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aSampledRunHasTheSameOutcomeAndItsKillIsSampledAtItsTime(Kernel kernel) {
        Outcome plain = Runner.run(AT_LIMIT, kernel);
        Outcome sampled = Runner.runSampled(AT_LIMIT, kernel);
        TimeSamples t = sampled.samples();
        StepRecord step1 = sampled.steps().get(1);

        assertThat(GoldenText.render(sampled)).isEqualTo(GoldenText.render(plain));
        assertThat(t.cgroups()).containsExactly("/", "/pod", "/pod/java");
        assertThat(sampled.oomKills()).hasSize(1);
        assertThat(t.kills()).hasSize(1);
        TimeSamples.Kill kill = t.kills().get(0);
        assertThat(kill.victim()).isEqualTo("java");
        assertThat(kill.memcg()).isEqualTo("/pod/java");
        assertThat(kill.oomMemcg()).isEqualTo("/pod");
        assertThat(kill.time()).isBetween(step1.startNs(), step1.endNs());
        List<Sample> atKill = t.of(Kind.KILL);
        assertThat(atKill).hasSize(1);
        assertThat(atKill.get(0).time()).isEqualTo(kill.time());
        // at the kill the pod is at its limit (4.18 may force one page past it for the victim)
        Sample s = atKill.get(0);
        int pod = t.cgroup("/pod");
        assertThat(s.value(pod, Field.USAGE)).isBetween(s.value(pod, Field.LIMIT) - 32, s.value(pod, Field.LIMIT) + 1);
        assertThat(Runner.runSampled(AT_LIMIT, kernel).samples().text()).isEqualTo(t.text());
    }
}
