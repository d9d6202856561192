package dev.memcgdiff.conformance;

import dev.memcgdiff.golden.GoldenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of the fixture corpus (src/test/resources/fixture-corpus/golden) in a test's temporary directory. */
final class Fixture {
    private Fixture() {}

    static Corpus corpus(Path tempDir) {
        Path golden = tempDir.resolve("golden");
        copy(source(), golden);
        return Corpus.load(new GoldenStore(golden));
    }

    private static Path source() {
        try {
            return Path.of(Fixture.class.getResource("/fixture-corpus/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
