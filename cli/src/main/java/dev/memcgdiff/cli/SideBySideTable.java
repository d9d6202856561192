package dev.memcgdiff.cli;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.Comparison;
import dev.memcgdiff.reports.Comparison.Row;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** Wider values are listed under their row rather than in a column. */
    static final int MAX_CELL = 40;

    private SideBySideTable() {}

    /** What the table shows: every row or the key ones, the traces, sizes as exact bytes only. */
    record Options(boolean allRows, boolean withTrace, boolean exactBytes) {
        static final Options DEFAULT = new Options(false, false, false);
    }

    static String render(Scenario s, List<Outcome> outcomes, boolean allRows, boolean withTrace) {
        return render(s, outcomes, new Options(allRows, withTrace, false));
    }

    static String render(Scenario s, List<Outcome> outcomes, Options opts) {
        Comparison c = Comparison.of(outcomes);
        PathLegend legend = new PathLegend(s.cgroups().stream()
                .map(dev.memcgdiff.scenario.CgroupSpec::path)
                .toList());
        List<Row> shown = new ArrayList<>();
        int hidden = 0;
        int hiddenDiffer = 0;
        for (Row r : c.rows()) {
            if (opts.allRows() || KeyObservables.shown(r)) {
                shown.add(r);
            } else {
                hidden++;
                hiddenDiffer += r.differs() ? 1 : 0;
            }
        }
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(false, cells("kernel", c.kernels())));
        lines.add(new Line(
                false, cells("release", outcomes.stream().map(Outcome::release).toList())));
        String section = null;
        for (Row r : groupedByCgroup(shown)) {
            if (!r.section().equals(section) && !r.section().equals("status")) {
                lines.add(Line.BLANK);
                lines.add(new Line(false, new String[] {heading(r.section())}));
            }
            section = r.section();
            lines.add(new Line(r.differs(), cells(label(r, legend), values(r, legend, opts))));
        }
        StringBuilder out = new StringBuilder();
        out.append("scenario ")
                .append(s.name())
                .append(s.title().equals(s.name()) ? "" : ": " + s.title())
                .append('\n');
        out.append("file: ").append(s.file()).append('\n');
        for (String l : legend.lines()) {
            out.append(l).append('\n');
        }
        out.append('\n');
        appendAligned(out, lines, c.kernels());
        out.append('\n').append(legend(c, shown, hidden, hiddenDiffer)).append('\n');
        if (!opts.exactBytes()) {
            out.append(
                    "sizes: exact bytes (kB for /proc/meminfo) with binary units beside them; --bytes for exact only\n");
        }
        appendExpectations(out, s, outcomes, legend);
        if (opts.withTrace()) {
            for (Outcome o : outcomes) {
                out.append("\ntrace on ")
                        .append(o.kernel())
                        .append(" (")
                        .append(o.trace().size())
                        .append(o.trace().size() == 1 ? " line)\n" : " lines)\n");
                for (String t : o.trace()) {
                    out.append(GAP).append(t).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A row's values: sizes with human units unless --bytes, long cgroup paths abbreviated. */
    private static List<String> values(Row r, PathLegend legend, Options opts) {
        Units.Kind kind =
                r.section().startsWith("snapshot ") ? Units.kindOf(KeyObservables.withinSnapshot(r)) : Units.Kind.COUNT;
        List<String> out = new ArrayList<>();
        for (String v : r.values()) {
            String shown = opts.exactBytes() ? v : Units.withHuman(v, kind);
            out.add(r.observable().endsWith("memcg") ? legend.path(shown) : shown);
        }
        return out;
    }

    /**
     * Within each snapshot, the rows of one cgroup together (cgroups in order of appearance, the
     * /proc files last). Comparison appends a file only one kernel prints after the first kernel's
     * rows; here it joins its cgroup. Rows keep their order otherwise.
     */
    static List<Row> groupedByCgroup(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        Map<String, List<Row>> cgroups = new LinkedHashMap<>();
        List<Row> host = new ArrayList<>();
        String section = null;
        for (Row r : rows) {
            if (!r.section().equals(section)) {
                flush(out, cgroups, host);
                section = r.section();
            }
            if (!r.section().startsWith("snapshot ")) {
                out.add(r);
                continue;
            }
            String what = KeyObservables.withinSnapshot(r);
            if (what.startsWith("/proc/")) {
                host.add(r);
            } else {
                cgroups.computeIfAbsent(what.substring(0, what.indexOf(' ')), k -> new ArrayList<>())
                        .add(r);
            }
        }
        flush(out, cgroups, host);
        return out;
    }

    private static void flush(List<Row> out, Map<String, List<Row>> cgroups, List<Row> host) {
        cgroups.values().forEach(out::addAll);
        out.addAll(host);
        cgroups.clear();
        host.clear();
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

    private static String label(Row r, PathLegend legend) {
        if (!r.section().startsWith("snapshot ")) {
            return r.observable();
        }
        String what = legend.text(KeyObservables.withinSnapshot(r));
        return what.startsWith("/proc/meminfo:") ? what + " (kB)" : what;
    }

    /** A table line: a row of cells (the observable, then one value per kernel), a heading, or blank. */
    private record Line(boolean differs, String[] cells) {
        static final Line BLANK = new Line(false, new String[0]);

        boolean isRow() {
            return cells.length > 1;
        }

        /** A value too wide for a column (an unsupported reason, a dmesg line) is listed under the row. */
        boolean isBlock() {
            for (int i = 1; i < cells.length; i++) {
                if (cells[i].length() > MAX_CELL) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Pads every column to its widest cell; a row with a value wider than MAX_CELL lists each
     * kernel's value on its own line below the observable instead, so one long value does not
     * widen every column. No line ends in blanks.
     */
    private static void appendAligned(StringBuilder out, List<Line> lines, List<String> kernels) {
        int columns = kernels.size() + 1;
        int[] width = new int[columns];
        for (Line l : lines) {
            if (l.isRow() && !l.isBlock()) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], l.cells()[i].length());
                }
            }
        }
        int kernelWidth = kernels.stream().mapToInt(String::length).max().orElse(0);
        for (Line l : lines) {
            String mark = l.differs() ? DIFFERS : SAME;
            if (!l.isRow()) {
                out.append(l.cells().length == 0 ? "" : SAME + l.cells()[0]).append('\n');
            } else if (l.isBlock()) {
                out.append(mark).append(l.cells()[0]).append('\n');
                for (int k = 0; k < kernels.size(); k++) {
                    String kernel = kernels.get(k);
                    out.append(SAME)
                            .append(GAP)
                            .append(kernel)
                            .append(" ".repeat(kernelWidth - kernel.length()))
                            .append(GAP)
                            .append(l.cells()[k + 1])
                            .append('\n');
                }
            } else {
                StringBuilder line = new StringBuilder(mark);
                for (int i = 0; i < columns; i++) {
                    line.append(l.cells()[i])
                            .append(" ".repeat(width[i] - l.cells()[i].length()))
                            .append(GAP);
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
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

    private static void appendExpectations(StringBuilder out, Scenario s, List<Outcome> outcomes, PathLegend legend) {
        if (s.expectations().isEmpty()) {
            out.append("\nexpectations: none in the scenario\n");
            return;
        }
        for (Outcome o : outcomes) {
            List<ExpectationResult> results = ExpectationChecker.check(s, o);
            long passed = results.stream()
                    .filter(r -> r.verdict() == ExpectationResult.Verdict.PASSED)
                    .count();
            long failed = results.stream().filter(ExpectationResult::failed).count();
            long gaps = results.stream().filter(ExpectationResult::knownGap).count();
            long na = results.size() - passed - failed - gaps;
            out.append("\nexpectations on ")
                    .append(o.kernel())
                    .append(": ")
                    .append(passed)
                    .append(" passed, ")
                    .append(failed)
                    .append(" failed")
                    .append(gaps > 0 ? ", " + gaps + (gaps == 1 ? " known gap" : " known gaps") : "")
                    .append(na > 0 ? ", " + na + " not applicable" : "")
                    .append('\n');
            if (results.isEmpty()) {
                out.append(GAP).append("none applies on ").append(o.kernel()).append('\n');
            }
            for (ExpectationResult r : results) {
                // A pass needs only the value; a failure also says where the value came from and where
                // the expectation is written; a known gap gives its reason.
                boolean ok = r.verdict() == ExpectationResult.Verdict.PASSED;
                out.append(GAP)
                        .append(verdict(r))
                        .append(GAP)
                        .append(legend.text(r.expectation().text()))
                        .append(": saw ")
                        .append(legend.text(r.observed()))
                        .append(ok || r.where() == null ? "" : " (" + r.where() + ")")
                        .append(
                                r.failed() || r.knownGap()
                                        ? " at " + r.expectation().pos()
                                        : "")
                        .append(
                                r.knownGap()
                                        ? "; known gap: " + r.expectation().knownGap()
                                        : r.verdict() == ExpectationResult.Verdict.GAP_CLOSED
                                                ? "; marked known-gap, but it holds: remove the marker"
                                                : "")
                        .append('\n');
            }
        }
    }

    private static String verdict(ExpectationResult r) {
        return switch (r.verdict()) {
            case PASSED -> "PASS";
            case FAILED, GAP_CLOSED -> "FAIL";
            case NOT_APPLICABLE -> "N/A ";
            case KNOWN_GAP -> "GAP ";
        };
    }
}
