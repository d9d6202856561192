package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each predicted difference is well formed before any kernel runs it. */
class PredictedDifferencesCatalogueTest {
    static Stream<PredictedDifference> all() {
        return PredictedDifferences.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void itsScenarioParsesUnderItsIdAndStatesEveryKernelsSide(PredictedDifference p) throws ScenarioException {
        Scenario s = ScenarioParser.parse(p.fileName(), p.yaml());

        assertThat(s.name()).isEqualTo(p.id());
        assertThat(s.kernels()).as("a difference needs two kernels at least").hasSizeGreaterThanOrEqualTo(2);
        for (String k : s.kernels()) {
            assertThat(s.expectations()).as("an expectation for " + k)
                .anyMatch(e -> e.kernel().equals(k) || e.kernel().equals("all"));
        }
        assertThat(s.expectations().stream().map(Expectation::kernel).distinct().count())
            .as("the expectations must tell the kernels apart, or a Java check must").isGreaterThan(
                p.check() == PredictedDifference.Check.NONE ? 1 : 0);
        assertThat(p.source()).isNotBlank();
        assertThat(p.shows()).isNotNull();
        if (p.question() != null) {
            assertThat(NotesQuestions.QUESTIONS).containsKey(p.question());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void idsAreUnique(PredictedDifference p) {
        assertThat(PredictedDifferences.ALL.stream().filter(q -> q.id().equals(p.id()))).hasSize(1);
    }
}
