package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenCheckTest {
    @TempDir
    Path dir;

    private static Outcome outcome(String result) {
        return new Outcome(
                "small-anon",
                "4.18",
                "4.18.0-test",
                "ok",
                null,
                List.of(new StepRecord(0, "anon", "t", result, 256)),
                List.of(),
                Map.of(),
                List.of(),
                Map.of(),
                List.of());
    }

    @Test
    void aMissingGoldenFileFailsWithTheCommandThatRecordsIt() {
        Corpus corpus = Fixture.corpus(dir);
        GoldenCheck.Result r = GoldenCheck.check(corpus, outcome("ok"), false);

        assertThat(r.problem())
                .isEqualTo("golden mismatch: golden/outcomes/small-anon/4.18.golden does not exist; "
                        + "record it with: mvn verify -Dgolden.update=true -Dgolden.only=small-anon "
                        + "(or ./memcg-diff record golden/scenarios/small-anon.yaml)");
        assertThat(r.written()).isNull();
        assertThat(corpus.store().outcomeFile("small-anon", "4.18")).doesNotExist();
    }

    @Test
    void aDifferentOutcomeFailsWithTheUnifiedDiff() {
        Corpus corpus = Fixture.corpus(dir);
        Fixture.write(corpus.store().outcomeFile("small-anon", "4.18"), GoldenText.render(outcome("ok")));
        GoldenCheck.Result r = GoldenCheck.check(corpus, outcome("enomem"), false);

        assertThat(r.problem())
                .startsWith("golden mismatch: the outcome differs from "
                        + "golden/outcomes/small-anon/4.18.golden (- golden, + actual); if the change is intended, record it with: "
                        + "mvn verify -Dgolden.update=true -Dgolden.only=small-anon")
                .endsWith(r.diff());
        assertThat(r.diff())
                .contains(
                        "--- golden/small-anon/4.18.golden",
                        "+++ actual/small-anon/4.18.golden",
                        "-step 0 anon t: ok pages=256",
                        "+step 0 anon t: enomem pages=256");
    }

    @Test
    void anEqualOutcomePasses() {
        Corpus corpus = Fixture.corpus(dir);
        Fixture.write(corpus.store().outcomeFile("small-anon", "4.18"), GoldenText.render(outcome("ok")));

        assertThat(GoldenCheck.check(corpus, outcome("ok"), false)).isEqualTo(new GoldenCheck.Result(null, "", null));
    }

    @Test
    void updateWritesOnlyWhatChangedAndNeverFails() throws IOException {
        Corpus corpus = Fixture.corpus(dir);
        Path file = corpus.store().outcomeFile("small-anon", "4.18");
        Path other = corpus.store().outcomeFile("gone", "4.18");
        Fixture.write(other, "kept\n");

        GoldenCheck.Result created = GoldenCheck.check(corpus, outcome("ok"), true);
        GoldenCheck.Result unchanged = GoldenCheck.check(corpus, outcome("ok"), true);
        GoldenCheck.Result changed = GoldenCheck.check(corpus, outcome("enomem"), true);

        assertThat(created.problem()).isNull();
        assertThat(created.written().status()).isEqualTo(GoldenStore.Status.CREATED);
        assertThat(unchanged.written().status()).isEqualTo(GoldenStore.Status.UNCHANGED);
        assertThat(changed.problem()).isNull();
        assertThat(changed.written().status()).isEqualTo(GoldenStore.Status.CHANGED);
        assertThat(changed.written().added()).isEqualTo(1);
        assertThat(changed.written().removed()).isEqualTo(1);
        assertThat(changed.diff()).contains("+step 0 anon t: enomem pages=256");
        assertThat(Files.readString(file)).isEqualTo(GoldenText.render(outcome("enomem")));
        assertThat(Files.readString(other)).isEqualTo("kept\n");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("4.18.golden");
        }
    }
}
