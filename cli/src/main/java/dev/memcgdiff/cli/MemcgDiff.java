package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.run.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code memcg-diff} command: run scenarios on the modelled kernels side by side, validate
 * scenario files, record golden outcomes, import OOM reports as scenarios and replay them. Exit
 * status: 0 done, 1 internal error (one line on stderr), 2 bad input (a message on stderr), 3 an
 * expectation failed (run, record, replay), 4 a scenario needs more heap than the JVM has. No
 * path prints a stack trace.
 */
@Command(
        name = "memcg-diff",
        mixinStandardHelpOptions = true,
        description = "Runs memory cgroup scenarios on models of Linux 3.10 (RHEL 7.9), 4.18 (RHEL 8.1) and 5.18, "
                + "side by side.",
        commandListHeading = "%nCommands:%n",
        footer = {"", MemcgDiff.EXIT_CODES, "Scenario format: docs/scenario-format.md"})
public final class MemcgDiff implements Runnable {
    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;
    static final int BAD_INPUT = 2;
    /** run, record, replay: an expectation failed (a known gap that now holds counts; an open one does not). */
    static final int EXPECTATION_FAILED = 3;
    /** A scenario needs more heap than this JVM may use: refused before anything runs. */
    static final int NOT_ENOUGH_HEAP = 4;

    static final String EXIT_CODES = "Exit status: 0 done (every expectation held, or is an open known gap), "
            + "1 internal error, 2 bad input, 3 an expectation failed (run, record, replay; a known gap that now "
            + "holds counts as failed), 4 a scenario needs more heap than this JVM has (refused before running).";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: run, validate, record, import or replay");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status;
        try {
            CommandLine cl = commandLine(Kernels.all());
            cl.setOut(out);
            cl.setErr(err);
            status = cl.execute(args);
        } catch (RuntimeException | Error e) {
            // Last resort: even a failure outside the commands (loading a kernel module) is one line.
            err.println("memcg-diff: internal error: " + InternalFailure.describe(e));
            status = INTERNAL_ERROR;
        }
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The command with its subcommands, running on these kernels (the registered ones in main). */
    public static CommandLine commandLine(List<Kernel> kernels) {
        CommandLine cl = new CommandLine(new MemcgDiff());
        cl.addSubcommand(new RunCommand(kernels));
        cl.addSubcommand(new ValidateCommand(kernels));
        cl.addSubcommand(new RecordCommand(kernels));
        cl.addSubcommand(new ImportCommand());
        cl.addSubcommand(new ReplayCommand(kernels));
        cl.getCommandSpec().version(versionLines(kernels));
        cl.setExecutionExceptionHandler(MemcgDiff::executionFailed);
        cl.setParameterExceptionHandler(MemcgDiff::usageError);
        return cl;
    }

    private static int executionFailed(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof BadInput bad) {
            bad.messages().forEach(m -> err.print(m + "\n"));
            err.flush();
            return BAD_INPUT;
        }
        if (ex instanceof HeapBudget.NotEnoughHeap heap) {
            heap.messages().forEach(m -> err.print("memcg-diff: " + m + "\n"));
            err.flush();
            return NOT_ENOUGH_HEAP;
        }
        if (ex instanceof InternalFailure) {
            err.println("memcg-diff: " + ex.getMessage());
        } else {
            err.println("memcg-diff: internal error: " + InternalFailure.describe(ex));
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    /** An unknown option or a missing FILE: what is wrong, a suggestion if picocli has one, where help is. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return BAD_INPUT;
    }

    private static String[] versionLines(List<Kernel> kernels) {
        List<String> lines = new ArrayList<>();
        lines.add("memcg-diff " + projectVersion());
        for (Kernel k : kernels) {
            lines.add("  kernel " + k.version() + ": " + k.release());
        }
        return lines.toArray(new String[0]);
    }

    private static String projectVersion() {
        Properties p = new Properties();
        try (InputStream in = MemcgDiff.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "(unknown version)";
        }
        return p.getProperty("version", "(unknown version)");
    }
}
