package dev.memcgdiff.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Json;
import dev.memcgdiff.outcome.JsonOutcome;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Step;
import dev.memcgdiff.testing.ScenarioGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property tests: scenarios from the shared {@link ScenarioGenerator} run on every registered
 * kernel, and after every step the machine must satisfy {@link MachineInvariants} and
 * {@link OverLimitCheck}; a second run must give the same JSON and golden text byte for byte. Each
 * kernel and seed is its own test; a failure prints the seed and the whole scenario file so it can
 * be replayed with the CLI or here with {@code -Dmemcgdiff.seed=N}.
 */
class ModelPropertiesTest {
    /** Fixed seeds: the suite is the same on every run. */
    private static final int SEEDS = 300;

    @TestFactory
    Stream<DynamicContainer> generatedScenariosKeepTheMachineConsistent() {
        List<Kernel> kernels = Kernels.all();
        if (kernels.isEmpty()) {
            fail("no kernel module is registered (META-INF/services/dev.memcgdiff.kernel.Kernel)");
        }
        return kernels.stream()
                .map(k -> DynamicContainer.dynamicContainer(
                        "linux " + k.version(),
                        seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> property(k, seed)))));
    }

    private static LongStream seeds() {
        String one = System.getProperty("memcgdiff.seed");
        return one == null || one.isBlank() ? LongStream.rangeClosed(1, SEEDS) : LongStream.of(Long.parseLong(one));
    }

    static void property(Kernel kernel, long seed) {
        String text = ScenarioGenerator.generate(seed);
        Scenario scenario;
        try {
            scenario = ScenarioParser.parse("prop-" + seed + ".yaml", text);
        } catch (ScenarioException e) {
            throw new AssertionError(
                    report(kernel, seed, text, "the generator wrote an invalid file: " + e.getMessage()), e);
        }
        Assumptions.assumeTrue(
                kernel.unsupported(scenario).isEmpty(),
                () -> "linux " + kernel.version() + " does not support seed " + seed + ": "
                        + kernel.unsupported(scenario).orElse(""));
        OverLimitCheck overLimit = new OverLimitCheck();
        Outcome first;
        try {
            first = Runner.run(
                    scenario, kernel, (step, record, machine) -> afterStep(step, record, machine, overLimit));
        } catch (StepViolation v) {
            throw new AssertionError(report(kernel, seed, text, v.getMessage()));
        } catch (RuntimeException | Error e) {
            throw new AssertionError(report(kernel, seed, text, "the run threw " + e), e);
        }
        List<String> end = endOfRun(scenario, first);
        if (!end.isEmpty()) {
            throw new AssertionError(report(kernel, seed, text, "at the end:\n  " + String.join("\n  ", end)));
        }
        // the second run is sampled over time, as the report's runs are: sampling must change nothing
        Outcome second = Runner.runSampled(scenario, kernel);
        String json1 = Json.write(JsonOutcome.kernel(first, true), true);
        String json2 = Json.write(JsonOutcome.kernel(second, true), true);
        if (!json1.equals(json2)) {
            throw new AssertionError(
                    report(kernel, seed, text, "two runs gave different JSON:\n" + json1 + "\n---\n" + json2));
        }
        String golden1 = GoldenText.render(first);
        String golden2 = GoldenText.render(second);
        if (!golden1.equals(golden2)) {
            throw new AssertionError(report(
                    kernel, seed, text, "two runs gave different golden text:\n" + golden1 + "\n---\n" + golden2));
        }
    }

    /** The observer: everything that must hold between steps. */
    private static void afterStep(Step step, StepRecord record, Machine machine, OverLimitCheck overLimit) {
        List<String> violations = new ArrayList<>(MachineInvariants.check(machine));
        violations.addAll(overLimit.afterStep(step, machine));
        if (!violations.isEmpty()) {
            throw new StepViolation("after step " + step.index() + " (" + step.op() + ", result " + record.result()
                    + ", " + record.pages() + " pages):\n  " + String.join("\n  ", violations));
        }
    }

    /** The outcome itself: one record per step, in order, each naming its step's op. */
    private static List<String> endOfRun(Scenario scenario, Outcome o) {
        List<String> problems = new ArrayList<>();
        if (!o.supported()) {
            problems.add("status " + o.status() + " (" + o.reason() + ") although the kernel did not refuse the file");
        }
        if (o.steps().size() != scenario.steps().size()) {
            problems.add(
                    o.steps().size() + " step records for " + scenario.steps().size() + " steps");
        }
        for (int i = 0; i < Math.min(o.steps().size(), scenario.steps().size()); i++) {
            StepRecord r = o.steps().get(i);
            if (r.index() != i || !r.op().equals(scenario.steps().get(i).op())) {
                problems.add("record " + i + " is for step " + r.index() + " (" + r.op() + ")");
            }
            if (r.pages() < 0) {
                problems.add("step " + i + " did a negative number of pages: " + r.pages());
            }
        }
        if (o.snapshot(Outcome.END) == null) {
            problems.add("no end snapshot");
        }
        return problems;
    }

    static String report(Kernel kernel, long seed, String text, String what) {
        return "linux " + kernel.version() + ", seed " + seed + ": " + what
                + "\nreplay: mvn -pl conformance-tests test -Dtest=ModelPropertiesTest -Dmemcgdiff.seed=" + seed
                + "\n--- prop-" + seed + ".yaml ---\n" + text + "--- end ---";
    }

    /** Thrown by the observer to stop the run at the first inconsistent step. */
    static final class StepViolation extends RuntimeException {
        StepViolation(String message) {
            super(message, null, false, false);
        }
    }
}
