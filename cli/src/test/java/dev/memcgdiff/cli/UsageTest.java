package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.run.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTest {
    @Test
    void helpListsTheCommandsAndExitsZero() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith("Usage: memcg-diff")
                .contains("  run ")
                .contains("  validate ")
                .contains("  record ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void eachCommandHasHelp() {
        for (String command : List.of("run", "validate", "record")) {
            Cli.Result r = Cli.run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out())
                    .as(command)
                    .startsWith("Usage: memcg-diff " + command)
                    .contains("FILE");
        }
        assertThat(Cli.run("run", "--help").out())
                .contains("--kernel")
                .contains("--format")
                .contains("--trace");
    }

    @Test
    void versionNamesTheToolAndEveryRegisteredKernel() {
        Cli.Result r = Cli.run("--version");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("(?s)memcg-diff [0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?\n.*");
        for (Kernel k : Kernels.all()) {
            assertThat(r.out()).contains("  kernel " + k.version() + ": " + k.release() + "\n");
        }
        assertThat(r.out()).contains("  kernel 4.18: 4.18.0-147.el8.x86_64\n");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithoutStackTrace() {
        Cli.Result r = Cli.run("run", "--bogus", "x.yaml").assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .startsWith("memcg-diff run: Unknown option: '--bogus'")
                .contains("Try 'memcg-diff run --help'");
    }

    @Test
    void aBadFormatIsAUsageErrorNamingTheAllowedOnes() {
        Cli.Result r = Cli.run("run", "--format", "yaml", "x.yaml").assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("text, json").contains("'yaml'");
    }

    @Test
    void noCommandOrNoFileIsAUsageError() {
        Cli.Result none = Cli.run().assertNoStackTrace();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing a command: run, validate, record, import or replay");

        for (String command : List.of("run", "validate", "record")) {
            Cli.Result r = Cli.run(command).assertNoStackTrace();
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("Missing required parameter: 'FILE'");
        }

        Cli.Result unknown = Cli.run("compare", "x.yaml").assertNoStackTrace();
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("'compare'");
    }

    @Test
    void noKernelOnTheClassPathIsAnInternalErrorNotBadInput() {
        Cli.Result r = Cli.run(List.of(), "run", "x.yaml").assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("memcg-diff: no kernel module is on the class path");
    }
}
