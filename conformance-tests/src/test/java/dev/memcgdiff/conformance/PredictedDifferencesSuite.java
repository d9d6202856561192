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
import io.qameta.allure.Allure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * The differences the sources predict must show up: each predicted difference's scenario
 * (golden/predicted/ID.yaml, in id order) runs on every kernel it names, every kernel's hand-written
 * expectations and checks must hold, and the kernels must then differ on the observables the claim
 * is about. A file that cannot be read is one failing test with a message naming the file, its line
 * and column.
 */
@DisplayName("predicted differences")
class PredictedDifferencesSuite {
    @TestFactory
    Stream<DynamicTest> predictedDifferencesShowUp() {
        return PredictedDifferences.entries().stream()
                .map(e -> e.valid()
                        ? dynamicTest(e.difference().claim(), () -> verify(e.difference()))
                        : dynamicTest(e.id() + ": " + AllureCategories.INVALID_SCENARIO, () -> invalid(e)));
    }

    /** A file that cannot be read as a predicted difference (or a prediction without its file): its message. */
    static void invalid(PredictedDifferences.Entry e) throws IOException {
        PredictedDifference.Prediction p = PredictedDifferences.PREDICTIONS.get(e.id());
        Report.labels(
                p == null ? NotesQuestions.of(e.id(), List.of()) : PredictedDifference.placement(p), e.id(), null);
        if (e.path() != null && Files.isRegularFile(e.path())) {
            Report.scenarioFile(e.file(), Files.readString(e.path(), StandardCharsets.UTF_8));
        }
        throw new AssertionFailedError(e.problem());
    }

    static void verify(PredictedDifference p) {
        Report.labels(p.placement(), p.id(), null);
        Allure.description(p.claim() + "\n\nSource: " + p.source());
        Scenario s = p.scenario();
        Report.scenarioFile(p.file(), s.source());
        Allure.parameter("kernels", String.join(", ", s.kernels()));
        List<String> registered = Kernels.all().stream().map(Kernel::version).toList();
        List<String> missing =
                s.kernels().stream().filter(k -> !registered.contains(k)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionFailedError(p.id() + " needs kernels " + missing + ", which no module on the class path "
                    + "provides (found: " + String.join(", ", registered) + ")");
        }

        Map<String, Outcome> byKernel = new LinkedHashMap<>();
        for (Outcomes.Run run : Outcomes.of(s).values()) {
            if (!run.ok()) {
                Report.failure("exception in the " + run.kernel() + " model", run.failure());
                throw new AssertionError(
                        p.id() + " on " + run.kernel() + ": the kernel model threw " + run.failure(), run.failure());
            }
            byKernel.put(run.kernel(), run.outcome());
            Report.outcome(run.outcome());
            Report.oomReports(run.outcome());
        }
        List<Outcome> outcomes = List.copyOf(byKernel.values());
        Report.sideBySide(p.id(), outcomes);
        Report.charts(p.id(), outcomes);

        List<String> problems = new ArrayList<>();
        for (Outcome o : outcomes) {
            for (ExpectationResult r : ExpectationChecker.check(s, o)) {
                if (r.failed()) {
                    String marker = r.verdict() == ExpectationResult.Verdict.GAP_CLOSED
                            ? AllureCategories.CLOSED_KNOWN_GAP
                            : AllureCategories.FAILED_EXPECTATION;
                    problems.add(marker + ": " + r.message().replace(s.file(), p.file()));
                }
            }
        }
        try {
            p.check().verify(byKernel);
        } catch (AssertionError e) {
            problems.add(AllureCategories.FAILED_EXPECTATION + ": " + p.id() + ": " + e.getMessage());
        }
        Comparison c = Comparison.of(outcomes);
        List<Comparison.Row> shown = c.differing().stream()
                .filter(r -> p.shows().matcher(r.observable()).find())
                .toList();
        if (shown.isEmpty()) {
            problems.add(AllureCategories.FAILED_EXPECTATION + ": the predicted difference did not show up: no "
                    + "observable matching /" + p.shows().pattern() + "/ differs between "
                    + String.join(", ", c.kernels()));
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(p.claim() + " (" + p.source() + ")\n" + String.join("\n", problems));
        }
        Report.passedWithMessage(AllureCategories.BEHAVIOUR_DIFFERENCE + ": " + p.claim() + "\n"
                + shown.stream()
                        .map(r -> r.observable() + ": " + r.agreement(c.kernels()))
                        .collect(Collectors.joining("\n")));
    }
}
