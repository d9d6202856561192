package dev.memcgdiff.reports;

import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.outcome.SeriesPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A hand-written SVG chart of one kernel's run: a panel per memcg, and in it one polyline per
 * series over the steps: usage, limit, swap and the five LRU lists (the memcg's own pages, as
 * memory.stat's local keys count them). Values are pages in the outcome and bytes on the axis.
 * No script, no external resource: the file is the picture.
 *
 * <p>A limit is drawn only where it is set and not far above everything else in the panel (more
 * than {@value #LIMIT_OFF_SCALE} times the highest other value), so used sizes stay readable; the
 * legend then says the limit is off scale.
 */
public final class UsageChart {
    static final int WIDTH = 780;
    static final int PANEL_HEIGHT = 230;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 28;
    private static final int BOTTOM = 30;
    static final long LIMIT_OFF_SCALE = 4;
    /** Up to this many steps each gets a label on the x axis; beyond it only the first and last. */
    private static final int STEP_LABELS = 16;

    private static final long PAGE_SIZE = 4096;

    /** One line of the chart: its name (the kernel's word for it), colour and value per point. */
    private record Series(String name, String colour, ToLongFunction<SeriesPoint> value) {}

    private static final List<Series> SIZES = List.of(
            new Series("usage", "#d62728", SeriesPoint::usage),
            new Series("swap", "#9467bd", SeriesPoint::swap),
            new Series("inactive_anon", "#ff7f0e", p -> p.lru()[0]),
            new Series("active_anon", "#8c564b", p -> p.lru()[1]),
            new Series("inactive_file", "#2ca02c", p -> p.lru()[2]),
            new Series("active_file", "#1f77b4", p -> p.lru()[3]),
            new Series("unevictable", "#7f7f7f", p -> p.lru()[4]));
    private static final Series LIMIT = new Series("limit", "#000000", SeriesPoint::limit);

    private UsageChart() {}

    /** The chart for one kernel's outcome series (memcg path to its points, in step order). */
    public static String render(String title, Map<String, List<SeriesPoint>> series) {
        int panels = Math.max(1, series.size());
        int height = TOP + panels * PANEL_HEIGHT;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<title>").append(Html.escape(title)).append("</title>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        b.append("<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">")
                .append(Html.escape(title))
                .append("</text>\n");
        if (series.isEmpty()) {
            b.append("<text x=\"8\" y=\"").append(TOP + 20).append("\">no steps ran</text>\n");
        }
        int i = 0;
        for (Map.Entry<String, List<SeriesPoint>> e : series.entrySet()) {
            panel(b, e.getKey(), e.getValue(), TOP + i * PANEL_HEIGHT);
            i++;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(StringBuilder b, String memcg, List<SeriesPoint> points, int y0) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = PANEL_HEIGHT - TOP - BOTTOM;
        int top = y0 + TOP;
        long highest = 0;
        for (Series s : SIZES) {
            for (SeriesPoint p : points) {
                highest = Math.max(highest, s.value.applyAsLong(p));
            }
        }
        boolean limitSet = points.stream().anyMatch(p -> p.limit() < PageCounter.MAX);
        long limitTop = points.stream()
                .filter(p -> p.limit() < PageCounter.MAX)
                .mapToLong(SeriesPoint::limit)
                .max()
                .orElse(0);
        boolean drawLimit = limitSet && (highest == 0 || limitTop <= highest * LIMIT_OFF_SCALE);
        long scale = Math.max(1, drawLimit ? Math.max(highest, limitTop) : highest);

        b.append("<g class=\"panel\" data-memcg=\"").append(Html.escape(memcg)).append("\">\n");
        b.append("<text x=\"")
                .append(LEFT)
                .append("\" y=\"")
                .append(top - 8)
                .append("\" font-weight=\"bold\">memcg ")
                .append(Html.escape(memcg))
                .append("</text>\n");
        axes(b, points, top, plotW, plotH, scale);
        List<Series> drawn = new ArrayList<>(SIZES);
        if (drawLimit) {
            drawn.add(1, LIMIT);
        }
        int legendY = top + 4;
        for (Series s : drawn) {
            polyline(b, s, points, top, plotW, plotH, scale);
            legend(b, s.colour, s == LIMIT, s.name, legendY);
            legendY += 16;
        }
        if (!drawLimit) {
            legend(b, "#bbbbbb", true, limitSet ? "limit off scale (" + bytes(limitTop) + ")" : "limit: none", legendY);
        }
        b.append("</g>\n");
    }

    private static void axes(StringBuilder b, List<SeriesPoint> points, int top, int plotW, int plotH, long scale) {
        int bottom = top + plotH;
        b.append("<line class=\"axis\" x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(top)
                .append("\" x2=\"")
                .append(LEFT)
                .append("\" y2=\"")
                .append(bottom)
                .append("\" stroke=\"#444\"/>\n");
        b.append("<line class=\"axis\" x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(bottom)
                .append("\" x2=\"")
                .append(LEFT + plotW)
                .append("\" y2=\"")
                .append(bottom)
                .append("\" stroke=\"#444\"/>\n");
        for (int t = 0; t <= 2; t++) {
            long v = scale * t / 2;
            double y = bottom - (double) plotH * t / 2;
            b.append("<text x=\"")
                    .append(LEFT - 4)
                    .append("\" y=\"")
                    .append(num(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(bytes(v))
                    .append("</text>\n");
            if (t > 0) {
                b.append("<line x1=\"")
                        .append(LEFT)
                        .append("\" y1=\"")
                        .append(num(y))
                        .append("\" x2=\"")
                        .append(LEFT + plotW)
                        .append("\" y2=\"")
                        .append(num(y))
                        .append("\" stroke=\"#eee\"/>\n");
            }
        }
        int n = points.size();
        for (int i = 0; i < n; i++) {
            boolean label = i == 0 || i == n - 1 || n <= STEP_LABELS;
            if (!label) {
                continue;
            }
            double x = LEFT + (n == 1 ? plotW / 2.0 : (double) plotW * i / (n - 1));
            String anchor = n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle";
            b.append("<text class=\"step\" x=\"")
                    .append(num(x))
                    .append("\" y=\"")
                    .append(bottom + 16)
                    .append("\" text-anchor=\"")
                    .append(anchor)
                    .append("\">")
                    .append(i == 0 || n == 1 ? "step " : "")
                    .append(points.get(i).step())
                    .append("</text>\n");
        }
    }

    private static void polyline(
            StringBuilder b, Series s, List<SeriesPoint> points, int top, int plotW, int plotH, long scale) {
        StringBuilder coords = new StringBuilder();
        int n = 0;
        for (int i = 0; i < points.size(); i++) {
            long v = s.value.applyAsLong(points.get(i));
            if (s == LIMIT && v >= PageCounter.MAX) {
                continue;
            }
            double x = LEFT + (points.size() == 1 ? plotW / 2.0 : (double) plotW * i / (points.size() - 1));
            double y = top + plotH - (double) plotH * v / scale;
            if (n++ > 0) {
                coords.append(' ');
            }
            coords.append(num(x)).append(',').append(num(y));
        }
        b.append("<polyline class=\"series\" data-series=\"")
                .append(s.name)
                .append("\" fill=\"none\" stroke=\"")
                .append(s.colour)
                .append("\" stroke-width=\"1.5\"")
                .append(s == LIMIT ? " stroke-dasharray=\"6,3\"" : "")
                .append(" points=\"")
                .append(coords)
                .append("\"/>\n");
        if (n == 1) {
            String[] xy = coords.toString().split(",");
            b.append("<circle cx=\"")
                    .append(xy[0])
                    .append("\" cy=\"")
                    .append(xy[1])
                    .append("\" r=\"2.5\" fill=\"")
                    .append(s.colour)
                    .append("\"/>\n");
        }
    }

    private static void legend(StringBuilder b, String colour, boolean dashed, String text, int y) {
        int x = WIDTH - RIGHT + 10;
        b.append("<line x1=\"")
                .append(x)
                .append("\" y1=\"")
                .append(y)
                .append("\" x2=\"")
                .append(x + 18)
                .append("\" y2=\"")
                .append(y)
                .append("\" stroke=\"")
                .append(colour)
                .append("\" stroke-width=\"2\"")
                .append(dashed ? " stroke-dasharray=\"6,3\"" : "")
                .append("/>\n");
        b.append("<text class=\"legend\" x=\"")
                .append(x + 24)
                .append("\" y=\"")
                .append(y + 4)
                .append("\">")
                .append(Html.escape(text))
                .append("</text>\n");
    }

    /** Pages as bytes with a binary suffix, as the scenario language writes sizes: 0, 512K, 1.5G. */
    static String bytes(long pages) {
        double v = (double) pages * PAGE_SIZE;
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (u < units.length - 1 && v >= 1024) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v)
                ? String.format(Locale.ROOT, "%d%s", (long) v, units[u])
                : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
