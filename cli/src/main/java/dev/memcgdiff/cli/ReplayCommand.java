package dev.memcgdiff.cli;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.incident.IncidentReport;
import dev.memcgdiff.incident.ReplayComparison;
import dev.memcgdiff.incident.ReportParser;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.Json;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memcg-diff replay REPORT.log}: imports each OOM report, runs its scenario, and puts the
 * real report beside the model's report of the same kernel, field by field, then says what the
 * other kernels do with the same workload.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Import each OOM report of a kernel log, run its scenario, and compare the model's OOM report with the "
                    + "real one, field by field (match, differs, known gap, not in the report).",
            "Fields: kind, constraint, oom_memcg, task_memcg, the limit hit, each counter's usage, limit and failcnt, "
                    + "each memory.stat key (Mem-Info for a global OOM), the victim and its anon/file/shmem rss. Words "
                    + "and limits must be equal; a failcnt matches when both are 0 or both are above 0; a size "
                    + "matches within 5% of the report or 1% of the OOM memcg's limit (the host's memory for a "
                    + "global OOM). Then one line for each other kernel: what it does with the same workload."
        },
        footer = {
            "",
            "JSON: {\"log\", \"reports\": [{\"lines\", \"host\", \"scenario\", \"kernel\", \"summary\", \"fields\": "
                    + "[{field, report, model, verdict, note}], \"expectations\", \"kernels\": {VERSION: {\"summary\", "
                    + "\"fields\"}}}]}.",
            "",
            MemcgDiff.EXIT_CODES
        })
final class ReplayCommand implements Callable<Integer> {
    private final List<Kernel> registered;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPORT", description = "A kernel log with one or more OOM reports.")
    private Path log;

    @Option(
            names = "--kernel",
            split = ",",
            paramLabel = "VERSION",
            description = "Only these kernels (the report's own kernel is always run).")
    private List<String> kernels;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    private RunCommand.Format format;

    @Option(names = "--bytes", description = "Text: sizes as exact numbers only.")
    private boolean exactBytes;

    ReplayCommand(List<Kernel> registered) {
        this.registered = List.copyOf(registered);
    }

    /** One report replayed: its scenario's outcomes, the comparison on its kernel, and on the others. */
    record Replayed(
            ImportCommand.Imported imported,
            Scenario scenario,
            List<Outcome> outcomes,
            Map<String, ReplayComparison.Result> comparisons) {}

    @Override
    public Integer call() {
        KernelChoice choice = new KernelChoice(registered);
        List<Kernel> selection = choice.select(kernels);
        String text = ImportCommand.readLog(log);
        ReportParser.Parsed parsed = ReportParser.parse(text);
        if (parsed.reports().isEmpty()) {
            throw new BadInput(log + ": no OOM report found (" + text.lines().count() + " lines read)");
        }
        List<ImportCommand.Imported> imported = ImportCommand.importAll(log, parsed, null);
        List<Scenario> scenarios = new ArrayList<>();
        List<List<Kernel>> perScenario = new ArrayList<>();
        for (ImportCommand.Imported im : imported) {
            Scenario s;
            try {
                s = ScenarioParser.parse(
                        im.scenario().name() + ".yaml", im.scenario().yaml(), Kernels.limits());
            } catch (ScenarioException e) {
                throw new InternalFailure("the imported scenario does not parse: " + e.getMessage());
            }
            scenarios.add(s);
            String own = im.scenario().kernel();
            List<Kernel> ks = registered.stream()
                    .filter(k -> k.version().equals(own) || selection.contains(k))
                    .filter(k -> s.runsOn(k.version()))
                    .toList();
            perScenario.add(ks);
        }
        HeapBudget.refuseOversized(scenarios);

        List<Replayed> replayed = new ArrayList<>();
        boolean anyFailed = false;
        for (int i = 0; i < imported.size(); i++) {
            Scenario s = scenarios.get(i);
            List<Outcome> outcomes = ModelRun.outcomes(s, perScenario.get(i));
            anyFailed |= Coverage.anyFailed(s, outcomes);
            Map<String, ReplayComparison.Result> comparisons = new LinkedHashMap<>();
            for (Outcome o : outcomes) {
                comparisons.put(
                        o.kernel(), ReplayComparison.compare(imported.get(i).report(), modelReport(o)));
            }
            replayed.add(new Replayed(imported.get(i), s, outcomes, comparisons));
        }
        String out = format == RunCommand.Format.json ? json(replayed) : text(replayed);
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        return anyFailed ? MemcgDiff.EXPECTATION_FAILED : MemcgDiff.OK;
    }

