package dev.memcgdiff.reports;

import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.outcome.TimeSamples.Field;
import dev.memcgdiff.outcome.TimeSamples.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts over simulated time of one scenario on several kernels: per key cgroup one SVG with the
 * kernels overlaid on one time axis (a colour per kernel), from the outcomes' samples
 * ({@link TimeSamples}). Usage, limit and swap show by default; dirty, writeback and the four LRU
 * lists are a tick box away (CSS only: no script, no external resource, nothing fetched when the
 * page is viewed). Above each plot a band per kernel shows its steps; OOM kills are marked with
 * the kernel's colour and the victim, on the charts of the cgroups the victim was charged to.
 *
 * <p>A limit is drawn only where it is set and not far above everything else in the chart (more
 * than {@value #LIMIT_OFF_SCALE} times the highest other value), so used sizes stay readable; the
 * chart then says the limit is off scale. Polylines keep at most four points per pixel column
 * (first, lowest, highest, last), then only the points that lie more than {@value #TOLERANCE_PX}
 * px off the line drawn without them (Ramer-Douglas-Peucker).
 */
public final class UsageChart {
    static final int WIDTH = 900;
    private static final int LEFT = 74;
    private static final int RIGHT = 16;
    private static final int TITLE = 22;
    private static final int BAND = 12;
    private static final int PLOT_HEIGHT = 220;
    private static final int BOTTOM = 34;
    static final long LIMIT_OFF_SCALE = 4;
    private static final int X_TICKS = 8;
    private static final int Y_TICKS = 5;

    static final String[] KERNEL_COLOURS = {"#d95f02", "#1f78b4", "#1b9e77", "#7570b3", "#e7298a", "#666666"};

    /** How each field is drawn, and whether it shows before the reader ticks it. */
    private record Style(Field field, String dash, double width, boolean shown) {}

    private static final List<Style> STYLES = List.of(
            new Style(Field.USAGE, null, 2, true),
            new Style(Field.LIMIT, "8,4", 1.5, true),
            new Style(Field.SWAP, "2,3", 2, true),
            new Style(Field.DIRTY, "10,3,2,3", 1.5, false),
            new Style(Field.WRITEBACK, "5,2", 1.5, false),
            new Style(Field.INACTIVE_ANON, "1,2", 1.2, false),
            new Style(Field.ACTIVE_ANON, "6,2,1,2,1,2", 1.2, false),
            new Style(Field.INACTIVE_FILE, "3,3", 1.2, false),
            new Style(Field.ACTIVE_FILE, "12,2", 1.2, false));

    private UsageChart() {}

    /**
     * A complete page: what the charts show, the tick boxes, and one chart per key cgroup. Kernels
     * that did not run the scenario, or ran it without samples, are named, not drawn.
     */
    public static String page(String title, List<Outcome> outcomes, String timeline) {
        List<Outcome> drawn = outcomes.stream()
                .filter(o -> o.supported() && !o.samples().isEmpty())
                .toList();
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        b.append(
                "<p class=\"about\">Each key cgroup (the host, every cgroup a task is in, every cgroup with a limit or "
                        + "protection) sampled on the simulated clock: at every step's start and end, at every OOM kill, and "
                        + "periodically in between (every ms at first, the interval doubling each time 2000 periodic samples "
                        + "are held). A cgroup's values count its hierarchy, as its usage does; the host's are the whole "
                        + "machine, with MemTotal as its limit and the swap in use. The bands above each plot are each "
                        + "kernel's steps; an x marks an OOM kill, at the cgroup's usage at that moment, in the colour of the kernel that killed.</p>\n");
        if (timeline != null) {
            b.append("<p class=\"time\">").append(Html.escape(timeline)).append("</p>\n");
        }
        for (Outcome o : outcomes) {
            if (!o.supported()) {
                b.append("<p class=\"note\">Not run by ")
                        .append(Html.escape(o.kernel()))
                        .append(": ")
                        .append(Html.escape(o.status() + (o.reason() == null ? "" : " (" + o.reason() + ")")))
                        .append("</p>\n");
            } else if (o.samples().isEmpty()) {
                b.append("<p class=\"note\">")
                        .append(Html.escape(o.kernel()))
                        .append(": run without samples over time</p>\n");
            }
        }
        b.append("<div class=\"chartpage\">\n");
        for (Style s : STYLES) {
            String id = "show-" + s.field.word();
            b.append("<input type=\"checkbox\" id=\"")
                    .append(id)
                    .append('"')
                    .append(s.shown ? " checked=\"checked\"" : "")
                    .append("/><label for=\"")
                    .append(id)
                    .append("\">");
            swatch(b, "#333333", s);
            b.append(' ').append(s.field.word()).append("</label>\n");
        }
        b.append("<br/>\n");
        for (int k = 0; k < drawn.size(); k++) {
            String id = "show-k" + k;
            b.append("<input type=\"checkbox\" id=\"")
                    .append(id)
                    .append("\" checked=\"checked\"/><label for=\"")
                    .append(id)
                    .append("\">");
            swatch(b, colour(k), STYLES.get(0));
            b.append(' ')
                    .append(Html.escape(drawn.get(k).kernel()))
                    .append(" (")
                    .append(Html.escape(drawn.get(k).release()))
                    .append(")</label>\n");
        }
        b.append("<div class=\"charts\">\n");
        List<String> cgroups = cgroups(drawn);
        if (cgroups.isEmpty()) {
            b.append("<p class=\"note\">No samples over time to draw.</p>\n");
        }
        for (String cgroup : cgroups) {
            b.append(svg(cgroup, drawn));
        }
        b.append("</div>\n</div>\n");
        return Html.page(title, style(drawn.size()), b.toString());
    }

    /** Hide every series and kernel, then show each one whose box is ticked. */
    private static String style(int kernels) {
        StringBuilder css = new StringBuilder(".charts .s { display: none; }\n");
        for (Style s : STYLES) {
            css.append("#show-")
                    .append(s.field.word())
                    .append(":checked ~ .charts .s-")
                    .append(s.field.word())
                    .append(" { display: inline; }\n");
        }
        for (int k = 0; k < kernels; k++) {
            css.append("#show-k")
                    .append(k)
                    .append(":not(:checked) ~ .charts .k")
                    .append(k)
                    .append(" { display: none; }\n");
        }
        css.append(".chartpage label { margin-right: 1em; white-space: nowrap; }\n"
                + ".charts svg { display: block; margin: 0.8em 0; }\n");
        return css.toString();
    }

    private static void swatch(StringBuilder b, String colour, Style s) {
        b.append(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"8\"><line x1=\"1\" y1=\"4\" x2=\"29\" "
                                + "y2=\"4\" stroke=\"")
                .append(colour)
                .append("\" stroke-width=\"")
                .append(num(s.width))
                .append('"')
                .append(s.dash == null ? "" : " stroke-dasharray=\"" + s.dash + "\"")
                .append("/></svg>");
    }

    /** The key cgroups of all the runs, in the first run's order, then any others'. */
    static List<String> cgroups(List<Outcome> outcomes) {
        List<String> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            for (String c : o.samples().cgroups()) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static String colour(int kernel) {
        return KERNEL_COLOURS[kernel % KERNEL_COLOURS.length];
    }

    /** The chart of one cgroup: every kernel's samples of it on one time axis. */
    static String svg(String cgroup, List<Outcome> outcomes) {
        int n = outcomes.size();
        int bands = TITLE + n * BAND + 4;
        int height = bands + PLOT_HEIGHT + BOTTOM;
        int top = bands;
        int bottom = top + PLOT_HEIGHT;
        int plotW = WIDTH - LEFT - RIGHT;

        long tEnd = 1;
        long highest = 0;
        long limitTop = 0;
        for (Outcome o : outcomes) {
            TimeSamples t = o.samples();
            int c = t.cgroup(cgroup);
            for (StepRecord s : o.steps()) {
                tEnd = Math.max(tEnd, s.endNs());
            }
            for (Sample s : t.samples()) {
                tEnd = Math.max(tEnd, s.time());
                if (c < 0) {
                    continue;
                }
                for (Style st : STYLES) {
                    long v = s.value(c, st.field);
                    if (st.field == Field.LIMIT) {
                        if (v < PageCounter.MAX) {
                            limitTop = Math.max(limitTop, v);
                        }
                    } else {
                        highest = Math.max(highest, v);
                    }
                }
            }
        }
        boolean limitSet = limitTop > 0;
        boolean drawLimit = limitSet && (highest == 0 || limitTop <= highest * LIMIT_OFF_SCALE);
        long top0 = Math.max(1, drawLimit ? Math.max(highest, limitTop) : highest);
        long yStep = Units.niceSizeStep(top0, Y_TICKS);
        long yMax = Units.ceilDiv(top0, yStep) * yStep;
        long xStep = Units.niceTimeStep(tEnd, X_TICKS);
        long xMax = Units.ceilDiv(tEnd, xStep) * xStep;
        Axes ax = new Axes(LEFT, plotW, top, PLOT_HEIGHT, xMax, yMax);

        String name = cgroup.equals("/") ? "host (/)" : "memcg " + cgroup;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-cgroup=\"")
                .append(Html.escape(cgroup))
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<title>").append(Html.escape(name)).append("</title>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        b.append("<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">")
                .append(Html.escape(name))
                .append("</text>\n");
        if (limitSet && !drawLimit) {
            b.append("<text class=\"note\" x=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y=\"15\" text-anchor=\"end\">limit off scale (")
                    .append(Units.bytes(limitTop))
                    .append(")</text>\n");
        } else if (!limitSet) {
            b.append("<text class=\"note\" x=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y=\"15\" text-anchor=\"end\">no limit</text>\n");
        }
        grid(b, ax, xStep, yStep, bottom);
        for (int k = 0; k < n; k++) {
            steps(b, outcomes.get(k), k, ax, TITLE + k * BAND, bottom);
        }
        for (int k = 0; k < n; k++) {
            Outcome o = outcomes.get(k);
            int c = o.samples().cgroup(cgroup);
            if (c < 0) {
                continue;
            }
            b.append("<g class=\"kernel k")
                    .append(k)
                    .append("\" data-kernel=\"")
                    .append(Html.escape(o.kernel()))
                    .append("\">\n");
            for (Style st : STYLES) {
                if (st.field != Field.LIMIT || drawLimit) {
                    polyline(b, o, k, c, st, ax);
                }
            }
            b.append("</g>\n");
        }
        for (int k = 0; k < n; k++) {
            kills(b, outcomes.get(k), k, cgroup, ax);
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** Plot area and value ranges: time in ns on x, pages on y. */
    private record Axes(int left, int width, int top, int height, long xMax, long yMax) {
        double x(long t) {
            return left + (double) width * t / xMax;
        }

        double y(long v) {
            return top + height - (double) height * Math.min(v, yMax) / yMax;
        }
    }

    private static void grid(StringBuilder b, Axes ax, long xStep, long yStep, int bottom) {
        for (long v = 0; v <= ax.yMax; v += yStep) {
            double y = ax.y(v);
            line(b, ax.left, y, ax.left + ax.width, y, v == 0 ? "#444444" : "#eeeeee", null);
            b.append("<text class=\"ytick\" x=\"")
                    .append(ax.left - 4)
                    .append("\" y=\"")
                    .append(num(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(Units.bytes(v))
                    .append("</text>\n");
        }
        long unit = Units.axisUnit(ax.xMax, xStep);
        for (long t = 0; t <= ax.xMax; t += xStep) {
            double x = ax.x(t);
            line(b, x, ax.top, x, bottom, t == 0 ? "#444444" : "#eeeeee", null);
            b.append("<text class=\"xtick\" x=\"")
                    .append(num(x))
                    .append("\" y=\"")
                    .append(bottom + 14)
                    .append("\" text-anchor=\"")
                    .append(t == 0 ? "start" : t + xStep > ax.xMax ? "end" : "middle")
                    .append("\">")
                    .append(Units.axisTime(t, unit))
                    .append("</text>\n");
        }
        b.append("<text x=\"")
                .append(num(ax.left + ax.width / 2.0))
                .append("\" y=\"")
                .append(bottom + 29)
                .append("\" text-anchor=\"middle\" fill=\"#555555\">simulated time</text>\n");
    }

    /** A kernel's band of steps above the plot, and faint lines where its steps end. */
    private static void steps(StringBuilder b, Outcome o, int k, Axes ax, int y, int bottom) {
        String colour = colour(k);
        b.append("<g class=\"steps k")
                .append(k)
                .append("\" data-kernel=\"")
                .append(Html.escape(o.kernel()))
                .append("\">\n");
        b.append("<text x=\"")
                .append(ax.left - 4)
                .append("\" y=\"")
                .append(y + BAND - 3)
                .append("\" text-anchor=\"end\" fill=\"")
                .append(colour)
                .append("\">")
                .append(Html.escape(o.kernel()))
                .append("</text>\n");
        int i = 0;
        for (StepRecord s : o.steps()) {
            if (s.elapsedNs() <= 0) {
                continue;
            }
            double x0 = ax.x(s.startNs());
            double x1 = ax.x(s.endNs());
            b.append("<rect class=\"step\" data-step=\"")
                    .append(s.index())
                    .append("\" x=\"")
                    .append(num(x0))
                    .append("\" y=\"")
                    .append(y)
                    .append("\" width=\"")
                    .append(num(Math.max(0.5, x1 - x0)))
                    .append("\" height=\"")
                    .append(BAND - 2)
                    .append("\" fill=\"")
                    .append(colour)
                    .append("\" fill-opacity=\"")
                    .append(i++ % 2 == 0 ? "0.35" : "0.15")
                    .append("\"><title>")
                    .append(Html.escape(o.kernel() + ": step " + s.index() + " " + s.op()
                            + (s.task() == null ? "" : " " + s.task()) + ", " + s.result() + ", "
                            + Units.duration(s.startNs()) + " to " + Units.duration(s.endNs()) + " ("
                            + Units.duration(s.elapsedNs()) + ")"))
                    .append("</title></rect>\n");
            if (x1 - x0 >= 14) {
                b.append("<text x=\"")
                        .append(num((x0 + x1) / 2))
                        .append("\" y=\"")
                        .append(y + BAND - 3)
                        .append("\" text-anchor=\"middle\" font-size=\"9\">")
                        .append(s.index())
                        .append("</text>\n");
            }
            line(b, x1, ax.top, x1, bottom, colour, "2,4");
        }
        b.append("</g>\n");
    }

    private static void polyline(StringBuilder b, Outcome o, int k, int c, Style st, Axes ax) {
        List<double[]> pts = new ArrayList<>();
        for (Sample s : o.samples().samples()) {
            long v = s.value(c, st.field);
            if (st.field == Field.LIMIT && v >= PageCounter.MAX) {
                continue;
            }
            pts.add(new double[] {round(ax.x(s.time())), round(ax.y(v))});
        }
        if (pts.isEmpty()) {
            return;
        }
        StringBuilder coords = new StringBuilder();
        for (double[] p : simplify(pts)) {
            if (coords.length() > 0) {
                coords.append(' ');
            }
            coords.append(num(p[0])).append(',').append(num(p[1]));
        }
        b.append("<polyline class=\"s s-")
                .append(st.field.word())
                .append("\" data-series=\"")
                .append(st.field.word())
                .append("\" data-kernel=\"")
                .append(Html.escape(o.kernel()))
                .append("\" fill=\"none\" stroke=\"")
                .append(colour(k))
                .append("\" stroke-width=\"")
                .append(num(st.width))
                .append('"')
                .append(st.dash == null ? "" : " stroke-dasharray=\"" + st.dash + "\"")
                .append(" points=\"")
                .append(coords)
                .append("\"><title>")
                .append(Html.escape(o.kernel() + " " + st.field.word()))
                .append("</title></polyline>\n");
    }

    /**
     * At most four points per pixel column (the first, lowest, highest and last, in time order),
     * then without repeated points and without those that lie within {@value #TOLERANCE_PX} px of
     * the line drawn without them: the same picture, far fewer points.
     */
    static List<double[]> simplify(List<double[]> pts) {
        List<double[]> columns = new ArrayList<>();
        int i = 0;
        while (i < pts.size()) {
            int j = i;
            long col = (long) Math.floor(pts.get(i)[0]);
            while (j + 1 < pts.size() && (long) Math.floor(pts.get(j + 1)[0]) == col) {
                j++;
            }
            int lo = i;
            int hi = i;
            for (int q = i; q <= j; q++) {
                if (pts.get(q)[1] > pts.get(lo)[1]) {
                    lo = q; // svg y grows downwards: the lowest value has the largest y
                }
                if (pts.get(q)[1] < pts.get(hi)[1]) {
                    hi = q;
                }
            }
            int[] keep = {i, Math.min(lo, hi), Math.max(lo, hi), j};
            int last = -1;
            for (int q : keep) {
                if (q != last) {
                    columns.add(pts.get(q));
                    last = q;
                }
            }
            i = j + 1;
        }
        List<double[]> dedup = new ArrayList<>();
        for (double[] p : columns) {
            double[] prev = dedup.isEmpty() ? null : dedup.get(dedup.size() - 1);
            if (prev == null || prev[0] != p[0] || prev[1] != p[1]) {
                dedup.add(p);
            }
        }
        return douglasPeucker(dedup, TOLERANCE_PX);
    }

    /** How far (px) a dropped point may lie from the line drawn instead. */
    static final double TOLERANCE_PX = 0.4;

    /**
     * Ramer-Douglas-Peucker: keep the ends, and recursively the point farthest from the line
     * between them while it is farther than {@code eps}; flat runs and noise below a pixel go.
     */
    private static List<double[]> douglasPeucker(List<double[]> pts, double eps) {
        int n = pts.size();
        if (n <= 2) {
            return pts;
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[n - 1] = true;
        ArrayDeque<int[]> todo = new ArrayDeque<>();
        todo.push(new int[] {0, n - 1});
        while (!todo.isEmpty()) {
            int[] r = todo.pop();
            double[] a = pts.get(r[0]);
            double[] c = pts.get(r[1]);
            double dx = c[0] - a[0];
            double dy = c[1] - a[1];
            double len = Math.hypot(dx, dy);
            int far = -1;
            double farD = eps;
            for (int q = r[0] + 1; q < r[1]; q++) {
                double[] p = pts.get(q);
                double d = len == 0
                        ? Math.hypot(p[0] - a[0], p[1] - a[1])
                        : Math.abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / len;
                if (d > farD) {
                    farD = d;
                    far = q;
                }
            }
            if (far > 0) {
                keep[far] = true;
                todo.push(new int[] {far, r[1]});
                todo.push(new int[] {r[0], far});
            }
        }
        List<double[]> out = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            if (keep[q]) {
                out.add(pts.get(q));
            }
        }
        return out;
    }

    /** A kernel's OOM kills of a task charged to this cgroup (any kill on the host chart). */
    private static void kills(StringBuilder b, Outcome o, int k, String cgroup, Axes ax) {
        TimeSamples t = o.samples();
        int c = t.cgroup(cgroup);
        String colour = colour(k);
        for (TimeSamples.Kill kill : t.kills()) {
            if (!concerns(cgroup, kill)) {
                continue;
            }
            long usage = 0;
            for (Sample s : t.of(TimeSamples.Kind.KILL)) {
                if (s.time() == kill.time() && c >= 0) {
                    usage = s.value(c, Field.USAGE);
                    break;
                }
            }
            double x = ax.x(kill.time());
            double y = ax.y(usage);
            String what = o.kernel() + " OOM-kills " + kill.victim() + " (" + kill.pid() + ") at "
                    + Units.duration(kill.time()) + " in step " + kill.step()
                    + (kill.oomMemcg() == null ? " (global OOM)" : " (limit of " + kill.oomMemcg() + ")");
            b.append("<g class=\"kill k")
                    .append(k)
                    .append("\" data-kernel=\"")
                    .append(Html.escape(o.kernel()))
                    .append("\" data-victim=\"")
                    .append(Html.escape(kill.victim()))
                    .append("\" data-time=\"")
                    .append(kill.time())
                    .append("\">\n<title>")
                    .append(Html.escape(what))
                    .append("</title>\n");
            line(b, x, ax.top, x, ax.top + ax.height, colour, "4,2");
            b.append("<path d=\"M")
                    .append(num(x - 4))
                    .append(' ')
                    .append(num(y - 4))
                    .append(" L")
                    .append(num(x + 4))
                    .append(' ')
                    .append(num(y + 4))
                    .append(" M")
                    .append(num(x - 4))
                    .append(' ')
                    .append(num(y + 4))
                    .append(" L")
                    .append(num(x + 4))
                    .append(' ')
                    .append(num(y - 4))
                    .append("\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2.5\"/>\n");
            boolean right = x > ax.left + ax.width * 0.8;
            b.append("<text x=\"")
                    .append(num(right ? x - 3 : x + 3))
                    .append("\" y=\"")
                    .append(ax.top + 10 + k * 11)
                    .append("\" text-anchor=\"")
                    .append(right ? "end" : "start")
                    .append("\" fill=\"")
                    .append(colour)
                    .append("\">")
                    .append(Html.escape(o.kernel() + " kills " + kill.victim()))
                    .append("</text>\n</g>\n");
        }
    }

    /** Whether a kill shows on a cgroup's chart: the host, the memcg that hit its limit, or one holding the victim. */
    static boolean concerns(String cgroup, TimeSamples.Kill kill) {
        return cgroup.equals("/")
                || cgroup.equals(kill.oomMemcg())
                || cgroup.equals(kill.memcg())
                || (kill.memcg() != null && kill.memcg().startsWith(cgroup + "/"));
    }

    private static void line(StringBuilder b, double x1, double y1, double x2, double y2, String colour, String dash) {
        b.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\" stroke=\"")
                .append(colour)
                .append('"')
                .append(dash == null ? "" : " stroke-dasharray=\"" + dash + "\" stroke-opacity=\"0.5\"")
                .append("/>\n");
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
