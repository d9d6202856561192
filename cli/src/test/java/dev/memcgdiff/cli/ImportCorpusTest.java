package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The import corpus (src/test/resources/import-corpus, see its README.md): OOM reports written from
 * the kernels' printk formats, one per format, and damaged variants of them. Each log's import
 * (the scenarios on stdout, the notes on stderr) must equal its recorded {@code expected/NAME.txt},
 * golden style; {@code -Dimport.update=true} records them again, and the diff must then be read.
 */
class ImportCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/import-corpus");
    static final Path EXPECTED = CORPUS.resolve("expected");

    static Stream<String> logs() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".log") && !n.startsWith("no-oom"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /** What the command prints for a log: stdout, then stderr, then the exit status. */
    static String imported(String log) {
        Cli.Result r = Cli.run("import", CORPUS.resolve(log).toString()).assertNoStackTrace();
        return r.out() + "---- stderr\n" + r.err() + "---- exit " + r.exit() + "\n";
    }

    @ParameterizedTest
    @MethodSource("logs")
    void eachLogImportsToItsRecordedScenarios(String log) throws IOException {
        String got = imported(log);
        Path expected = EXPECTED.resolve(log.replaceFirst("\\.log$", ".txt"));
        if (Boolean.getBoolean("import.update")) {
            Files.createDirectories(EXPECTED);
            Files.writeString(expected, got, StandardCharsets.UTF_8);
        }
        assertThat(expected).as("recorded with -Dimport.update=true").exists();
        assertThat(got).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
        assertThat(got).endsWith("---- exit 0\n");
    }

    @Test
    void everyRecordedFileHasItsLog() throws IOException {
        List<String> logs = logs().toList();
        try (Stream<Path> files = Files.list(EXPECTED)) {
            assertThat(files.map(p -> p.getFileName().toString().replaceFirst("\\.txt$", ".log")))
                    .allMatch(logs::contains);
        }
    }

    @Test
    void importingTwiceGivesTheSameBytes() throws IOException {
        for (String log : logs().toList()) {
            assertThat(imported(log)).as(log).isEqualTo(imported(log));
        }
    }
}
