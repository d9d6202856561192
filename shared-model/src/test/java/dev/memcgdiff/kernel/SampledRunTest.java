package dev.memcgdiff.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.outcome.TimeSamples.Kind;
import dev.memcgdiff.outcome.TimeSamples.Sample;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.run.TimeSampler;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.testing.ScenarioHarness;
import org.junit.jupiter.api.Test;

/** A run that asks for samples over time (on the toy kernel): same outcome, samples at every step edge, bounded. */
class SampledRunTest {
    private static final long MS = 1_000_000L;

    private static final Scenario SCENARIO = ScenarioHarness.parse(String.join(
            "\n",
            "name: t",
            "host: {memory: 1G, disk: {write: 100M}}",
            "cgroup: v2",
            "cgroups: {/a: {memory.max: 512M}}",
            "tasks: {a: {cgroup: /a}, b: {cgroup: /a}}",
            "steps:",
            "  - anon: {task: a, size: 16M}",
            "  - together:",
            "      - write: {task: a, file: /data/f, size: 64M}",
            "      - anon: {task: b, size: 32M, rate: 64M}",
            "  - sleep: {for: 10s}",
            ""));

    @Test
    void samplingChangesNothingInTheOutcome() {
        Outcome plain = Runner.run(SCENARIO, new ToyKernelTest.Linux61Toy());
        Outcome sampled = Runner.runSampled(SCENARIO, new ToyKernelTest.Linux61Toy());

        assertThat(plain.samples()).isEqualTo(TimeSamples.NONE);
        assertThat(sampled.samples().isEmpty()).isFalse();
        assertThat(GoldenText.render(sampled)).isEqualTo(GoldenText.render(plain));
    }

    @Test
    void theSameScenarioGivesTheSameSamples() {
        String first = Runner.runSampled(SCENARIO, new ToyKernelTest.Linux61Toy())
                .samples()
                .text();
        String second = Runner.runSampled(SCENARIO, new ToyKernelTest.Linux61Toy())
                .samples()
                .text();

        assertThat(first).isEqualTo(second);
    }

    @Test
    void everyStepStartsAndEndsWithASampleAndTicksFallInsideSteps() {
        Outcome o = Runner.runSampled(SCENARIO, new ToyKernelTest.Linux61Toy());
        TimeSamples t = o.samples();

        for (StepRecord step : o.steps()) {
            assertThat(t.of(Kind.START))
                    .as("step %d start", step.index())
                    .anyMatch(s -> s.step() == step.index() && s.time() == step.startNs());
            assertThat(t.of(Kind.END))
                    .as("step %d end", step.index())
                    .anyMatch(s -> s.step() == step.index() && s.time() == step.endNs());
        }
        StepRecord together = o.steps().get(1);
        assertThat(t.of(Kind.TICK))
                .as("periodic samples inside the together step")
                .anyMatch(s -> s.time() > together.startNs() && s.time() < together.endNs());
        assertThat(t.samples()).extracting(Sample::time).isSorted();
    }

    @Test
    void aLongRunHoldsAtMostTheBoundOfTicksOnADoubledInterval() {
        Outcome o = Runner.runSampled(SCENARIO, new ToyKernelTest.Linux61Toy());
        TimeSamples t = o.samples();
        long end = o.steps().get(o.steps().size() - 1).endNs();

        // over 10 s at 1 ms: the bound (2000) is reached at 2 s, 4 s and 8 s, so the interval
        // ends at 8 ms, with the 1000 ticks up to 8 s and one every 8 ms after
        assertThat(end).isBetween(10_000 * MS, 16_000 * MS);
        assertThat(t.interval()).isEqualTo(8 * MS);
        assertThat(t.of(Kind.TICK)).hasSize(1000 + (int) ((end - 8_000 * MS) / (8 * MS)));
        assertThat(t.of(Kind.TICK)).hasSizeLessThanOrEqualTo(TimeSampler.MAX_TICKS);
        assertThat(t.of(Kind.TICK)).allMatch(s -> s.time() % t.interval() == 0);
    }
}
