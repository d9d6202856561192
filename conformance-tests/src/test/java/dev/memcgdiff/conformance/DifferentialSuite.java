package dev.memcgdiff.conformance;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.reports.DifferencesPage;
import dev.memcgdiff.scenario.Scenario;
import io.qameta.allure.Allure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Per scenario, which kernels agree on each observable: the side-by-side table and agreement
 * matrix go into the report, and after the suite differences.html and differences.md list every
 * scenario with every observable that differs and why. Differences are findings, not failures:
 * these tests fail only when a kernel model throws.
 */
@DisplayName("differences between kernels")
class DifferentialSuite {
    private static final List<DifferencesPage.Entry> ENTRIES = new ArrayList<>();
    /** How many differing rows the test's message names before "and N more". */
    private static final int NAMED = 12;

    @TestFactory
    Stream<DynamicTest> kernelsComparedPerScenario() {
        Corpus corpus = Corpus.shared();
        if (corpus == null) {
            return Stream.of(dynamicTest("golden corpus", () -> {
                throw new AssertionFailedError(Corpus.missing());
            }));
        }
        List<Corpus.Entry> entries = corpus.selected(Settings.only());
        // A refused file fails its golden-suite test; here it is only listed on the differences page.
        entries.stream().filter(e -> !e.valid())
            .forEach(e -> record(new DifferencesPage.Entry(e.name(), e.name(), "", List.of(), null, e.problem())));
        return entries.stream().filter(Corpus.Entry::valid)
            .map(e -> dynamicTest(e.name() + ": kernels compared", () -> compare(corpus, e)));
    }

    static void compare(Corpus corpus, Corpus.Entry e) {
        Scenario s = e.scenario();
        Report.labels(NotesQuestions.of(s.name(), s.refs()), s.name(), null);
        Report.scenarioFile(corpus.display(e.file()), s.source());
        List<Outcomes.Run> runs = List.copyOf(Outcomes.of(s).values());
        List<Outcome> outcomes = Outcomes.successful(s);
        Allure.parameter("kernels", runs.stream().map(Outcomes.Run::kernel).collect(Collectors.joining(", ")));
        outcomes.forEach(Report::chart);
        Report.sideBySide(s.name(), outcomes);
        List<String> crashed = runs.stream().filter(r -> !r.ok()).map(r -> r.kernel() + " (" + r.failure() + ")")
            .toList();
        Comparison c = outcomes.isEmpty() ? null : Comparison.of(outcomes);
        String note = note(runs, crashed);
        record(new DifferencesPage.Entry(s.name(), s.title(), s.description(), s.refs(), c, note));
        if (c != null) {
            Report.text("agreement matrix", matrix(c));
        }
        if (!crashed.isEmpty()) {
            runs.stream().filter(r -> !r.ok()).forEach(r -> Report.failure("exception in the " + r.kernel()
                + " model", r.failure()));
            throw new AssertionFailedError(s.name() + ": kernel models threw: " + String.join(", ", crashed));
        }
        if (c != null && !c.differing().isEmpty()) {
            Report.passedWithMessage(AllureCategories.BEHAVIOUR_DIFFERENCE + ": " + c.differing().size() + " of "
                + c.rows().size() + " observables differ\n" + summary(c));
        }
    }

    private static String note(List<Outcomes.Run> runs, List<String> crashed) {
        if (runs.isEmpty()) {
            return "No kernel on the class path runs this scenario.";
        }
        if (!crashed.isEmpty()) {
            return "Not compared on " + String.join(", ", crashed) + ": the kernel model threw.";
        }
        if (runs.size() == 1) {
            return "Runs on " + runs.get(0).kernel() + " only: nothing to compare it with.";
        }
        return null;
    }

    /** Every observable with which kernels agree, differing rows marked with "*". */
    static String matrix(Comparison c) {
        StringBuilder b = new StringBuilder("kernels: " + String.join(", ", c.kernels()) + "\n"
            + "* = the kernels differ; kernels joined by = agree, groups are separated by |\n\n");
        for (Comparison.Row r : c.rows()) {
            b.append(r.differs() ? "* " : "  ").append(r.observable()).append(": ").append(r.agreement(c.kernels()))
                .append('\n');
        }
        return b.toString();
    }

    private static String summary(Comparison c) {
        List<Comparison.Row> rows = c.differing();
        String named = rows.stream().limit(NAMED).map(r -> r.observable() + ": " + r.agreement(c.kernels()))
            .collect(Collectors.joining("\n"));
        return rows.size() > NAMED ? named + "\nand " + (rows.size() - NAMED) + " more" : named;
    }

    private static synchronized void record(DifferencesPage.Entry entry) {
        ENTRIES.add(entry);
    }

    @AfterAll
    static synchronized void writeDifferencesPages() throws IOException {
        List<DifferencesPage.Entry> entries = ENTRIES.stream()
            .sorted(Comparator.comparing(DifferencesPage.Entry::scenario)).toList();
        List<DifferencesPage.Explanation> why = PredictedDifferences.ALL.stream()
            .map(PredictedDifference::explanation).toList();
        Path dir = Settings.reportDir();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("differences.html"), DifferencesPage.html(entries, why), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("differences.md"), DifferencesPage.markdown(entries, why), StandardCharsets.UTF_8);
    }
}
