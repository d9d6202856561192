package dev.memcgdiff.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The differences page, in HTML and in Markdown: for every scenario, every observable on which the
 * kernels differ, which kernels agree, and why: the scenario's own title, description and refs,
 * and each predicted difference (written by hand from the kernel sources) that matches the row; the
 * rows name the claim, the list at the end adds where each claim comes from.
 *
 * <p>Rows come in two kinds. A value difference: kernels that print the observable print different
 * values. A vocabulary difference: the kernels that print it agree, but some kernel that ran the
 * scenario does not print it at all (a memory.stat key or vmstat name of another version); these
 * are many and say little about behaviour, so they are listed apart, folded. A kernel that refused
 * the scenario is named once, not counted as missing every observable.
 */
public final class DifferencesPage {
    /**
     * A predicted difference: what the sources say differs, where it is written, and which rows it
     * explains: those whose observable matches {@code observable} and, when {@code value} is given,
     * where some kernel's value matches it (for example "-" for a key only some kernels print).
     */
    public record Explanation(String claim, String source, Pattern observable, Pattern value) {
        public boolean explains(Comparison.Row row) {
            return observable != null
                    && observable.matcher(row.observable()).find()
                    && (value == null
                            || row.values().stream()
                                    .anyMatch(v -> value.matcher(v).find()));
        }
    }

    /**
     * One scenario: its text from the file, and its comparison, or a note saying why there is none;
     * where the kernels differ in time ({@link TimeDifferences}, or null) and the address of its
     * charts over time relative to the page (or null).
     */
    public record Entry(
            String scenario,
            String title,
            String description,
            List<String> refs,
            Comparison comparison,
            String note,
            String timeline,
            String chart) {
        public Entry {
            refs = List.copyOf(refs);
        }

        /** An entry without time sentence or charts. */
        public Entry(
                String scenario,
                String title,
                String description,
                List<String> refs,
                Comparison comparison,
                String note) {
            this(scenario, title, description, refs, comparison, note, null, null);
        }
    }

    private static final String NO_WHY = "see the scenario's description and refs";

    private DifferencesPage() {}

    /** Whether each kernel ran the scenario: its status row reads "ok" (every kernel if there is no such row). */
    static boolean[] ran(Comparison c) {
        boolean[] ran = new boolean[c.kernels().size()];
        java.util.Arrays.fill(ran, true);
        c.rows().stream()
                .filter(r -> r.observable().equals("status"))
                .findFirst()
                .ifPresent(status -> {
                    for (int i = 0; i < ran.length; i++) {
                        ran[i] = status.values().get(i).equals("ok");
                    }
                });
        return ran;
    }

    /** Differing rows where the kernels that print the observable do not all print the same value. */
    public static List<Comparison.Row> valueDifferences(Comparison c) {
        return c.differing().stream()
                .filter(r -> printed(r, ran(c)).stream().distinct().count() > 1
                        || r.observable().equals("status"))
                .toList();
    }

    /** Differing rows that only some kernels that ran the scenario print, all with the same value. */
    public static List<Comparison.Row> vocabularyDifferences(Comparison c) {
        boolean[] ran = ran(c);
        return c.differing().stream()
                .filter(r -> !r.observable().equals("status")
                        && printed(r, ran).stream().distinct().count() <= 1
                        && missing(r, ran))
                .toList();
    }

