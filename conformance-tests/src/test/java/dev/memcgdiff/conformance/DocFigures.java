package dev.memcgdiff.conformance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures in a document that quote a golden outcome, each followed by a marker that says where
 * the figure comes from, so a test can check the figure against golden/outcomes:
 *
 * <pre>
 * Shmem is 409600 kB&lt;!-- golden q17b-container-shmem-vs-host-meminfo all /proc/meminfo:Shmem@filled --&gt;
 * </pre>
 *
 * <p>The marker is {@code <!-- golden SCENARIO KERNELS OBSERVABLE [~P%] -->}, written right after
 * the figure (on the same line; several markers may follow one figure, each checked). A marker
 * quoted as code (right after a backtick) is not one:
 *
 * <ul>
 *   <li>SCENARIO: a directory of golden/outcomes.
 *   <li>KERNELS: {@code all} (every kernel whose outcome is not "unsupported") or versions joined
 *       by commas ({@code 4.18,5.18}).
 *   <li>OBSERVABLE: as in a scenario's {@code expect:} ({@code /proc/meminfo:KEY[@LABEL]},
 *       {@code /proc/vmstat:KEY[@LABEL]}, {@code /CGROUP memory.FILE[:KEY][@LABEL]}; no label: the
 *       end of the run), or {@code trace "TEXT"}: the count (xN, else 1) of the one trace line that
 *       contains TEXT.
 *   <li>{@code ~P%}: the figure may be off by P percent; then the figure is written {@code ~N}, and
 *       a figure written {@code ~N} needs a tolerance.
 * </ul>
 *
 * <p>The figure is a number with an optional unit: {@code kB} or {@code K}, {@code M}, {@code G}
 * (binary; the figure is then compared in bytes, and a /proc/meminfo value, which golden files
 * print in kB, is converted to bytes), or no unit (compared with the value as the golden file
 * prints it).
 */
final class DocFigures {
    /** Where a figure's value is read in a golden file. */
    sealed interface Source {
        /** The golden line's key (before " = "), or for a trace the text its line must contain. */
        String key();

        boolean meminfo();
    }

    /** A snapshot line: {@code snapshot LABEL OBSERVABLE = VALUE}. */
    record SnapshotLine(String key, boolean meminfo) implements Source {}

    /** The count of the trace line that contains {@code key}. */
    record TraceCount(String key) implements Source {
        @Override
        public boolean meminfo() {
            return false;
        }
    }

    /** A figure as written: {@code ~} or not, the number, the unit (empty: none). */
    record Figure(String text, boolean approx, BigDecimal number, String unit) {
        /** The figure in bytes for a unit, else as written. */
        BigDecimal value() {
            return switch (unit) {
                case "kB", "K" -> number.multiply(BigDecimal.valueOf(1L << 10));
                case "M" -> number.multiply(BigDecimal.valueOf(1L << 20));
                case "G" -> number.multiply(BigDecimal.valueOf(1L << 30));
                default -> number;
            };
        }
    }

    /** One marker with the figure before it; {@code line} counts from 1. */
    record Marker(
            int line, String scenario, List<String> kernels, Source source, BigDecimal tolerancePct, Figure figure) {
        boolean allKernels() {
            return kernels.isEmpty();
        }
    }

    /** Every marker of a document, and what is wrong with the ones that cannot be checked. */
    record Parsed(List<Marker> markers, List<String> problems) {}

    static final String SYNTAX = "<!-- golden SCENARIO KERNELS OBSERVABLE [~P%] --> right after the figure"
            + " (KERNELS: all or 4.18,5.18; OBSERVABLE: /proc/meminfo:KEY[@LABEL], /proc/vmstat:KEY[@LABEL],"
            + " /CGROUP memory.FILE[:KEY][@LABEL] or trace \"TEXT\")";

