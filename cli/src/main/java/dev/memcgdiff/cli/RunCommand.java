package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Json;
import dev.memcgdiff.outcome.JsonOutcome;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memcg-diff run}: every file parsed first, then each scenario on its kernels, printed at once. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run scenarios on the modelled kernels and show the outcomes side by side.",
            "Every FILE is checked before anything runs. Without --kernel, a scenario runs on every registered "
                    + "kernel its 'kernels:' allows."
        },
        footer = {
            "",
            "Text: one column per kernel; a leading * marks the rows where the kernels differ; sizes in bytes "
                    + "(kB for /proc/meminfo) with binary units beside them, e.g. 26665472000 (24.8G), unless "
                    + "--bytes; cgroup paths longer than " + PathLegend.MAX + " characters as [1], [2], ... with "
                    + "their legend at the top; then each kernel's expectation results (PASS, FAIL, GAP for an "
                    + "open known gap, N/A).",
            "JSON: for one FILE the object {\"scenario\", \"kernels\": {VERSION: {status, reason, release, steps, "
                    + "oom_kills, snapshots, trace, expectations}}}; for several FILEs an array of those objects, in "
                    + "FILE order.",
            "A kernel the scenario runs on that no expectation applies to is named in a warning on stderr.",
            "",
            MemcgDiff.EXIT_CODES
        })
final class RunCommand implements Callable<Integer> {
    enum Format {
        text,
        json
    }

    private final List<Kernel> registered;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (YAML).")
    private List<Path> files;

    @Option(
            names = "--kernel",
            split = ",",
            paramLabel = "VERSION",
            description = "Only these kernels, e.g. --kernel 3.10,4.18 (default: every registered kernel).")
    private List<String> kernels;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--trace", description = "Add each kernel's trace (text: after the table; json: \"trace\").")
    private boolean trace;

    @Option(names = "--all", description = "Text: show every observable of every snapshot, not only the key ones.")
    private boolean allRows;

    @Option(names = "--bytes", description = "Text: sizes as exact numbers only, without the binary units beside them.")
    private boolean exactBytes;

    RunCommand(List<Kernel> registered) {
        this.registered = List.copyOf(registered);
    }

    @Override
    public Integer call() {
        KernelChoice choice = new KernelChoice(registered);
        List<String> errors = new ArrayList<>();
        List<Kernel> selection = List.of();
        List<Scenario> scenarios = List.of();
        try {
            selection = choice.select(kernels);
        } catch (BadInput e) {
            errors.addAll(e.messages());
        }
        try {
            scenarios = ScenarioFiles.parseAll(files);
        } catch (BadInput e) {
            errors.addAll(e.messages());
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        List<List<Kernel>> perScenario = choice.perScenario(scenarios, selection, kernels != null);
        HeapBudget.refuseOversized(scenarios);

        // Everything is rendered before anything is printed: a failure leaves stdout empty.
        StringBuilder text = new StringBuilder();
        List<Object> json = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean anyFailed = false;
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario s = scenarios.get(i);
            List<Outcome> outcomes = ModelRun.outcomes(s, perScenario.get(i));
            anyFailed |= Coverage.anyFailed(s, outcomes);
            warnings.addAll(Coverage.uncoveredWarnings(s, outcomes));
            if (format == Format.json) {
                json.add(Coverage.withExpectations(JsonOutcome.scenario(s.name(), outcomes, trace), s, outcomes));
            } else {
                text.append(i == 0 ? "" : "\n")
                        .append(SideBySideTable.render(
                                s, outcomes, new SideBySideTable.Options(allRows, trace, exactBytes)));
            }
        }
        String out = format == Format.json
                ? Json.write(json.size() == 1 ? json.get(0) : json, true) + "\n"
                : text.toString();
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        warnings.forEach(w -> spec.commandLine().getErr().print(w + "\n"));
        spec.commandLine().getErr().flush();
        return anyFailed ? MemcgDiff.EXPECTATION_FAILED : MemcgDiff.OK;
    }
}
