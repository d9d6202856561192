package dev.memcgdiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

/** The runner's clock: sleep steps, and together steps interleaving their tasks (on the toy kernel). */
class TogetherTest {
    private static final long S = 1_000_000_000L;

    private static Outcome run(String... lines) throws ScenarioException {
        Scenario s = ScenarioParser.parse("t.yaml", String.join("\n", lines) + "\n");
        return Runner.run(s, new ToyKernelTest.Linux61Toy());
    }

    @Test
    void aSleepStepTakesExactlyItsDuration() throws ScenarioException {
        Outcome o =
                run("name: t", "host: {memory: 256M}", "cgroup: v2", "tasks: {}", "steps:", "  - sleep: {for: 30s}");
        assertThat(o.steps().get(0).startNs()).isZero();
        assertThat(o.steps().get(0).elapsedNs()).isEqualTo(30 * S);
        assertThat(o.snapshot(Outcome.END).timeNs()).isEqualTo(30 * S);
    }

    @Test
    void togetherRunsTheTasksAtOnceAndAPacedOneAtItsRate() throws ScenarioException {
        Outcome o = run(
                "name: t",
                "host: {memory: 1G}",
                "cgroup: v2",
                "tasks: {a: {cgroup: /}, b: {cgroup: /}}",
                "steps:",
                "  - anon: {task: a, size: 4M}",
                "  - together:",
                "      - anon: {task: a, size: 64M, rate: 64M}",
                "      - anon: {task: b, size: 64M}");
        StepRecord first = o.steps().get(0);
        StepRecord together = o.steps().get(1);
        StepRecord paced = together.inner().get(0);
        StepRecord unpaced = together.inner().get(1);

        assertThat(together.result()).isEqualTo("ok");
        assertThat(together.pages()).isEqualTo(2 * 16384);
        assertThat(paced.startNs()).isEqualTo(first.endNs()).isEqualTo(unpaced.startNs());
        // 64M at 64M/s: one second; the last page is due at exactly 1 s after the start
        assertThat(paced.elapsedNs()).isEqualTo(S);
        // unpaced: 16384 faults of ~1 us each on its own CPU, not delayed by the paced task
        assertThat(unpaced.elapsedNs()).isBetween(S / 100, S / 10);
        assertThat(together.endNs()).isEqualTo(paced.endNs());
    }

    @Test
    void theSameScenarioGivesTheSameBytes() throws ScenarioException {
        String[] scenario = {
            "name: t",
            "host: {memory: 1G}",
            "cgroup: v2",
            "tasks: {a: {cgroup: /}, b: {cgroup: /}}",
            "steps:",
            "  - together:",
            "      - anon: {task: a, size: 8M, rate: 16M}",
            "      - anon: {task: b, size: 8M}",
            "  - sleep: {for: 1s}"
        };
        assertThat(GoldenText.render(run(scenario))).isEqualTo(GoldenText.render(run(scenario)));
    }
}