    private static final Pattern COMMENT = Pattern.compile("<!--\\s*golden\\b(.*?)-->");
    private static final Pattern MARKER = Pattern.compile(
            "\\s+([a-z0-9][a-z0-9-]*)\\s+(all|[0-9]+\\.[0-9]+(?:,[0-9]+\\.[0-9]+)*)\\s+(.+?)(?:\\s+~([0-9]+(?:\\.[0-9]+)?)%)?\\s*");
    private static final String LABEL = "(?:@([a-z0-9][a-z0-9-]*))?";
    private static final Pattern HOST = Pattern.compile("(/proc/meminfo|/proc/vmstat):([A-Za-z0-9_()]+)" + LABEL);
    private static final Pattern CGROUP =
            Pattern.compile("(/[A-Za-z0-9_.:@/-]*) (memory\\.[a-z_.]+)(?::([A-Za-z0-9_]+))?" + LABEL);
    private static final Pattern TRACE = Pattern.compile("trace \"([^\"]+)\"");
    /** The figure at the end of the text before a marker. */
    private static final Pattern FIGURE =
            Pattern.compile("(?<![0-9A-Za-z.,])(~?)([0-9]+(?:\\.[0-9]+)?)(?: ?(kB|K|M|G))?\\s*$");

    private static final Pattern COUNT = Pattern.compile(" x([0-9]+)(?=\\s|$)");

    private DocFigures() {}

