package dev.memcgdiff.linux310;

import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.testing.ScenarioHarness;

/**
 * Runs scenario text on 3.10. Reading the outcome (files the way a user reads /sys/fs/cgroup,
 * step results, trace events by point) is {@link ScenarioHarness}'s.
 */
final class Model {
    private Model() {}

    static Outcome run(String yaml) {
        return ScenarioHarness.run(yaml, new Linux310());
    }
}