    /** The model's first OOM report of a run, read back with the parser the real one went through. */
    static IncidentReport modelReport(Outcome o) {
        if (o.oomKills().isEmpty()) {
            return null;
        }
        ReportParser.Parsed p =
                ReportParser.parse(String.join("\n", o.oomKills().get(0).report()));
        return p.reports().isEmpty() ? null : p.reports().get(0);
    }

    /** What a kernel did with the workload, in one sentence. */
    static String whatItDid(Outcome o, PathLegend legend) {
        if (!o.supported()) {
            return "refuses the scenario (" + o.reason() + ")";
        }
        if (o.oomKills().isEmpty()) {
            StepRecord last =
                    o.steps().isEmpty() ? null : o.steps().get(o.steps().size() - 1);
            return "no OOM kill"
                    + (last == null
                            ? ""
                            : ": step " + last.index() + " (" + last.op()
                                    + (last.task() == null ? "" : " " + last.task()) + ") ends " + last.result());
        }
        OomKillRecord k = o.oomKills().get(0);
        return k.victim() + " (" + k.pid() + ") is OOM-killed at step " + k.step() + " (" + k.constraint() + ", "
                + (k.oomMemcg() == null
                        ? "the host's memory"
                        : "the " + k.limit() + " limit of " + legend.path(k.oomMemcg()))
                + ")" + (o.oomKills().size() > 1 ? ", then " + (o.oomKills().size() - 1) + " more kills" : "");
    }