    static Parsed parse(String doc) {
        List<Marker> markers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = doc.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher c = COMMENT.matcher(line);
            int figureEnd = -1;
            Figure figure = null;
            while (c.find()) {
                if (c.start() > 0 && line.charAt(c.start() - 1) == '`') {
                    continue; // a marker quoted as code (the page explaining the syntax) is no marker
                }
                String where = "line " + (i + 1) + ": ";
                Matcher m = MARKER.matcher(c.group(1));
                if (!m.matches()) {
                    problems.add(where + "cannot read the marker " + c.group() + " (write " + SYNTAX + ")");
                    continue;
                }
                Optional<Source> source = source(m.group(3));
                if (source.isEmpty()) {
                    problems.add(where + "unknown observable " + m.group(3) + " in " + c.group() + " (write " + SYNTAX
                            + ")");
                    continue;
                }
                // markers in a row share the figure before the first of them
                String before = line.substring(0, c.start());
                if (figureEnd < 0 || !before.substring(figureEnd).isBlank()) {
                    figure = figure(before);
                }
                figureEnd = c.end();
                if (figure == null) {
                    problems.add(where + "no figure right before " + c.group()
                            + " (a number, optionally with kB, K, M or G, written just before the marker)");
                    continue;
                }
                BigDecimal tolerance = m.group(4) == null ? null : new BigDecimal(m.group(4));
                if (figure.approx() != (tolerance != null)) {
                    problems.add(where
                            + (figure.approx()
                                    ? "the figure " + figure.text()
                                            + " is approximate: give the marker a tolerance (~P%)"
                                    : "the figure " + figure.text() + " is exact: write it ~N or drop the tolerance")
                            + " in " + c.group());
                    continue;
                }
                List<String> kernels = m.group(2).equals("all")
                        ? List.of()
                        : List.of(m.group(2).split(","));
                markers.add(new Marker(i + 1, m.group(1), kernels, source.get(), tolerance, figure));
            }
        }
        return new Parsed(markers, problems);
    }

    private static Optional<Source> source(String observable) {
        Matcher t = TRACE.matcher(observable);
        if (t.matches()) {
            return Optional.of(new TraceCount(t.group(1)));
        }
        Matcher h = HOST.matcher(observable);
        if (h.matches()) {
            String label = h.group(3) == null ? "end" : h.group(3);
            return Optional.of(new SnapshotLine(
                    "snapshot " + label + " " + h.group(1) + ":" + h.group(2),
                    h.group(1).equals("/proc/meminfo")));
        }
        Matcher g = CGROUP.matcher(observable);
        if (g.matches()) {
            String label = g.group(4) == null ? "end" : g.group(4);
            String file = g.group(2) + (g.group(3) == null ? "" : ":" + g.group(3));
            return Optional.of(new SnapshotLine("snapshot " + label + " " + g.group(1) + " " + file, false));
        }
        return Optional.empty();
    }

    private static Figure figure(String before) {
        Matcher f = FIGURE.matcher(before);
        if (!f.find()) {
            return null;
        }
        String unit = f.group(3) == null ? "" : f.group(3);
        return new Figure(f.group().strip(), !f.group(1).isEmpty(), new BigDecimal(f.group(2)), unit);
    }

    /** The golden outcome files, as text, by scenario and kernel. */
    interface Goldens {
        /** The kernels that have an outcome file for the scenario, oldest first; empty if none. */
        List<String> kernels(String scenario);

        Optional<String> text(String scenario, String kernel);
    }

    /**
     * What is wrong with the document's figures: markers that cannot be read, and figures that do
     * not match their golden outcome, each as "docs/QUESTIONS.md:LINE: ...".
     */
    static List<String> check(String docName, String doc, Goldens goldens) {
        Parsed parsed = parse(doc);
        List<String> problems = new ArrayList<>();
        for (String p : parsed.problems()) {
            problems.add(docName + ":" + p.replaceFirst("^line ", ""));
        }
        for (Marker m : parsed.markers()) {
            String where = docName + ":" + m.line() + ": ";
            List<String> available = goldens.kernels(m.scenario());
            if (available.isEmpty()) {
                problems.add(
                        where + "no golden outcome of " + m.scenario() + " (golden/outcomes/" + m.scenario() + "/)");
                continue;
            }
            List<String> kernels = m.allKernels() ? available : m.kernels();
            int checked = 0;
            for (String kernel : kernels) {
                Optional<String> text = goldens.text(m.scenario(), kernel);
                String file = "golden/outcomes/" + m.scenario() + "/" + kernel + ".golden";
                if (text.isEmpty()) {
                    problems.add(where + "no " + file);
                    checked++;
                    continue;
                }
                if (m.allKernels() && text.get().contains("\nstatus: unsupported")) {
                    continue;
                }
                checked++;
                compare(where, file, m, text.get()).ifPresent(problems::add);
            }
            if (checked == 0) {
                problems.add(where + "every kernel of " + m.scenario() + " is unsupported: nothing to check");
            }
        }
        return problems;
    }

    private static Optional<String> compare(String where, String file, Marker m, String golden) {
        Optional<Long> seen = value(m.source(), golden);
        if (seen.isEmpty()) {
            return Optional.of(where + file + " has no line for " + describe(m.source()));
        }
        BigDecimal want = m.figure().value();
        BigDecimal got = BigDecimal.valueOf(seen.get());
        if (!m.figure().unit().isEmpty() && m.source().meminfo()) {
            got = got.multiply(BigDecimal.valueOf(1024)); // kB as printed, compared in bytes
        }
        boolean ok;
        if (m.tolerancePct() == null) {
            ok = got.compareTo(want) == 0;
        } else {
            BigDecimal allowed = want.abs().multiply(m.tolerancePct()).divide(BigDecimal.valueOf(100));
            ok = got.subtract(want).abs().compareTo(allowed) <= 0;
        }
        if (ok) {
            return Optional.empty();
        }
        return Optional.of(where + "the figure " + m.figure().text() + " ("
                + want.stripTrailingZeros().toPlainString()
                + (m.figure().unit().isEmpty() ? "" : " bytes")
                + (m.tolerancePct() == null ? "" : " +- " + m.tolerancePct().toPlainString() + "%") + ") but " + file
                + " has " + describe(m.source()) + " = " + seen.get()
                + (m.source().meminfo() ? " kB" : ""));
    }

    private static String describe(Source s) {
        return s instanceof TraceCount t ? "one trace line containing \"" + t.key() + "\"" : s.key();
    }

    /** The value of the source in a golden file's text, if it has exactly one such line. */
    static Optional<Long> value(Source source, String golden) {
        if (source instanceof TraceCount t) {
            List<String> found = new ArrayList<>();
            for (String line : golden.split("\n")) {
                if (line.startsWith("trace ") && line.contains(t.key())) {
                    found.add(line);
                }
            }
            if (found.size() != 1) {
                return Optional.empty();
            }
            String rest = found.get(0)
                    .substring(found.get(0).indexOf(t.key()) + t.key().length());
            Matcher n = COUNT.matcher(rest);
            return Optional.of(n.find() ? Long.parseLong(n.group(1)) : 1L);
        }
        Map<String, String> lines = snapshotLines(golden);
        String v = lines.get(source.key());
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> snapshotLines(String golden) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : golden.split("\n")) {
            int eq = line.indexOf(" = ");
            if (line.startsWith("snapshot ") && eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return out;
    }
}
