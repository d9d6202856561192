package dev.memcgdiff.linux418;

import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.testing.BootedMachine;
import dev.memcgdiff.testing.ScenarioHarness;

/**
 * What 4.18's tests need of 4.18 itself: run a YAML scenario on it, or boot a bare 4.18 machine to
 * drive one kernel function by hand. Reading the outcome the way a user reads /sys/fs/cgroup is
 * {@link ScenarioHarness}'s; driving the booted machine is {@link BootedMachine}'s.
 */
final class Model {
    private Model() {}

    static Outcome run(String yaml) {
        return ScenarioHarness.run(yaml, new Linux418());
    }

    /**
     * A booted 4.18 machine with the scenario's cgroups, knobs and tasks, before any step; its
     * kernel classes ({@code c}) are built as {@link Linux418#boot} builds them.
     */
    static final class Booted extends BootedMachine<Linux418.Components> {
        Booted(Scenario s) {
            super(s, Linux418::build, Linux418.Components::ops);
        }
    }

    static Booted boot(String yaml) {
        return new Booted(ScenarioHarness.parse(yaml));
    }
}
