package dev.memcgdiff.conformance;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Every scenario of golden/scenarios on every kernel that runs it, each pair its own test named
 * "SCENARIO on KERNEL": the outcome must equal its golden file, and every hand-written expectation
 * that concerns the kernel must hold. An expectation marked known-gap is checked too: while it
 * fails the test passes with a "known gap:" message (its own Allure category); once it holds the
 * test fails ("known gap closed:") until the marker is removed. A file the parser refuses is one
 * failing test with the parser's message.
 */
@DisplayName("golden outcomes and expectations")
class GoldenSuite {
    @TestFactory
    Stream<DynamicNode> everyScenarioOnEveryKernel() {
        Corpus corpus = Corpus.shared();
        if (corpus == null) {
            return Stream.of(dynamicTest("golden corpus", () -> {
                throw new AssertionFailedError(Corpus.missing());
            }));
        }
        List<Corpus.Entry> entries = corpus.selected(Settings.only());
        if (entries.isEmpty()) {
            return Stream.of(dynamicTest("golden corpus", () -> {
                throw new AssertionFailedError("no scenario to run in "
                        + corpus.display(corpus.store().scenarioDir())
                        + (Settings.only().isEmpty() ? "" : " named by -D" + Settings.ONLY + "=" + Settings.only()));
            }));
        }
        return entries.stream().map(e -> scenario(corpus, e));
    }

    private static DynamicNode scenario(Corpus corpus, Corpus.Entry e) {
        if (!e.valid()) {
            return dynamicTest(e.name() + ": " + AllureCategories.INVALID_SCENARIO, () -> invalid(corpus, e));
        }
        List<Kernel> kernels = Outcomes.kernels(e.scenario());
        if (kernels.isEmpty()) {
            return dynamicTest(e.name() + ": no kernel runs it", () -> {
                throw new AssertionFailedError(corpus.display(e.file()) + " lists kernels "
                        + e.scenario().kernels()
                        + ", and no module on the class path provides one of them (found: "
                        + Kernels.all().stream().map(Kernel::version).collect(Collectors.joining(", ")) + ")");
            });
        }
        return dynamicContainer(
                e.name(),
                kernels.stream()
                        .map(k -> dynamicTest(e.name() + " on " + k.version(), () -> pair(corpus, e, k.version()))));
    }

    static void invalid(Corpus corpus, Corpus.Entry e) throws IOException {
        Report.labels(NotesQuestions.of(e.name(), List.of()), e.name(), null);
        Report.scenarioFile(corpus.display(e.file()), Files.readString(e.file(), StandardCharsets.UTF_8));
        throw new AssertionFailedError(e.problem());
    }

    static void pair(Corpus corpus, Corpus.Entry e, String kernel) {
        Scenario s = e.scenario();
        Report.labels(NotesQuestions.of(s.name(), s.refs()), s.name(), kernel);
        Report.scenarioFile(corpus.display(e.file()), s.source());
        Outcomes.Run run = Outcomes.of(s).get(kernel);
        Report.sideBySide(s.name(), Outcomes.successful(s));
        if (!run.ok()) {
            Report.failure("exception in the " + kernel + " model", run.failure());
            throw new AssertionError(
                    s.name() + " on " + kernel + ": the kernel model threw " + run.failure(), run.failure());
        }
        Outcome o = run.outcome();
        Report.outcome(o);
        Report.charts(s.name(), Outcomes.successful(s));
        Report.oomReports(o);

        List<String> problems = new ArrayList<>();
        List<ExpectationResult> results = ExpectationChecker.check(s, o);
        if (!results.isEmpty()) {
            Report.text(
                    "expectations on " + kernel,
                    results.stream().map(r -> corpus.relative(r.message())).collect(Collectors.joining("\n")) + "\n");
        }
        List<String> gaps = new ArrayList<>();
        for (ExpectationResult r : results) {
            if (r.verdict() == ExpectationResult.Verdict.GAP_CLOSED) {
                problems.add(AllureCategories.CLOSED_KNOWN_GAP + ": " + corpus.relative(r.message()));
            } else if (r.failed()) {
                problems.add(AllureCategories.FAILED_EXPECTATION + ": " + corpus.relative(r.message()));
            } else if (r.knownGap()) {
                gaps.add(AllureCategories.KNOWN_GAP + ": " + corpus.relative(r.message()));
            }
        }
        GoldenCheck.Result golden = GoldenCheck.check(corpus, o, Settings.update());
        if (!golden.diff().isEmpty()) {
            Report.diff("golden diff on " + kernel, golden.diff());
        }
        if (golden.written() != null && golden.written().status() != GoldenStore.Status.UNCHANGED) {
            GoldenStore.WriteResult w = golden.written();
            System.out.println("[golden] " + w.status().name().toLowerCase(Locale.ROOT) + " " + corpus.display(w.file())
                    + " (+" + w.added() + " -" + w.removed() + ")");
        }
        if (golden.problem() != null) {
            problems.add(golden.problem());
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(String.join("\n", problems));
        }
        if (!gaps.isEmpty()) {
            // An open known gap passes, and says so: the report files it under its own category.
            gaps.forEach(g -> System.out.println("[" + g + "]"));
            Report.passedWithMessage(String.join("\n", gaps));
        }
    }
}
