package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memcg-diff validate}: "FILE: ok" on stdout for each valid file, each error on stderr. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check scenario files without running them.",
            "Prints 'FILE: ok' for each valid file and 'FILE:LINE:COLUMN: what is wrong (allowed: ...)' on stderr "
                    + "for each invalid one; exit status 2 when any is invalid.",
            "Warns on stderr (exit status unchanged) of each registered kernel the scenario runs on that no "
                    + "expectation applies to."
        })
final class ValidateCommand implements Callable<Integer> {
    private final List<Kernel> registered;

    @Spec
    private CommandSpec spec;

    ValidateCommand(List<Kernel> registered) {
        this.registered = List.copyOf(registered);
    }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (YAML).")
    private List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (ScenarioFiles.Parsed p : ScenarioFiles.parseEach(files)) {
            if (p.ok()) {
                out.print(p.file() + ": ok\n");
                Coverage.uncoveredBeforeRunning(p.scenario(), registered).forEach(w -> err.print(w + "\n"));
            } else {
                err.print(p.error() + "\n");
                allValid = false;
            }
        }
        out.flush();
        err.flush();
        return allValid ? MemcgDiff.OK : MemcgDiff.BAD_INPUT;
    }
}
