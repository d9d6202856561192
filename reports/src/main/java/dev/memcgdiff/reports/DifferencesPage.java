package dev.memcgdiff.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The differences page, in HTML and in Markdown: for every scenario, every observable on which the
 * kernels differ, which kernels agree, and why: the scenario's own title, description and refs,
 * and each predicted difference (written by hand from the kernel sources) whose observables match
 * the row. A scenario on which the kernels agree says so; one that could not be compared says why.
 */
public final class DifferencesPage {
    /** A predicted difference: what the sources say differs, where it is written, which rows it explains. */
    public record Explanation(String claim, String source, Pattern observable) {
        public boolean explains(Comparison.Row row) {
            return observable != null && observable.matcher(row.observable()).find();
        }
    }

    /** One scenario: its text from the file, and its comparison, or a note saying why there is none. */
    public record Entry(String scenario, String title, String description, List<String> refs,
                        Comparison comparison, String note) {
        public Entry {
            refs = List.copyOf(refs);
        }

        List<Comparison.Row> differing() {
            return comparison == null ? List.of() : comparison.differing();
        }
    }

    private DifferencesPage() {
    }

    public static String html(List<Entry> entries, List<Explanation> explanations) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Behaviour differences between kernels</h1>\n");
        b.append("<table class=\"index\">\n<thead><tr><th>scenario</th><th>title</th><th>kernels</th>"
            + "<th>observables that differ</th></tr></thead>\n<tbody>\n");
        for (Entry e : entries) {
            b.append("<tr><td><a href=\"#").append(anchor(e.scenario())).append("\">").append(Html.escape(e.scenario()))
                .append("</a></td><td>").append(Html.escape(e.title())).append("</td><td>")
                .append(Html.escape(kernels(e))).append("</td><td>").append(count(e)).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        for (Entry e : entries) {
            b.append("<section class=\"scenario\" id=\"").append(anchor(e.scenario())).append("\">\n<h2>")
                .append(Html.escape(e.scenario())).append("</h2>\n<p class=\"title\">").append(Html.escape(e.title()))
                .append("</p>\n");
            if (e.description() != null && !e.description().isBlank()) {
                b.append("<pre class=\"description\">").append(Html.escape(e.description().strip())).append("</pre>\n");
            }
            if (!e.refs().isEmpty()) {
                b.append("<p class=\"refs\">refs: ").append(Html.escape(String.join("; ", e.refs()))).append("</p>\n");
            }
            if (e.note() != null) {
                b.append("<p class=\"note\">").append(Html.escape(e.note())).append("</p>\n");
            }
            if (e.comparison() != null && e.differing().isEmpty()) {
                b.append("<p class=\"agree\">The kernels agree on every observable.</p>\n");
            } else if (!e.differing().isEmpty()) {
                differingTable(b, e, explanations);
            }
            b.append("</section>\n");
        }
        b.append("<h2 id=\"predicted\">Predicted differences</h2>\n<p>Written by hand from the kernel sources and "
            + "the notes; each is checked by its own test, and explains the rows above whose observables it names."
            + "</p>\n<ul class=\"predicted\">\n");
        for (Explanation x : explanations) {
            b.append("<li><span class=\"claim\">").append(Html.escape(x.claim())).append("</span> <span class=\"why\">(")
                .append(Html.escape(x.source())).append(")</span></li>\n");
        }
        b.append("</ul>\n");
        return Html.page("Behaviour differences between kernels", b.toString());
    }

    private static void differingTable(StringBuilder b, Entry e, List<Explanation> explanations) {
        List<String> kernels = e.comparison().kernels();
        b.append("<table class=\"differences\">\n<thead><tr><th>observable</th>");
        for (String k : kernels) {
            b.append("<th>").append(Html.escape(k)).append("</th>");
        }
        b.append("<th>agreement</th><th>why</th></tr></thead>\n<tbody>\n");
        for (Comparison.Row r : e.differing()) {
            b.append("<tr class=\"differs\"><td class=\"observable\">").append(Html.escape(r.observable())).append("</td>");
            List<Integer> groups = r.groups();
            for (int i = 0; i < r.values().size(); i++) {
                b.append("<td class=\"value g").append(groups.get(i)).append("\">").append(Html.escape(r.values().get(i)))
                    .append("</td>");
            }
            b.append("<td class=\"agreement\">").append(Html.escape(r.agreement(kernels))).append("</td><td class=\"why\">");
            List<Explanation> why = why(r, explanations);
            if (why.isEmpty()) {
                b.append("see the scenario's description and refs");
            }
            for (int i = 0; i < why.size(); i++) {
                b.append(i > 0 ? "<br/>" : "").append(Html.escape(why.get(i).claim())).append(" (")
                    .append(Html.escape(why.get(i).source())).append(')');
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    public static String markdown(List<Entry> entries, List<Explanation> explanations) {
        StringBuilder b = new StringBuilder("# Behaviour differences between kernels\n\n");
        b.append("| scenario | title | kernels | observables that differ |\n|---|---|---|---|\n");
        for (Entry e : entries) {
            b.append("| ").append(cell(e.scenario())).append(" | ").append(cell(e.title())).append(" | ")
                .append(cell(kernels(e))).append(" | ").append(count(e)).append(" |\n");
        }
        for (Entry e : entries) {
            b.append("\n## ").append(e.scenario()).append("\n\n").append(e.title()).append("\n");
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
            if (e.comparison() != null && e.differing().isEmpty()) {
                b.append("\nThe kernels agree on every observable.\n");
            } else if (!e.differing().isEmpty()) {
                List<String> kernels = e.comparison().kernels();
                b.append("\n| observable | ");
                kernels.forEach(k -> b.append(cell(k)).append(" | "));
                b.append("agreement | why |\n|---|");
                kernels.forEach(k -> b.append("---|"));
                b.append("---|---|\n");
                for (Comparison.Row r : e.differing()) {
                    b.append("| ").append(cell(r.observable())).append(" | ");
                    r.values().forEach(v -> b.append(cell(v)).append(" | "));
                    List<String> why = new ArrayList<>();
                    for (Explanation x : why(r, explanations)) {
                        why.add(x.claim() + " (" + x.source() + ")");
                    }
                    b.append(cell(r.agreement(kernels))).append(" | ")
                        .append(cell(why.isEmpty() ? "see the scenario's description and refs" : String.join("; ", why)))
                        .append(" |\n");
                }
            }
        }
        b.append("\n## Predicted differences\n\n");
        for (Explanation x : explanations) {
            b.append("- ").append(x.claim()).append(" (").append(x.source()).append(")\n");
        }
        return b.toString();
    }

    static List<Explanation> why(Comparison.Row row, List<Explanation> explanations) {
        return explanations.stream().filter(x -> x.explains(row)).toList();
    }

    private static String kernels(Entry e) {
        return e.comparison() == null ? "-" : String.join(", ", e.comparison().kernels());
    }

    private static String count(Entry e) {
        return e.comparison() == null ? "-" : Integer.toString(e.differing().size());
    }

    /** An HTML id from a scenario name (names are already [a-z0-9-], but never trust input). */
    static String anchor(String name) {
        return "s-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }
}
