package dev.memcgdiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Step;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generator is only useful if its files are valid, repeatable and varied: over the property
 * suite's seeds they must parse, and together reach every step kind, both interfaces, hosts with
 * and without swap, one and two nodes, and every knob of the format.
 */
class ScenarioGeneratorTest {
    private static final int SEEDS = 300;

    @Test
    void theSameSeedGivesTheSameFile() {
        assertThat(ScenarioGenerator.generate(42)).isEqualTo(ScenarioGenerator.generate(42));
        assertThat(ScenarioGenerator.generate(42)).isNotEqualTo(ScenarioGenerator.generate(43));
    }

    @Test
    void everySeedParsesAndTogetherTheyCoverTheFormat() throws ScenarioException {
        Set<String> ops = new TreeSet<>();
        Set<String> knobs = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        Set<CgroupInterface> interfaces = new TreeSet<>();
        int maxDepth = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            String text = ScenarioGenerator.generate(seed);
            Scenario s = ScenarioParser.parse("prop-" + seed + ".yaml", text);
            assertThat(s.seed()).isEqualTo(seed);
            assertThat(s.host().memoryBytes()).isBetween(64L << 20, 512L << 20);
            assertThat(s.cgroups()).hasSizeBetween(1, 5);
            assertThat(s.tasks()).hasSizeBetween(1, 4);
            assertThat(s.steps()).hasSizeBetween(5, 30);
            interfaces.add(s.cgroup());
            hosts.add(s.host().swapBytes() > 0 ? "swap" : "no swap");
            hosts.add(s.host().nodes() + " nodes");
            for (CgroupSpec c : s.cgroups()) {
                maxDepth = Math.max(maxDepth, c.path().split("/").length - 1);
                c.knobs().forEach(k -> knobs.add(k.name()));
            }
            for (Step step : s.steps()) {
                ops.add(step.op());
                if (step instanceof Step.Set set) {
                    set.knobs().stream().map(Knob::name).forEach(knobs::add);
                }
                if (step instanceof Step.Touch t && t.pattern() == Step.Pattern.RANDOM) {
                    ops.add("touch random");
                }
            }
        }
        assertThat(ops)
                .containsExactlyInAnyOrder(
                        "anon",
                        "shmem",
                        "read",
                        "write",
                        "mmap",
                        "touch",
                        "touch random",
                        "free",
                        "unlink",
                        "set",
                        "move",
                        "host",
                        "exit",
                        "snapshot");
        assertThat(interfaces).containsExactlyInAnyOrder(CgroupInterface.V1, CgroupInterface.V2);
        assertThat(hosts).contains("swap", "no swap", "1 nodes", "2 nodes");
        assertThat(maxDepth).as("a tree, not just siblings of the root").isGreaterThanOrEqualTo(3);
        assertThat(knobs)
                .contains(
                        "memory.limit_in_bytes",
                        "memory.memsw.limit_in_bytes",
                        "memory.soft_limit_in_bytes",
                        "memory.kmem.limit_in_bytes",
                        "memory.swappiness",
                        "memory.use_hierarchy",
                        "memory.oom_control",
                        "memory.move_charge_at_immigrate",
                        "memory.max",
                        "memory.high",
                        "memory.low",
                        "memory.min",
                        "memory.swap.max",
                        "memory.swap.high",
                        "memory.oom.group");
    }
}
