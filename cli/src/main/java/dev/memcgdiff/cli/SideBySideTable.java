package dev.memcgdiff.cli;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.reports.Comparison.Row;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code memcg-diff run}'s text form of one scenario: a table with one column per kernel, a
 * leading {@code *} on each row where the kernels differ, then each kernel's expectation results
 * and, on request, its trace. Values are as the kernels print them: cgroup files in bytes or
 * counts, /proc/meminfo in kB.
 */
final class SideBySideTable {
    static final String DIFFERS = "* ";
    static final String SAME = "  ";
    private static final String GAP = "  ";

    private SideBySideTable() {
    }

    static String render(Scenario s, List<Outcome> outcomes, boolean allRows, boolean withTrace) {
        Comparison c = Comparison.of(outcomes);
        List<Row> shown = new ArrayList<>();
        int hidden = 0;
        int hiddenDiffer = 0;
        for (Row r : c.rows()) {
            if (allRows || KeyObservables.shown(r)) {
                shown.add(r);
            } else {
                hidden++;
                hiddenDiffer += r.differs() ? 1 : 0;
            }
        }
        List<String[]> lines = new ArrayList<>();
        List<Boolean> marks = new ArrayList<>();
        lines.add(cells("kernel", c.kernels()));
        marks.add(false);
        lines.add(cells("release", outcomes.stream().map(Outcome::release).toList()));
        marks.add(false);
        String section = null;
        for (Row r : shown) {
            if (!r.section().equals(section) && !r.section().equals("status")) {
                lines.add(null);
                marks.add(false);
                lines.add(new String[] {heading(r.section())});
                marks.add(false);
            }
            section = r.section();
            lines.add(cells(label(r), r.values()));
            marks.add(r.differs());
        }
        StringBuilder out = new StringBuilder();
        out.append("scenario ").append(s.name()).append(s.title().equals(s.name()) ? "" : ": " + s.title())
            .append('\n');
        out.append("file: ").append(s.file()).append("\n\n");
        appendAligned(out, lines, marks);
        out.append('\n').append(legend(c, shown, hidden, hiddenDiffer)).append('\n');
        appendExpectations(out, s, outcomes);
        if (withTrace) {
            for (Outcome o : outcomes) {
                out.append("\ntrace on ").append(o.kernel()).append(" (").append(o.trace().size())
                    .append(o.trace().size() == 1 ? " line)\n" : " lines)\n");
                for (String t : o.trace()) {
                    out.append(GAP).append(t).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String[] cells(String first, List<String> values) {
        String[] row = new String[values.size() + 1];
        row[0] = first;
        for (int i = 0; i < values.size(); i++) {
            row[i + 1] = values.get(i);
        }
        return row;
    }

    private static String heading(String section) {
        return switch (section) {
            case "steps" -> "steps";
            case "oom" -> "oom kills";
            case "snapshot end" -> "snapshot end (after the last step)";
            default -> section;
        };
    }

    private static String label(Row r) {
        if (!r.section().startsWith("snapshot ")) {
            return r.observable();
        }
        String what = KeyObservables.withinSnapshot(r);
        return what.startsWith("/proc/meminfo:") ? what + " (kB)" : what;
    }

    /** Pads every column to its widest cell; a heading (one cell) spans the row; no trailing blanks. */
    private static void appendAligned(StringBuilder out, List<String[]> lines, List<Boolean> marks) {
        int columns = lines.get(0).length;
        int[] width = new int[columns];
        for (String[] l : lines) {
            if (l != null && l.length == columns) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], l[i].length());
                }
            }
        }
        for (int n = 0; n < lines.size(); n++) {
            String[] l = lines.get(n);
            if (l == null) {
                out.append('\n');
                continue;
            }
            StringBuilder line = new StringBuilder(marks.get(n) ? DIFFERS : SAME);
            for (int i = 0; i < l.length; i++) {
                line.append(l[i]);
                if (i < l.length - 1) {
                    line.append(" ".repeat(width[i] - l[i].length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String legend(Comparison c, List<Row> shown, int hidden, int hiddenDiffer) {
        if (c.kernels().size() < 2) {
            return "one kernel: nothing to compare" + (hidden > 0 ? " (" + hidden + " more rows with --all)" : "");
        }
        long differ = shown.stream().filter(Row::differs).count();
        String text = "* = the kernels differ: " + differ + " of the " + shown.size() + " rows shown";
        if (hidden > 0) {
            text += "; " + hidden + " more rows with --all, " + hiddenDiffer + " of them differ";
        }
        return text;
    }

    private static void appendExpectations(StringBuilder out, Scenario s, List<Outcome> outcomes) {
        if (s.expectations().isEmpty()) {
            out.append("\nexpectations: none in the scenario\n");
            return;
        }
        for (Outcome o : outcomes) {
            List<ExpectationResult> results = ExpectationChecker.check(s, o);
            long passed = results.stream().filter(r -> r.verdict() == ExpectationResult.Verdict.PASSED).count();
            long failed = results.stream().filter(ExpectationResult::failed).count();
            long na = results.size() - passed - failed;
            out.append("\nexpectations on ").append(o.kernel()).append(": ").append(passed).append(" passed, ")
                .append(failed).append(" failed").append(na > 0 ? ", " + na + " not applicable" : "").append('\n');
            for (ExpectationResult r : results) {
                out.append(GAP).append(verdict(r)).append(GAP).append(r.expectation().text()).append(": saw ")
                    .append(r.observed()).append(r.where() == null ? "" : " (" + r.where() + ")")
                    .append(r.failed() ? " at " + r.expectation().pos() : "").append('\n');
            }
        }
    }

    private static String verdict(ExpectationResult r) {
        return switch (r.verdict()) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case NOT_APPLICABLE -> "N/A ";
        };
    }
}
