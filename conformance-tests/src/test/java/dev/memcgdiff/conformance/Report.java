package dev.memcgdiff.conformance;

import dev.memcgdiff.mm.oom.OomKill;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.reports.SideBySideTable;
import dev.memcgdiff.reports.UsageChart;
import io.qameta.allure.Allure;
import io.qameta.allure.model.StatusDetails;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * What the suites put into the Allure report: labels (epic = area, feature = question, story =
 * scenario, kernel as a parameter) and attachments. HTML and SVG go through the four-argument
 * addAttachment, which keeps their extension (the three-argument form writes .txt).
 */
final class Report {
    private Report() {
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
        Allure.addAttachment("all kernels side by side", "text/html",
            SideBySideTable.render(c, scenario + " on " + String.join(", ", c.kernels())), ".html");
    }

    static void chart(Outcome o) {
        if (!o.series().isEmpty()) {
            Allure.addAttachment("sizes over the steps on " + o.kernel(), "image/svg+xml",
                UsageChart.render(o.scenario() + " on " + o.kernel() + " (" + o.release() + ")", o.series()), ".svg");
        }
    }

    /** Each OOM kill's report, as that kernel prints it in dmesg. */
    static void oomReports(Outcome o) {
        if (o.oomKills().isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < o.oomKills().size(); i++) {
            OomKill k = o.oomKills().get(i);
            b.append("# OOM kill ").append(i).append(" at step ").append(k.step()).append(": ").append(k.victim())
                .append(" (").append(k.pid()).append(")\n");
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