    private String text(List<Replayed> replayed) {
        StringBuilder b = new StringBuilder();
        b.append("replay of ").append(log).append('\n');
        for (int i = 0; i < replayed.size(); i++) {
            Replayed rp = replayed.get(i);
            IncidentReport r = rp.imported().report();
            String k = rp.imported().scenario().kernel();
            PathLegend legend = new PathLegend(
                    rp.scenario().cgroups().stream().map(CgroupSpec::path).toList());
            b.append('\n')
                    .append("report ")
                    .append(i + 1)
                    .append(" of ")
                    .append(replayed.size())
                    .append(", lines ")
                    .append(r.firstLine())
                    .append('-')
                    .append(r.lastLine())
                    .append(r.host().isEmpty() ? "" : ", host " + r.host())
                    .append(": scenario ")
                    .append(rp.scenario().name())
                    .append(" (")
                    .append(rp.imported().scenario().kind())
                    .append(" OOM, kernel ")
                    .append(k)
                    .append(")\n");
            legend.lines().forEach(l -> b.append(l).append('\n'));
            Outcome own = rp.outcomes().stream()
                    .filter(o -> o.kernel().equals(k))
                    .findFirst()
                    .orElse(null);
            ReplayComparison.Result c = rp.comparisons().get(k);
            if (own == null || c == null) {
                b.append("the ").append(k).append(" kernel is not registered: nothing to compare\n");
            } else {
                b.append('\n');
                table(
                        b,
                        c,
                        legend,
                        r.release() == null ? "report" : "report (" + r.release() + ")",
                        "model " + k + " (" + own.release() + ")");
                b.append('\n')
                        .append(k)
                        .append(": ")
                        .append(whatItDid(own, legend))
                        .append("; ")
                        .append(c.summary())
                        .append('\n');
                expectations(b, rp.scenario(), own);
            }
            for (Outcome o : rp.outcomes()) {
                if (o.kernel().equals(k)) {
                    continue;
                }
                ReplayComparison.Result oc = rp.comparisons().get(o.kernel());
                b.append("on ").append(o.kernel()).append(" this workload: ").append(whatItDid(o, legend));
                if (o.supported() && !o.oomKills().isEmpty()) {
                    b.append("; against the report: ").append(oc.summary());
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private void table(StringBuilder b, ReplayComparison.Result c, PathLegend legend, String left, String right) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"field", left, right, ""});
        for (ReplayComparison.Field f : c.fields()) {
            rows.add(new String[] {
                f.name(),
                shown(f.name(), f.report(), legend),
                shown(f.name(), f.model(), legend),
                f.verdict().text() + (f.note() == null ? "" : ": " + f.note())
            });
        }
        int[] w = new int[3];
        for (String[] row : rows) {
            for (int j = 0; j < 3; j++) {
                w[j] = Math.max(w[j], row[j].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int j = 0; j < 3; j++) {
                line.append(row[j]).append(" ".repeat(w[j] - row[j].length() + 2));
            }
            line.append(row[3]);
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private String shown(String field, String value, PathLegend legend) {
        if (value == null) {
            return "-";
        }
        if (field.endsWith("memcg")) {
            return legend.path(value);
        }
        boolean size = field.endsWith(" usage")
                || field.endsWith(" limit")
                || field.startsWith("memory.stat ")
                || field.startsWith("Mem-Info ")
                || field.endsWith("-rss")
                || field.endsWith(" swap");
        return size && !exactBytes ? Units.withHuman(value, Units.Kind.BYTES) : value;
    }

    private static void expectations(StringBuilder b, Scenario s, Outcome o) {
        List<ExpectationResult> results = ExpectationChecker.check(s, o);
        long passed = results.stream()
                .filter(x -> x.verdict() == ExpectationResult.Verdict.PASSED)
                .count();
        long failed = results.stream().filter(ExpectationResult::failed).count();
        long gaps = results.stream().filter(ExpectationResult::knownGap).count();
        b.append("expectations on ")
                .append(o.kernel())
                .append(": ")
                .append(passed)
                .append(" passed, ")
                .append(failed)
                .append(" failed")
                .append(gaps > 0 ? ", " + gaps + (gaps == 1 ? " known gap" : " known gaps") : "")
                .append('\n');
        for (ExpectationResult r : results) {
            if (r.failed()) {
                b.append("  FAIL  ").append(r.message()).append('\n');
            }
        }
    }

    private String json(List<Replayed> replayed) {
        List<Object> reports = new ArrayList<>();
        for (Replayed rp : replayed) {
            IncidentReport r = rp.imported().report();
            String k = rp.imported().scenario().kernel();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lines", r.firstLine() + "-" + r.lastLine());
            m.put("host", r.host());
            m.put("scenario", rp.scenario().name());
            m.put("kernel", k);
            m.put("kind", rp.imported().scenario().kind());
            Outcome own = rp.outcomes().stream()
                    .filter(o -> o.kernel().equals(k))
                    .findFirst()
                    .orElse(null);
            PathLegend none = new PathLegend(List.of());
            ReplayComparison.Result c = rp.comparisons().get(k);
            m.put("summary", own == null ? null : whatItDid(own, none) + "; " + c.summary());
            m.put("fields", c == null ? List.of() : fields(c));
            m.put(
                    "expectations",
                    own == null
                            ? List.of()
                            : ExpectationChecker.check(rp.scenario(), own).stream()
                                    .map(ExpectationResult::json)
                                    .toList());
            Map<String, Object> others = new LinkedHashMap<>();
            for (Outcome o : rp.outcomes()) {
                if (o.kernel().equals(k)) {
                    continue;
                }
                Map<String, Object> om = new LinkedHashMap<>();
                ReplayComparison.Result oc = rp.comparisons().get(o.kernel());
                om.put("summary", whatItDid(o, none) + (o.oomKills().isEmpty() ? "" : "; " + oc.summary()));
                om.put("fields", o.oomKills().isEmpty() ? List.of() : fields(oc));
                others.put(o.kernel(), om);
            }
            m.put("kernels", others);
            reports.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("log", log.toString());
        root.put("reports", reports);
        return Json.write(root, true) + "\n";
    }

    private static List<Object> fields(ReplayComparison.Result c) {
        List<Object> out = new ArrayList<>();
        for (ReplayComparison.Field f : c.fields()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", f.name());
            m.put("report", f.report());
            m.put("model", f.model());
            m.put("verdict", f.verdict().text());
            m.put("note", f.note());
            out.add(m);
        }
        return out;
    }
}