    private static List<String> printed(Comparison.Row r, boolean[] ran) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ran.length; i++) {
            if (ran[i] && !r.values().get(i).equals(Comparison.ABSENT)) {
                out.add(r.values().get(i));
            }
        }
        return out;
    }

    private static boolean missing(Comparison.Row r, boolean[] ran) {
        for (int i = 0; i < ran.length; i++) {
            if (ran[i] && r.values().get(i).equals(Comparison.ABSENT)) {
                return true;
            }
        }
        return false;
    }

    /** Kernels that ran the scenario and print the observable. */
    private static List<String> printedBy(Comparison c, Comparison.Row r) {
        boolean[] ran = ran(c);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ran.length; i++) {
            if (ran[i] && !r.values().get(i).equals(Comparison.ABSENT)) {
                out.add(c.kernels().get(i));
            }
        }
        return out;
    }

    /** "Not run by 3.10: unsupported (...)" for kernels that refused the scenario, or null. */
    static String refused(Comparison c) {
        boolean[] ran = ran(c);
        List<String> parts = new ArrayList<>();
        Comparison.Row status = c.rows().stream()
                .filter(r -> r.observable().equals("status"))
                .findFirst()
                .orElse(null);
        for (int i = 0; i < ran.length; i++) {
            if (!ran[i] && status != null) {
                parts.add(c.kernels().get(i) + ": " + status.values().get(i));
            }
        }
        return parts.isEmpty() ? null : "Not run by " + String.join("; ", parts);
    }

    public static String html(List<Entry> entries, List<Explanation> explanations) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Behaviour differences between kernels</h1>\n");
        b.append("<table class=\"index\">\n<thead><tr><th>scenario</th><th>title</th><th>kernels</th>"
                + "<th>values that differ</th><th>printed by some kernels only</th></tr></thead>\n<tbody>\n");
        for (Entry e : entries) {
            b.append("<tr><td><a href=\"#")
                    .append(anchor(e.scenario()))
                    .append("\">")
                    .append(Html.escape(e.scenario()))
                    .append("</a></td><td>")
                    .append(Html.escape(e.title()))
                    .append("</td><td>")
                    .append(Html.escape(kernels(e)))
                    .append("</td><td>")
                    .append(count(e, true))
                    .append("</td><td>")
                    .append(count(e, false))
                    .append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        for (Entry e : entries) {
            section(b, e, explanations);
        }
        b.append("<h2 id=\"predicted\">Predicted differences</h2>\n<p>Written by hand from the kernel sources and "
                + "docs/QUESTIONS.md; each is checked by its own test, and explains the rows above that it names.</p>\n"
                + "<ul class=\"predicted\">\n");
        for (Explanation x : explanations) {
            b.append("<li><span class=\"claim\">")
                    .append(Html.escape(x.claim()))
                    .append("</span> <span class=\"why\">(")
                    .append(Html.escape(x.source()))
                    .append(")</span></li>\n");
        }
        b.append("</ul>\n");
        return Html.page("Behaviour differences between kernels", b.toString());
    }

    private static void section(StringBuilder b, Entry e, List<Explanation> explanations) {
        b.append("<section class=\"scenario\" id=\"")
                .append(anchor(e.scenario()))
                .append("\">\n<h2>")
                .append(Html.escape(e.scenario()))
                .append("</h2>\n<p class=\"title\">")
                .append(Html.escape(e.title()))
                .append("</p>\n");
        if (e.description() != null && !e.description().isBlank()) {
            b.append("<pre class=\"description\">")
                    .append(Html.escape(e.description().strip()))
                    .append("</pre>\n");
        }
        if (!e.refs().isEmpty()) {
            b.append("<p class=\"refs\">refs: ")
                    .append(Html.escape(String.join("; ", e.refs())))
                    .append("</p>\n");
        }
        if (e.note() != null) {
            b.append("<p class=\"note\">").append(Html.escape(e.note())).append("</p>\n");
        }
        if (e.timeline() != null) {
            b.append("<p class=\"time\">").append(Html.escape(e.timeline())).append("</p>\n");
        }
        if (e.chart() != null) {
            b.append("<p class=\"chart\"><a href=\"")
                    .append(Html.escape(e.chart()))
                    .append("\">usage over time on every kernel (charts)</a></p>\n");
        }
        Comparison c = e.comparison();
        if (c == null) {
            b.append("</section>\n");
            return;
        }
        String refused = refused(c);
        if (refused != null) {
            b.append("<p class=\"note\">").append(Html.escape(refused)).append("</p>\n");
        }
        List<Comparison.Row> values = valueDifferences(c);
        List<Comparison.Row> vocabulary = vocabularyDifferences(c);
        if (c.differing().isEmpty()) {
            b.append("<p class=\"agree\">The kernels agree on every observable.</p>\n");
        } else if (values.isEmpty()) {
            b.append("<p class=\"agree\">The kernels agree on every value they all print.</p>\n");
        }
        if (!values.isEmpty()) {
            valueTable(b, c, values, explanations);
        }
        if (!vocabulary.isEmpty()) {
            b.append("<details class=\"vocabulary\">\n<summary>")
                    .append(vocabulary.size())
                    .append(" observables printed by some kernels only</summary>\n<table class=\"vocabulary\">\n"
                            + "<thead><tr><th>observable</th><th>value</th><th>printed by</th><th>why</th></tr></thead>\n"
                            + "<tbody>\n");
            for (Comparison.Row r : vocabulary) {
                List<String> by = printedBy(c, r);
                String value = by.isEmpty()
                        ? Comparison.ABSENT
                        : r.values().get(c.kernels().indexOf(by.get(0)));
                b.append("<tr class=\"differs\"><td class=\"observable\">")
                        .append(Html.escape(r.observable()))
                        .append("</td><td class=\"value\">")
                        .append(Html.escape(value))
                        .append("</td><td>")
                        .append(Html.escape(String.join(", ", by)))
                        .append("</td><td class=\"why\">");
                why(b, r, explanations);
                b.append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n</details>\n");
        }
        b.append("</section>\n");
    }

    private static void valueTable(
            StringBuilder b, Comparison c, List<Comparison.Row> rows, List<Explanation> explanations) {
        List<String> kernels = c.kernels();
        b.append("<table class=\"differences\">\n<thead><tr><th>observable</th>");
        for (String k : kernels) {
            b.append("<th>").append(Html.escape(k)).append("</th>");
        }
        b.append("<th>agreement</th><th>why</th></tr></thead>\n<tbody>\n");
        for (Comparison.Row r : rows) {
            b.append("<tr class=\"differs\"><td class=\"observable\">")
                    .append(Html.escape(r.observable()))
                    .append("</td>");
            List<Integer> groups = r.groups();
            for (int i = 0; i < r.values().size(); i++) {
                b.append("<td class=\"value g")
                        .append(groups.get(i))
                        .append("\">")
                        .append(Html.escape(r.values().get(i)))
                        .append("</td>");
            }
            b.append("<td class=\"agreement\">")
                    .append(Html.escape(r.agreement(kernels)))
                    .append("</td><td class=\"why\">");
            why(b, r, explanations);
            b.append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void why(StringBuilder b, Comparison.Row r, List<Explanation> explanations) {
        List<Explanation> why = why(r, explanations);
        if (why.isEmpty()) {
            b.append(NO_WHY);
        }
        for (int i = 0; i < why.size(); i++) {
            b.append(i > 0 ? "<br/>" : "")
                    .append("<a href=\"#predicted\">")
                    .append(Html.escape(why.get(i).claim()))
                    .append("</a>");
        }
    }

    public static String markdown(List<Entry> entries, List<Explanation> explanations) {
        StringBuilder b = new StringBuilder("# Behaviour differences between kernels\n\n");
        b.append("| scenario | title | kernels | values that differ | printed by some kernels only |\n"
                + "|---|---|---|---|---|\n");
        for (Entry e : entries) {
            b.append("| ")
                    .append(cell(e.scenario()))
                    .append(" | ")
                    .append(cell(e.title()))
                    .append(" | ")
                    .append(cell(kernels(e)))
                    .append(" | ")
                    .append(count(e, true))
                    .append(" | ")
                    .append(count(e, false))
                    .append(" |\n");
        }
        for (Entry e : entries) {
            b.append("\n## ")
                    .append(e.scenario())
                    .append("\n\n")
                    .append(e.title())
                    .append("\n");
            if (e.description() != null && !e.description().isBlank()) {
                b.append('\n');
                for (String line : e.description().strip().split("\n", -1)) {
                    b.append("> ").append(line).append('\n');
                }
            }
            if (!e.refs().isEmpty()) {
                b.append("\nrefs: ").append(String.join("; ", e.refs())).append('\n');
            }
            if (e.note() != null) {
                b.append('\n').append(e.note()).append('\n');
            }
            if (e.timeline() != null) {
                b.append('\n').append(e.timeline()).append('\n');
            }
            if (e.chart() != null) {
                b.append("\n[usage over time on every kernel](")
                        .append(e.chart())
                        .append(")\n");
            }
            Comparison c = e.comparison();
            if (c == null) {
                continue;
            }
            String refused = refused(c);
            if (refused != null) {
                b.append('\n').append(refused).append('\n');
            }
            List<Comparison.Row> values = valueDifferences(c);
            List<Comparison.Row> vocabulary = vocabularyDifferences(c);
            if (c.differing().isEmpty()) {
                b.append("\nThe kernels agree on every observable.\n");
            } else if (values.isEmpty()) {
                b.append("\nThe kernels agree on every value they all print.\n");
            }
            if (!values.isEmpty()) {
                List<String> kernels = c.kernels();
                b.append("\n| observable | ");
                kernels.forEach(k -> b.append(cell(k)).append(" | "));
                b.append("agreement | why |\n|---|");
                kernels.forEach(k -> b.append("---|"));
                b.append("---|---|\n");
                for (Comparison.Row r : values) {
                    b.append("| ").append(cell(r.observable())).append(" | ");
                    r.values().forEach(v -> b.append(cell(v)).append(" | "));
                    b.append(cell(r.agreement(kernels)))
                            .append(" | ")
                            .append(cell(whyText(r, explanations)))
                            .append(" |\n");
                }
            }
            if (!vocabulary.isEmpty()) {
                b.append("\nPrinted by some kernels only (")
                        .append(vocabulary.size())
                        .append("): ");
                List<String> items = new ArrayList<>();
                for (Comparison.Row r : vocabulary) {
                    List<Explanation> why = why(r, explanations);
                    items.add("`" + r.observable() + "` (" + String.join(", ", printedBy(c, r))
                            + (why.isEmpty() ? "" : "; " + why.get(0).claim()) + ")");
                }
                b.append(String.join(", ", items)).append('\n');
            }
        }
        b.append("\n## Predicted differences\n\n");
        for (Explanation x : explanations) {
            b.append("- ").append(x.claim()).append(" (").append(x.source()).append(")\n");
        }
        return b.toString();
    }

    private static String whyText(Comparison.Row r, List<Explanation> explanations) {
        List<String> why = why(r, explanations).stream().map(Explanation::claim).toList();
        return why.isEmpty() ? NO_WHY : String.join("; ", why) + " (see Predicted differences)";
    }

    static List<Explanation> why(Comparison.Row row, List<Explanation> explanations) {
        return explanations.stream().filter(x -> x.explains(row)).toList();
    }

    private static String kernels(Entry e) {
        return e.comparison() == null ? "-" : String.join(", ", e.comparison().kernels());
    }

    private static String count(Entry e, boolean values) {
        if (e.comparison() == null) {
            return "-";
        }
        return Integer.toString(
                values
                        ? valueDifferences(e.comparison()).size()
                        : vocabularyDifferences(e.comparison()).size());
    }

    /** An HTML id from a scenario name (names are already [a-z0-9-], but never trust input). */
    static String anchor(String name) {
        return "s-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String s) {
        return s == null
                ? ""
                : s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }
}
