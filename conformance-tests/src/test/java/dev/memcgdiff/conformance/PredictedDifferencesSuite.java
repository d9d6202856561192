package dev.memcgdiff.conformance;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import io.qameta.allure.Allure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * The differences the sources predict must show up: each predicted difference's scenario runs on
 * every kernel it names, every kernel's hand-written expectations and checks must hold, and the
 * kernels must then differ on the observables the claim is about.
 */
@DisplayName("predicted differences")
class PredictedDifferencesSuite {
    @TestFactory
    Stream<DynamicTest> predictedDifferencesShowUp() {
        return PredictedDifferences.ALL.stream().map(p -> dynamicTest(p.claim(), () -> verify(p)));
    }

    static void verify(PredictedDifference p) {
        Report.labels(p.placement(), p.id(), null);
        Allure.description(p.claim() + "\n\nSource: " + p.source());
        Report.scenarioFile(p.fileName(), p.yaml());
        Scenario s = parse(p);
        Allure.parameter("kernels", String.join(", ", s.kernels()));
        List<String> registered = Kernels.all().stream().map(Kernel::version).toList();
        List<String> missing = s.kernels().stream().filter(k -> !registered.contains(k)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionFailedError(p.id() + " needs kernels " + missing + ", which no module on the class path "
                + "provides (found: " + String.join(", ", registered) + ")");
        }

        Map<String, Outcome> byKernel = new LinkedHashMap<>();
        for (Outcomes.Run run : Outcomes.of(s).values()) {
            if (!run.ok()) {
                Report.failure("exception in the " + run.kernel() + " model", run.failure());
                throw new AssertionError(p.id() + " on " + run.kernel() + ": the kernel model threw " + run.failure(),
                    run.failure());
            }
            byKernel.put(run.kernel(), run.outcome());
            Report.outcome(run.outcome());
            Report.chart(run.outcome());
            Report.oomReports(run.outcome());
        }
        List<Outcome> outcomes = List.copyOf(byKernel.values());
        Report.sideBySide(p.id(), outcomes);

        List<String> problems = new ArrayList<>();
        for (Outcome o : outcomes) {
            for (ExpectationResult r : ExpectationChecker.check(s, o)) {
                if (r.failed()) {
                    problems.add(AllureCategories.FAILED_EXPECTATION + ": " + r.message());
                }
            }
        }
        try {
            p.check().verify(byKernel);
        } catch (AssertionError e) {
            problems.add(AllureCategories.FAILED_EXPECTATION + ": " + p.id() + ": " + e.getMessage());
        }
        Comparison c = Comparison.of(outcomes);
        List<Comparison.Row> shown = c.differing().stream().filter(r -> p.shows().matcher(r.observable()).find())
            .toList();
        if (shown.isEmpty()) {
            problems.add(AllureCategories.FAILED_EXPECTATION + ": the predicted difference did not show up: no "
                + "observable matching /" + p.shows().pattern() + "/ differs between " + String.join(", ", c.kernels()));
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(p.claim() + " (" + p.source() + ")\n" + String.join("\n", problems));
        }
        Report.passedWithMessage(AllureCategories.BEHAVIOUR_DIFFERENCE + ": " + p.claim() + "\n" + shown.stream()
            .map(r -> r.observable() + ": " + r.agreement(c.kernels())).collect(Collectors.joining("\n")));
    }

    private static Scenario parse(PredictedDifference p) {
        try {
            return ScenarioParser.parse(p.fileName(), p.yaml());
        } catch (ScenarioException e) {
            throw new AssertionFailedError(AllureCategories.INVALID_SCENARIO + ": " + e.getMessage());
        }
    }
}
