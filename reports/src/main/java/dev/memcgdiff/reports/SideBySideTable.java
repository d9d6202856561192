package dev.memcgdiff.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's outcomes on every kernel as an HTML page: a table per section (status, steps,
 * oom, each snapshot), a row per observable, a column per kernel, and which kernels agree.
 * Rows where the kernels differ carry the class {@code differs}; within them each cell carries
 * {@code gN}, N being its group of equal values, so equal values share a colour. Sections without
 * a difference start folded.
 */
public final class SideBySideTable {
    private SideBySideTable() {}

    public static String render(Comparison c, String title) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        int differing = c.differing().size();
        b.append("<p class=\"summary\">")
                .append(differing)
                .append(" of ")
                .append(c.rows().size())
                .append(" observables differ between kernels ")
                .append(Html.escape(String.join(", ", c.kernels())))
                .append("</p>\n");
        for (Map.Entry<String, List<Comparison.Row>> section : sections(c).entrySet()) {
            long diff =
                    section.getValue().stream().filter(Comparison.Row::differs).count();
            b.append("<details")
                    .append(diff > 0 ? " open=\"open\"" : "")
                    .append(">\n<summary>")
                    .append(Html.escape(section.getKey()))
                    .append(" (")
                    .append(diff)
                    .append(" of ")
                    .append(section.getValue().size())
                    .append(" differ)</summary>\n");
            table(b, c.kernels(), section.getValue());
            b.append("</details>\n");
        }
        return Html.page(title, b.toString());
    }

    private static Map<String, List<Comparison.Row>> sections(Comparison c) {
        Map<String, List<Comparison.Row>> out = new LinkedHashMap<>();
        for (Comparison.Row r : c.rows()) {
            out.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The rows as a table; the differences page uses it for the differing rows only. */
    static void table(StringBuilder b, List<String> kernels, List<Comparison.Row> rows) {
        b.append("<table class=\"side-by-side\">\n<thead><tr><th>observable</th>");
        for (String k : kernels) {
            b.append("<th>").append(Html.escape(k)).append("</th>");
        }
        b.append("<th>agreement</th></tr></thead>\n<tbody>\n");
        for (Comparison.Row r : rows) {
            b.append("<tr class=\"")
                    .append(r.differs() ? "differs" : "same")
                    .append("\"><td class=\"observable\">")
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
                    .append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }
}
