package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.run.Kernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Runs the command in-process, as main would, with stdout and stderr captured. */
final class Cli {
    record Result(int exit, String out, String err) {
        /** No error path may show a Java stack trace or an exception's class name as its message. */
        Result assertNoStackTrace() {
            assertThat(err)
                    .doesNotContain("\tat ")
                    .doesNotContain("Caused by")
                    .doesNotContain("Exception in thread")
                    .doesNotContain(".java:");
            assertThat(out).doesNotContain("\tat ").doesNotContain(".java:");
            return this;
        }
    }

    private Cli() {}

    static Result run(List<Kernel> kernels, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MemcgDiff.commandLine(kernels);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** With the kernels registered on the class path, as the shipped command runs. */
    static Result run(String... args) {
        return run(Kernels.all(), args);
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Kernel linux418() {
        return Kernels.byVersion("4.18").orElseThrow(() -> new AssertionError("linux-4.18 is not registered"));
    }
}
