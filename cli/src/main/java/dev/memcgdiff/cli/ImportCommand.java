package dev.memcgdiff.cli;

import dev.memcgdiff.incident.IncidentReport;
import dev.memcgdiff.incident.IncidentScenario;
import dev.memcgdiff.incident.ReportParser;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memcg-diff import REPORT.log}: one scenario per OOM report of the log, with an expect
 * block of the report's own facts. What was inferred, what cannot be reproduced (known gaps) and
 * every line that could not be read go to stderr, and into each scenario's description.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Turn each OOM report of a kernel log into a scenario that reproduces it.",
            "Reads dmesg, dmesg -T, syslog and journalctl forms, several reports and hosts in one log, lines wrapped "
                    + "by a terminal, reports cut anywhere; formats of 3.10 (RHEL 7), 4.15-4.18, RHEL 8.1, 4.19+/5.x, "
                    + "cgroup v2 and global OOMs. A part it cannot read is reported with its line number and the "
                    + "import goes on.",
            "Without --out the scenarios go to stdout; the notes (what was inferred, known gaps, unread lines) go to "
                    + "stderr."
        },
        footer = {
            "",
            "Each scenario's expectations under the report's kernel are the report's facts (victim, constraint, "
                    + "memcgs, limit hit, failcnt, the memory mix); known gaps are marked known-gap. Add what the "
                    + "other kernels must do from their sources (golden/README.md).",
            "",
            "Exit status: 0 scenarios written, 1 internal error, 2 bad input (no file, or no OOM report in it)."
        })
final class ImportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPORT", description = "A kernel log with one or more OOM reports.")
    private Path log;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "Write the scenario to PATH (a .yaml file, named after it), or into the directory PATH "
                    + "(one NAME.yaml per report). Several reports and a file: PATH's name with -1, -2, ...")
    private Path out;

    @Override
    public Integer call() {
        String text = readLog(log);
        ReportParser.Parsed parsed = ReportParser.parse(text);
        if (parsed.reports().isEmpty()) {
            throw new BadInput(log + ": no OOM report found (" + text.lines().count() + " lines read; a report "
                    + "starts with \"invoked oom-killer\", or has a \"Killed process\", \"Memory cgroup stats\" or "
                    + "\"Mem-Info:\" line)");
        }
        List<Imported> imported = importAll(log, parsed, out);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < imported.size(); i++) {
            Imported im = imported.get(i);
            if (im.target() == null) {
                if (imported.size() > 1) {
                    yaml.append(i == 0 ? "" : "\n")
                            .append("# report ")
                            .append(i + 1)
                            .append(" of ")
                            .append(imported.size())
                            .append(", lines ")
                            .append(im.report().firstLine())
                            .append('-')
                            .append(im.report().lastLine())
                            .append('\n');
                }
                yaml.append(im.scenario().yaml());
            }
        }
        for (Imported im : imported) {
            if (im.target() != null) {
                try {
                    if (im.target().getParent() != null) {
                        Files.createDirectories(im.target().getParent());
                    }
                    Files.writeString(im.target(), im.scenario().yaml(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new InternalFailure("cannot write " + im.target() + ": " + InternalFailure.describe(e));
                }
            }
        }
        stdout.print(yaml);
        stdout.flush();
        for (int i = 0; i < imported.size(); i++) {
            notes(err, log, imported.get(i), i + 1, imported.size());
        }
        if (parsed.ignoredLines() > 0 || parsed.joinedLines() > 0) {
            err.print(log + ": " + parsed.ignoredLines() + " lines outside the OOM reports ignored"
                    + (parsed.joinedLines() > 0 ? ", " + parsed.joinedLines() + " wrapped lines joined" : "") + "\n");
        }
        err.flush();
        return MemcgDiff.OK;
    }

    /** One imported report: the report, its scenario and where it goes (null: stdout). */
    record Imported(IncidentReport report, IncidentScenario.Imported scenario, Path target) {}

    /**
     * Every report as a scenario, each checked by the scenario parser (an importer bug is an
     * internal failure, never a file the user gets). Names are the corpus convention, or --out's
     * file name; a name two reports would share gets -2, -3, ...
     */
    static List<Imported> importAll(Path log, ReportParser.Parsed parsed, Path out) {
        String logRef = logRef(log);
        int n = parsed.reports().size();
        boolean intoDir =
                out != null && (Files.isDirectory(out) || out.toString().endsWith("/"));
        String stem = out != null && !intoDir ? out.getFileName().toString().replaceFirst("\\.ya?ml$", "") : null;
        if (stem != null && !stem.matches("[a-z0-9][a-z0-9-]*")) {
            throw new BadInput("--out " + out + ": the file name must be a scenario name, [a-z0-9][a-z0-9-]* "
                    + "followed by .yaml (the scenario's name is the file's)");
        }
        Set<String> names = new LinkedHashSet<>();
        List<Imported> outList = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IncidentReport r = parsed.reports().get(i);
            String name = stem != null ? (n == 1 ? stem : stem + "-" + (i + 1)) : IncidentScenario.defaultName(r);
            String unique = name;
            for (int k = 2; names.contains(unique); k++) {
                unique = name + "-" + k;
            }
            names.add(unique);
            IncidentScenario.Imported s = IncidentScenario.of(r, unique, logRef);
            Path target =
                    out == null ? null : intoDir ? out.resolve(unique + ".yaml") : out.resolveSibling(unique + ".yaml");
            try {
                ScenarioParser.parse(target == null ? unique + ".yaml" : target.toString(), s.yaml(), Kernels.limits());
            } catch (ScenarioException e) {
                List<String> lines = s.yaml().lines().toList();
                int at = e.pos() == null ? 0 : e.pos().line();
                throw new InternalFailure("the scenario imported from " + log + " lines " + r.firstLine() + "-"
                        + r.lastLine() + " does not parse (an importer bug, please report it with the log): "
                        + e.getMessage()
                        + (at >= 1 && at <= lines.size()
                                ? "; the line: " + lines.get(at - 1).strip()
                                : ""));
            }
            outList.add(new Imported(r, s, target));
        }
        return outList;
    }

    /** The log as the scenario's refs name it: relative to the working directory when it is under it. */
    static String logRef(Path log) {
        Path abs = log.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : log.toString();
    }

    /** The log's text: UTF-8, a byte that is not UTF-8 read as U+FFFD; a missing file is bad input. */
    static String readLog(Path log) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            String why = Files.isDirectory(log)
                    ? "is a directory"
                    : Files.exists(log) ? "cannot be read (" + InternalFailure.describe(e) + ")" : "does not exist";
            throw new BadInput(log + ": the log " + why);
        }
    }

    private static void notes(PrintWriter err, Path log, Imported im, int index, int count) {
        IncidentReport r = im.report();
        IncidentScenario.Imported s = im.scenario();
        err.print(log + ": report " + (count > 1 ? index + " of " + count + " " : "") + "at lines "
                + r.firstLine() + "-" + r.lastLine() + (r.host().isEmpty() ? "" : " (host " + r.host() + ")") + ": "
                + s.kind() + " OOM on " + s.kernel() + " -> " + s.name()
                + (im.target() == null ? "" : " written to " + im.target()) + "\n");
        s.inferred().forEach(x -> err.print("  inferred: " + x + "\n"));
        s.gaps().forEach(x -> err.print("  known gap: " + x + "\n"));
        r.problems().forEach(x -> err.print("  " + x + "\n"));
    }
}
