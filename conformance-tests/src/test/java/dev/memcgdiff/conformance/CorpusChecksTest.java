package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusChecksTest {
    @TempDir
    Path dir;

    @Test
    void goldenFilesOfGoneScenariosOrKernelsThatNoLongerRunThemAreStale() {
        Corpus corpus = Fixture.corpus(dir);
        Path outcomes = corpus.store().outcomeDir();
        Fixture.write(outcomes.resolve("gone/4.18.golden"), "x\n");
        Fixture.write(outcomes.resolve("small-anon/4.18.golden"), "x\n");
        Fixture.write(outcomes.resolve("small-anon/5.18.golden"), "x\n");
        Fixture.write(outcomes.resolve("no-expectations/9.99.golden"), "x\n");
        Fixture.write(outcomes.resolve("unknown-key/4.18.golden"), "x\n");

        List<Path> stale = CorpusChecks.stale(corpus, List.of("3.10", "4.18", "5.18"));

        assertThat(stale)
                .extracting(corpus::display)
                .containsExactlyInAnyOrder(
                        "golden/outcomes/gone/4.18.golden",
                        "golden/outcomes/small-anon/5.18.golden",
                        "golden/outcomes/no-expectations/9.99.golden");
    }

    @Test
    void aPairWithNoApplicableExpectationIsUncovered() {
        Corpus corpus = Fixture.corpus(dir);
        List<String> uncovered = CorpusChecks.uncovered(corpus.entries(), Outcomes::of);

        assertThat(uncovered).containsExactly("no-expectations on 4.18");
    }

    @Test
    void aKernelThatRefusesAScenarioWithOnlyAllExpectationsIsUncovered() {
        Corpus corpus = Fixture.corpus(dir);
        Corpus.Entry small = corpus.entries().get(1);
        Map<String, Outcomes.Run> runs = new LinkedHashMap<>();
        runs.put(
                "3.10",
                new Outcomes.Run(
                        "3.10",
                        Outcome.unsupported("small-anon", "3.10", "3.10.0-test", "cgroup v2: not in 3.10"),
                        null));
        runs.put("4.18", new Outcomes.Run("4.18", null, new IllegalStateException("model bug")));

        assertThat(CorpusChecks.uncovered(List.of(small), s -> runs))
                .containsExactly("small-anon on 3.10", "small-anon on 4.18");
    }
}
