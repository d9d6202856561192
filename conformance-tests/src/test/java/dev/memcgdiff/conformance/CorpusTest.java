package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void everyFileIsParsedOnceInNameOrder() {
        Corpus corpus = Fixture.corpus(dir);

        assertThat(corpus.entries())
                .extracting(Corpus.Entry::name)
                .containsExactly("no-expectations", "small-anon", "unknown-key", "wrong-name");
        assertThat(corpus.entries()).extracting(Corpus.Entry::valid).containsExactly(true, true, false, false);
        assertThat(corpus.root()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void aRefusedFileCarriesTheParsersMessageWithARelativePath() {
        Corpus.Entry e = Fixture.corpus(dir).entries().get(2);

        assertThat(e.problem())
                .startsWith("invalid scenario: golden/scenarios/unknown-key.yaml:8:1: ")
                .contains("colour")
                .contains("(allowed: ");
    }

    @Test
    void aFileWhoseNameIsNotItsFileNameIsRefusedAtTheName() {
        Corpus.Entry e = Fixture.corpus(dir).entries().get(3);

        assertThat(e.problem())
                .isEqualTo("invalid scenario: golden/scenarios/wrong-name.yaml:2:9: name another-name "
                        + "is not the file's name (allowed: wrong-name, the file name without .yaml, under which its golden "
                        + "outcomes are filed)");
    }

    @Test
    void goldenOnlySelectsByNameAndNamesUnknownOnes() {
        Corpus corpus = Fixture.corpus(dir);

        assertThat(corpus.selected(Set.of())).hasSize(4);
        assertThat(corpus.selected(Set.of("small-anon", "nope")))
                .extracting(Corpus.Entry::name)
                .containsExactly("small-anon");
        assertThat(corpus.unknown(Set.of("small-anon", "nope"))).containsExactly("nope");
    }

    @Test
    void messagesShowPathsRelativeToTheRepositoryRoot() {
        Corpus corpus = Fixture.corpus(dir);
        Path file = dir.resolve("golden/scenarios/small-anon.yaml").toAbsolutePath();

        assertThat(corpus.display(file)).isEqualTo("golden/scenarios/small-anon.yaml");
        assertThat(corpus.relative(file + ":12:7: \"x\" failed"))
                .isEqualTo("golden/scenarios/small-anon.yaml:12:7: " + "\"x\" failed");
    }
}
