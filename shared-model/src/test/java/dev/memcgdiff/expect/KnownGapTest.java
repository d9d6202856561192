package dev.memcgdiff.expect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.expect.ExpectationResult.Verdict;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The known-gap marker: a known gap is checked every time; failing, it is an open known gap (not
 * a failure); passing, it is a closed gap, which fails until the marker is removed.
 */
class KnownGapTest {
    private static final String YAML = String.join(
                    "\n",
                    "name: gaps",
                    "host: {memory: 64M}",
                    "cgroup: v1",
                    "tasks: {}",
                    "steps: [{host: {size: 1M}}]",
                    "expect:",
                    "  all:",
                    "    - \"kills == 0\"",
                    "    - {check: \"kills == 1\", known-gap: \"child sacrifice is not modelled (docs/FIDELITY.md)\"}",
                    "    - check: \"kills == 0\"",
                    "      known-gap: \"  the reason is kept without its blanks  \"",
                    "  \"3.10\":",
                    "    - {check: \"kills == 1\", known-gap: \"only on 3.10\"}")
            + "\n";

    private static Outcome noKills(String kernel) {
        return new Outcome(
                "gaps",
                kernel,
                kernel,
                "ok",
                null,
                List.of(),
                List.of(),
                Map.of(Outcome.END, new Snapshot(Map.of(), Map.of(), Map.of(), 0)),
                List.of(),
                Map.of(),
                List.of());
    }

    @Test
    void theParserKeepsTheReasonAndTheCheck() throws ScenarioException {
        Scenario s = ScenarioParser.parse("gaps.yaml", YAML);

        assertThat(s.expectations())
                .extracting(Expectation::text, Expectation::knownGap)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kills == 0", null),
                        org.assertj.core.groups.Tuple.tuple(
                                "kills == 1", "child sacrifice is not modelled (docs/FIDELITY.md)"),
                        org.assertj.core.groups.Tuple.tuple("kills == 0", "the reason is kept without its blanks"),
                        org.assertj.core.groups.Tuple.tuple("kills == 1", "only on 3.10"));
        assertThat(s.expectations().get(1).pos().line()).isEqualTo(9);
        assertThat(s.expectations().get(1).isKnownGap()).isTrue();
        assertThat(s.expectations().get(0).isKnownGap()).isFalse();
    }

    @Test
    void aFailingKnownGapIsOpenAndAPassingOneIsClosed() throws ScenarioException {
        Scenario s = ScenarioParser.parse("gaps.yaml", YAML);

        List<ExpectationResult> on418 = ExpectationChecker.check(s, noKills("4.18"));
        assertThat(on418)
                .extracting(ExpectationResult::verdict)
                .containsExactly(Verdict.PASSED, Verdict.KNOWN_GAP, Verdict.GAP_CLOSED);
        assertThat(on418).extracting(ExpectationResult::failed).containsExactly(false, false, true);
        assertThat(on418.get(1).message())
                .isEqualTo("gaps.yaml:9:15: \"kills == 1\" is a known gap on 4.18: saw 0 (oom kills); known-gap: "
                        + "\"child sacrifice is not modelled (docs/FIDELITY.md)\"");
        assertThat(on418.get(2).message())
                .contains("passed on 4.18: saw 0")
                .contains("the gap is closed, remove the marker");
        assertThat(ExpectationChecker.knownGaps(s, noKills("4.18"))).containsExactly(on418.get(1));
        assertThat(ExpectationChecker.knownGaps(s, noKills("3.10")))
                .extracting(r -> r.expectation().knownGap())
                .containsExactly("child sacrifice is not modelled (docs/FIDELITY.md)", "only on 3.10");
    }

    @Test
    void onAKernelThatRefusesTheScenarioAnAllKnownGapIsNotApplicable() throws ScenarioException {
        Scenario s = ScenarioParser.parse("gaps.yaml", YAML);

        assertThat(ExpectationChecker.check(s, Outcome.unsupported("gaps", "5.18", "5.18", "no")))
                .extracting(ExpectationResult::verdict)
                .containsOnly(Verdict.NOT_APPLICABLE);
    }

    @Test
    void theJsonFormCarriesTheVerdictAndTheReason() throws ScenarioException {
        Scenario s = ScenarioParser.parse("gaps.yaml", YAML);
        ExpectationResult gap = ExpectationChecker.check(s, noKills("4.18")).get(1);

        assertThat(gap.json())
                .containsExactly(
                        Map.entry("expectation", "kills == 1"),
                        Map.entry("key", "all"),
                        Map.entry("at", "gaps.yaml:9:15"),
                        Map.entry("verdict", "known_gap"),
                        Map.entry("observed", "0"),
                        Map.entry("where", "oom kills"),
                        Map.entry("known_gap", "child sacrifice is not modelled (docs/FIDELITY.md)"));
    }
}
