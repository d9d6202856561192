package dev.memcgdiff.conformance;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Json;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.reports.DifferencesPage;
import dev.memcgdiff.reports.SideBySideTable;
import dev.memcgdiff.reports.TimeDifferences;
import dev.memcgdiff.reports.UsageChart;
import dev.memcgdiff.scenario.Scenario;
import io.qameta.allure.Allure;
import io.qameta.allure.model.StatusDetails;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What goes into the reports. The suites put labels (epic = area, feature = question, story =
 * scenario, kernel as a parameter) and attachments into the Allure report; HTML and SVG go through
 * the four-argument addAttachment, which keeps their extension (the three-argument form writes
 * .txt). The report step after the suites ({@code report.DifferencesStep}) writes the differences
 * pages ({@link #differencesPages()}).
 */
public final class Report {
    /** The pages the report step writes; ReportSteps publish copies them beside the Allure report. */
    static final List<String> PAGES = List.of("differences.html", "differences.md", "known-gaps.json");
    /** The directory of the chart pages (one a scenario), beside the differences pages. */
    static final String CHARTS = "charts";

    private Report() {}

    /**
     * differences.html and differences.md, in {@code -Dmemcgdiff.report.dir} (default
     * target/memcg-diff): every scenario of the corpus the suites ran ({@code -Dgolden.dir},
     * {@code -Dgolden.only}), every observable on which its kernels differ, which kernels agree, and
     * why (the scenario's title, description and refs, and the predicted differences of
     * golden/predicted that explain the row). Differences are findings, not failures, so nothing here
     * fails: a file the parser refuses is listed with the parser's message, and a kernel model that
     * throws is named on the page; GoldenSuite and CorpusSuite fail for both.
     *
     * @return what the console should say: the pages written, and each scenario not compared on
     *     some kernel
     */
    public static List<String> differencesPages() throws IOException {
        Corpus corpus = Corpus.shared();
        if (corpus == null) {
            return List.of("no differences pages: " + Corpus.missing());
        }
        return differencesPages(corpus, Settings.only(), Settings.reportDir());
    }

    /** As {@link #differencesPages()}: the corpus in {@code golden}, the scenarios {@code only} names, into dir. */
    public static List<String> differencesPages(Path golden, Set<String> only, Path dir) throws IOException {
        return differencesPages(Corpus.load(new GoldenStore(golden.toAbsolutePath())), only, dir);
    }

    private static List<String> differencesPages(Corpus corpus, Set<String> only, Path dir) throws IOException {
        List<String> said = new ArrayList<>();
        List<DifferencesPage.Entry> entries = new ArrayList<>();
        for (Corpus.Entry e : corpus.selected(only)) {
            if (!e.valid()) {
                entries.add(new DifferencesPage.Entry(e.name(), e.name(), "", List.of(), null, e.problem()));
                said.add(e.name() + ": not compared: " + e.problem());
                continue;
            }
            Scenario s = e.scenario();
            List<Outcomes.Run> runs = List.copyOf(Outcomes.of(s).values());
            List<Outcome> outcomes = Outcomes.successful(s);
            List<String> crashed = runs.stream()
                    .filter(r -> !r.ok())
                    .map(r -> r.kernel() + " (" + r.failure() + ")")
                    .toList();
            Comparison c = outcomes.isEmpty() ? null : Comparison.of(outcomes);
            String timeline = TimeDifferences.sentence(outcomes);
            String chart = null;
            if (outcomes.stream().anyMatch(o -> !o.samples().isEmpty())) {
                chart = chartPage(s.name());
                Path page = dir.resolve(chart);
                Files.createDirectories(page.getParent());
                Files.writeString(
                        page,
                        UsageChart.page(s.name() + ": usage over time", outcomes, timeline),
                        StandardCharsets.UTF_8);
            }
            entries.add(new DifferencesPage.Entry(
                    s.name(), s.title(), s.description(), s.refs(), c, note(runs, crashed), timeline, chart));
            if (!crashed.isEmpty()) {
                said.add(s.name() + ": not compared on " + String.join(", ", crashed) + ": the kernel model threw "
                        + "(GoldenSuite fails it)");
            }
        }
        entries.sort(Comparator.comparing(DifferencesPage.Entry::scenario));
        List<DifferencesPage.Explanation> why = PredictedDifferences.all().stream()
                .map(PredictedDifference::explanation)
                .toList();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PAGES.get(0)), DifferencesPage.html(entries, why), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(PAGES.get(1)), DifferencesPage.markdown(entries, why), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(PAGES.get(2)), knownGapsJson(corpus, only), StandardCharsets.UTF_8);
        long differing = entries.stream()
                .filter(x ->
                        x.comparison() != null && !x.comparison().differing().isEmpty())
                .count();
        said.add(
                0,
                "differences pages: " + entries.size() + " scenarios, " + differing + " where the kernels differ, "
                        + why.size() + " predicted differences: "
                        + PAGES.stream().map(dir::resolve).map(Path::toString).collect(Collectors.joining(", ")));
        return said;
    }

    /**
     * known-gaps.json: every open known gap of the scenarios run (an expectation marked
     * {@code known-gap:} that the model still fails), in scenario order, then kernel order:
     * {@code [{"scenario", "kernel", "expectation", "key", "at", "verdict": "known_gap", "observed",
     * "where", "known_gap": REASON}]}. The differences page can list them; GoldenSuite files the same
     * results under the Allure category "known gap".
     */
    static String knownGapsJson(Corpus corpus, Set<String> only) {
        List<Object> out = new ArrayList<>();
        List<Corpus.Entry> entries = corpus.selected(only).stream()
                .filter(Corpus.Entry::valid)
                .sorted(Comparator.comparing(Corpus.Entry::name))
                .toList();
        for (Corpus.Entry e : entries) {
            for (Outcome o : Outcomes.successful(e.scenario())) {
                for (ExpectationResult r : ExpectationChecker.knownGaps(e.scenario(), o)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("scenario", e.name());
                    m.put("kernel", o.kernel());
                    m.putAll(r.json());
                    m.put("at", corpus.relative(String.valueOf(m.get("at"))));
                    out.add(m);
                }
            }
        }
        return Json.write(out, true) + "\n";
    }

    /** Why a scenario has no comparison, or one with fewer kernels than it names; null if there is nothing to say. */
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

    static void labels(NotesQuestions.Placement p, String story, String kernel) {
        Allure.epic(p.epic());
        Allure.feature(p.feature());
        Allure.story(story);
        p.tags().forEach(t -> Allure.label("tag", t));
        if (kernel != null) {
            Allure.parameter("kernel", kernel);
        }
    }

    static void scenarioFile(String name, String text) {
        Allure.addAttachment(name, "text/yaml", text, ".yaml");
    }

    static void text(String name, String text) {
        Allure.addAttachment(name, "text/plain", text, ".txt");
    }

    static void diff(String name, String diff) {
        Allure.addAttachment(name, "text/plain", diff, ".diff");
    }

    static void outcome(Outcome o) {
        text("outcome on " + o.kernel() + " (golden text)", GoldenText.render(o));
    }

    static void sideBySide(String scenario, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        Comparison c = Comparison.of(outcomes);
        Allure.addAttachment(
                "all kernels side by side",
                "text/html",
                SideBySideTable.render(c, scenario + " on " + String.join(", ", c.kernels())),
                ".html");
    }

    /** The charts over simulated time, every kernel overlaid, when the runs have samples. */
    static void charts(String scenario, List<Outcome> outcomes) {
        if (outcomes.stream().anyMatch(o -> !o.samples().isEmpty())) {
            Allure.addAttachment(
                    "usage over time, all kernels",
                    "text/html",
                    UsageChart.page(scenario + ": usage over time", outcomes, TimeDifferences.sentence(outcomes)),
                    ".html");
        }
    }

    /** Where a scenario's chart page goes, relative to the differences pages. */
    static String chartPage(String scenario) {
        return CHARTS + "/" + scenario.replaceAll("[^A-Za-z0-9_-]", "_") + ".html";
    }

    /** Each OOM kill's report, as that kernel prints it in dmesg. */
    static void oomReports(Outcome o) {
        if (o.oomKills().isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < o.oomKills().size(); i++) {
            OomKillRecord k = o.oomKills().get(i);
            b.append("# OOM kill ")
                    .append(i)
                    .append(" at step ")
                    .append(k.step())
                    .append(": ")
                    .append(k.victim())
                    .append(" (")
                    .append(k.pid())
                    .append(")\n");
            k.report().forEach(line -> b.append(line).append('\n'));
            b.append('\n');
        }
        text("OOM report on " + o.kernel() + " (dmesg)", b.toString());
    }

    static void failure(String name, Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        text(name, w.toString());
    }

    /** A message on a passed test, so the report can file it under a category. */
    static void passedWithMessage(String message) {
        Allure.getLifecycle().updateTestCase(r -> r.setStatusDetails(new StatusDetails().setMessage(message)));
    }
}
