package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyValidFileIsOk() {
        Path a = Cli.write(dir.resolve("a.yaml"), Scenarios.MEMCG_OOM);
        Path b = Cli.write(dir.resolve("b.yaml"), Scenarios.V2_NO_PRESSURE);
        Cli.Result r = Cli.run("validate", a.toString(), b.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(a + ": ok\n" + b + ": ok\n");
        // b has no expectation: a warning for each registered kernel it runs on (3.10 refuses cgroup
        // v2, and "all" would not apply there), the exit status unchanged.
        assertThat(r.err().lines().toList())
                .isNotEmpty()
                .allMatch(l -> l.startsWith("memcg-diff: warning: " + b + ": no expectation applies on "));
        assertThat(r.err()).doesNotContain(a.toString());
    }

    @Test
    void aKernelThatRefusesTheScenarioIsCoveredOnlyByItsOwnKey() {
        Path f = Cli.write(
                dir.resolve("c.yaml"), Scenarios.MEMCG_OOM.replace("  all:\n", "  \"9.0\": [unsupported]\n  all:\n"));
        Cli.Result covered = Cli.run(List.of(Cli.linux418(), TestKernels.refusing("9.0")), "validate", f.toString());
        assertThat(covered.exit()).isZero();
        assertThat(covered.err()).isEmpty();

        Path g = Cli.write(dir.resolve("d.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418(), TestKernels.refusing("9.0")), "validate", g.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err())
                .isEqualTo("memcg-diff: warning: " + g + ": no expectation applies on 9.0 (it refuses the scenario, "
                        + "so \"all\" does not apply): add \"unsupported\" under \"9.0\" if it must refuse it (the "
                        + "golden corpus suite refuses a scenario/kernel pair without one)\n");
    }

    @Test
    void validateDoesNotNeedTheScenarioToRunOnAnyRegisteredKernel() {
        Path f = Cli.write(dir.resolve("only310.yaml"), Scenarios.ONLY_310);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "validate", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(f + ": ok\n");
    }

    @Test
    void anyInvalidFileExitsTwoWithEachErrorOnStderr() {
        Path good = Cli.write(dir.resolve("good.yaml"), Scenarios.V2_NO_PRESSURE);
        Path size = Cli.write(dir.resolve("size.yaml"), Scenarios.BAD_SIZE);
        Path key = Cli.write(dir.resolve("key.yaml"), Scenarios.BAD_KEY);
        Cli.Result r = Cli.run("validate", size.toString(), good.toString(), key.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEqualTo(good + ": ok\n");
        List<String> errors =
                r.err().lines().filter(l -> !l.contains(": warning: ")).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith(size + ":2:16: ");
        assertThat(errors.get(1)).startsWith(key + ":2:1: ");
    }

    @Test
    void aFileThatIsNotUtf8OrIsADirectoryIsAnErrorNotACrash() {
        Path dirAsFile = dir.resolve("sub.yaml");
        Cli.write(dirAsFile.resolve("x"), "");
        Cli.Result r = Cli.run("validate", dirAsFile.toString()).assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(dirAsFile + ":1:1: cannot read the file");
    }
}
