package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.conformance.PredictedDifference.Check;
import dev.memcgdiff.conformance.PredictedDifference.Prediction;
import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each predicted difference is well formed before any kernel runs it; how golden/predicted is read. */
class PredictedDifferencesCatalogueTest {
    static Stream<PredictedDifferences.Entry> all() {
        return PredictedDifferences.entries().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void itsFileParsesUnderItsIdAndStatesEveryKernelsSide(PredictedDifferences.Entry e) {
        assertThat(e.problem()).as(e.file()).isNull();
        PredictedDifference p = e.difference();
        Scenario s = p.scenario();

        assertThat(s.name()).isEqualTo(p.id()).isEqualTo(e.id());
        assertThat(p.file()).isEqualTo("golden/predicted/" + p.id() + ".yaml");
        assertThat(s.kernels()).as("a difference needs two kernels at least").hasSizeGreaterThanOrEqualTo(2);
        for (String k : s.kernels()) {
            assertThat(s.expectations())
                    .as("an expectation for " + k)
                    .anyMatch(x -> x.kernel().equals(k) || x.kernel().equals("all"));
        }
        assertThat(s.expectations().stream().map(Expectation::kernel).distinct().count())
                .as("the expectations must tell the kernels apart, or a Java check must")
                .isGreaterThan(p.check() == Check.NONE ? 1 : 0);
        assertThat(p.claim()).isNotBlank().isNotEqualTo(p.id());
        assertThat(p.source()).isNotBlank();
        assertThat(p.shows()).isNotNull();
        if (p.question() != null) {
            assertThat(NotesQuestions.QUESTIONS).containsKey(p.question());
        }
    }

    @Test
    void everyPredictionHasItsFileAndEveryFileItsPredictionInIdOrder() {
        assertThat(PredictedDifferences.entries())
                .extracting(PredictedDifferences.Entry::id)
                .containsExactlyElementsOf(PredictedDifferences.PREDICTIONS.keySet())
                .isSorted();
        assertThat(PredictedDifferences.all()).hasSameSizeAs(PredictedDifferences.PREDICTIONS.keySet());
    }

    // How a directory is read, on files written here.

    @TempDir
    Path dir;

    private static final String SCENARIO = """
        name: %s
        title: a differs from b
        description: somewhere in mm/
        kernels: ["4.18", "5.18"]
        host: {memory: 64M}
        cgroup: v1
        tasks:
          t: {cgroup: /}
        steps:
          - anon: {task: t, size: 1M}
        expect:
          "4.18":
            - "step 0 == ok"
        """;

    private static Prediction prediction(String id) {
        return new Prediction(id, NotesQuestions.OTHER, null, Pattern.compile("x"), null, null, Check.NONE);
    }

    private static Map<String, Prediction> predictions(String... ids) {
        Map<String, Prediction> out = new TreeMap<>();
        Stream.of(ids).forEach(id -> out.put(id, prediction(id)));
        return out;
    }

    private Path predicted() {
        return dir.resolve("golden/predicted");
    }

    @Test
    void filesAreReadInNameOrderEachWithItsPrediction() {
        Fixture.write(predicted().resolve("b.yaml"), SCENARIO.formatted("b"));
        Fixture.write(predicted().resolve("a.yaml"), SCENARIO.formatted("a"));
        Fixture.write(predicted().resolve("notes.txt"), "not a scenario\n");

        List<PredictedDifferences.Entry> entries = PredictedDifferences.load(predicted(), predictions("b", "a"));

        assertThat(entries).extracting(PredictedDifferences.Entry::id).containsExactly("a", "b");
        assertThat(entries).allMatch(PredictedDifferences.Entry::valid);
        PredictedDifference a = entries.get(0).difference();
        assertThat(a.file()).isEqualTo("golden/predicted/a.yaml");
        assertThat(a.claim()).isEqualTo("a differs from b");
        assertThat(a.source()).isEqualTo("somewhere in mm/");
        assertThat(a.scenario().kernels()).containsExactly("4.18", "5.18");
    }

    @Test
    void aMalformedFileIsRefusedWithItsPathLineAndColumn() {
        Fixture.write(predicted().resolve("a.yaml"), SCENARIO.formatted("a").replace("cgroup: v1", "cgroup: v3"));

        PredictedDifferences.Entry e =
                PredictedDifferences.load(predicted(), predictions("a")).get(0);

        assertThat(e.valid()).isFalse();
        assertThat(e.problem())
                .startsWith("invalid scenario: golden/predicted/a.yaml:6:9: ")
                .contains("v3")
                .contains("(allowed: ");
    }

    @Test
    void aFileWhoseNameIsNotItsFileNameIsRefusedAtTheName() {
        Fixture.write(predicted().resolve("a.yaml"), "# a comment\n" + SCENARIO.formatted("b"));

        assertThat(PredictedDifferences.load(predicted(), predictions("a"))
                        .get(0)
                        .problem())
                .startsWith(
                        "invalid scenario: golden/predicted/a.yaml:2:7: name b is not the file's name (allowed: a,");
    }

    @Test
    void aFileWithoutPredictionAndAPredictionWithoutFileAreRefused() {
        Fixture.write(predicted().resolve("a.yaml"), SCENARIO.formatted("a"));

        List<PredictedDifferences.Entry> entries = PredictedDifferences.load(predicted(), predictions("z"));

        assertThat(entries).extracting(PredictedDifferences.Entry::id).containsExactly("a", "z");
        assertThat(entries.get(0).problem())
                .startsWith("invalid scenario: golden/predicted/a.yaml:1:7: no prediction a in PredictedDifferences");
        assertThat(entries.get(1).problem()).startsWith("invalid scenario: golden/predicted/z.yaml: no such file");
    }

    @Test
    void theClaimAndItsSourceAreRequired() {
        Fixture.write(predicted().resolve("a.yaml"), SCENARIO.formatted("a").replace("title: a differs from b\n", ""));
        Fixture.write(
                predicted().resolve("b.yaml"), SCENARIO.formatted("b").replace("description: somewhere in mm/\n", ""));

        List<PredictedDifferences.Entry> entries = PredictedDifferences.load(predicted(), predictions("a", "b"));

        assertThat(entries.get(0).problem())
                .startsWith("invalid scenario: golden/predicted/a.yaml:1:7: title is missing");
        assertThat(entries.get(1).problem())
                .startsWith("invalid scenario: golden/predicted/b.yaml:1:7: description is missing");
    }

    @Test
    void noDirectoryIsOneProblem() {
        assertThat(PredictedDifferences.load(predicted(), predictions("a")))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.problem()).startsWith("invalid scenario: golden/predicted: no such directory"));
    }
}
