package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCommandTest {
    @TempDir
    Path repo;

    private Path scenarios;
    private Path outcomes;

    @BeforeEach
    void goldenTree() throws IOException {
        scenarios = Files.createDirectories(repo.resolve("golden/scenarios"));
        outcomes = repo.resolve("golden/outcomes").toAbsolutePath().normalize();
    }

    private static List<String> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void recordCreatesOneGoldenFilePerKernelThenReportsItUnchanged() throws IOException {
        Path f = Cli.write(scenarios.resolve("small-oom.yaml"), Scenarios.MEMCG_OOM);
        Path golden = outcomes.resolve("small-oom/4.18.golden");

        Cli.Result first = Cli.run(List.of(Cli.linux418()), "record", f.toString());
        // The scenario's false expectation (line 22) is recorded, with a warning and exit 3: a golden
        // file proves nothing, but the user must see that an expectation fails.
        assertThat(first.exit()).isEqualTo(3);
        assertThat(first.err())
                .isEqualTo("memcg-diff: warning: " + f + ":22:7: \"step 1 == ok\" failed on 4.18: "
                        + "saw killed (step 1); recorded anyway\n"
                        + "memcg-diff: 1 expectation fails on the recorded outcomes: the golden files are written "
                        + "(they record behaviour), exit status 3\n");
        assertThat(first.out())
                .matches("created " + java.util.regex.Pattern.quote(golden.toString()) + " \\(\\+[1-9][0-9]* -0\\)\n");
        // Only the golden file: the temporary file of the atomic write is gone.
        assertThat(filesUnder(outcomes)).containsExactly("small-oom/4.18.golden");
        String text = Files.readString(golden);
        assertThat(text).startsWith("scenario: small-oom\nkernel: 4.18 (4.18.0-147.el8.x86_64)\nstatus: ok\n");
        assertThat(text).contains("\noom_kill 0: step=1 victim=big pid=200 constraint=CONSTRAINT_MEMCG oom_memcg=/a ");

        Cli.Result second = Cli.run(List.of(Cli.linux418()), "record", f.toString());
        assertThat(second.exit()).isEqualTo(3);
        assertThat(second.out()).isEqualTo("unchanged " + golden + " (+0 -0)\n");
        assertThat(Files.readString(golden)).isEqualTo(text);
    }

    @Test
    void aChangedScenarioReportsTheChangedLinesAndNothingIsDeleted() throws IOException {
        Path f = Cli.write(scenarios.resolve("small-oom.yaml"), Scenarios.MEMCG_OOM);
        Path keep = Cli.write(outcomes.resolve("small-oom/2.6.golden"), "a kernel no longer registered\n");
        Path other = Cli.write(outcomes.resolve("gone/4.18.golden"), "a scenario that was removed\n");
        assertThat(Cli.run(List.of(Cli.linux418()), "record", f.toString()).exit())
                .isEqualTo(3);

        // A lower limit (3M, page aligned) changes what 4.18 prints for memory.limit_in_bytes.
        Cli.write(f, Scenarios.MEMCG_OOM.replace("memory.limit_in_bytes: 4M", "memory.limit_in_bytes: 3M"));
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "record", f.toString());

        assertThat(r.exit()).isEqualTo(3);
        Path golden = outcomes.resolve("small-oom/4.18.golden");
        assertThat(r.out())
                .matches("changed " + java.util.regex.Pattern.quote(golden.toString())
                        + " \\(\\+[1-9][0-9]* -[1-9][0-9]*\\)\n");
        assertThat(Files.readString(golden)).contains(" /a memory.limit_in_bytes = 3145728\n");
        assertThat(keep).hasContent("a kernel no longer registered");
        assertThat(other).hasContent("a scenario that was removed");
    }

    @Test
    void everyKernelTheScenarioAllowsIsRecordedUnsupportedIncluded() throws IOException {
        Path f = Cli.write(scenarios.resolve("small-oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418(), TestKernels.refusing("9.0")), "record", f.toString());

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out().lines().toList()).hasSize(2).allMatch(l -> l.startsWith("created "));
        assertThat(filesUnder(outcomes)).containsExactly("small-oom/4.18.golden", "small-oom/9.0.golden");
        assertThat(Files.readString(outcomes.resolve("small-oom/9.0.golden")))
                .contains("status: unsupported (" + TestKernels.REFUSAL + ")");
    }

    @Test
    void aFileOutsideGoldenScenariosIsBadInputAndWritesNothing() throws IOException {
        Path elsewhere = Cli.write(repo.resolve("work/small-oom.yaml"), Scenarios.MEMCG_OOM);
        Path beside = Cli.write(repo.resolve("golden/small-oom.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "record", elsewhere.toString(), beside.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> errors = r.err().lines().toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith(elsewhere + ": not in a golden/scenarios/ directory");
        assertThat(errors.get(1)).startsWith(beside + ": not in a golden/scenarios/ directory");
        assertThat(filesUnder(repo.resolve("golden/outcomes"))).isEmpty();
    }

    @Test
    void anInvalidFileWritesNothing() throws IOException {
        Path good = Cli.write(scenarios.resolve("small-oom.yaml"), Scenarios.MEMCG_OOM);
        Path bad = Cli.write(scenarios.resolve("bad-size.yaml"), Scenarios.BAD_SIZE);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "record", good.toString(), bad.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(bad + ":2:16: ");
        assertThat(filesUnder(outcomes)).isEmpty();
    }

    @Test
    void twoFilesOfTheSameScenarioNameAreBadInput() throws IOException {
        Path a = Cli.write(scenarios.resolve("a.yaml"), Scenarios.MEMCG_OOM);
        Path b = Cli.write(scenarios.resolve("b.yaml"), Scenarios.MEMCG_OOM);
        Cli.Result r = Cli.run(List.of(Cli.linux418()), "record", a.toString(), b.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(b + ": scenario small-oom is also the name in " + a);
        assertThat(filesUnder(outcomes)).isEmpty();
    }

    @Test
    void aModelFailureWritesNoFileAtAll() throws IOException {
        Path a = Cli.write(scenarios.resolve("small-oom.yaml"), Scenarios.MEMCG_OOM);
        Path b = Cli.write(scenarios.resolve("v2-quiet.yaml"), Scenarios.V2_NO_PRESSURE);
        Cli.Result r = Cli.run(
                        List.of(Cli.linux418(), TestKernels.failingBoot("9.3")), "record", a.toString(), b.toString())
                .assertNoStackTrace();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("memcg-diff: internal error running " + a + " on 9.3: ");
        assertThat(filesUnder(outcomes)).isEmpty();
    }
}
