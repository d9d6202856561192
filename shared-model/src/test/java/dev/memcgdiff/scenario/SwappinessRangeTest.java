package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vm.swappiness and memory.swappiness accept 0..100 before 5.8 (mm/memcontrol.c:mem_cgroup_swappiness_write
 * (4.18.0-147), kernel/sysctl.c vm_table's extra2 = one_hundred) and 0..200 from 5.8 (5.18: two_hundred).
 */
class SwappinessRangeTest {
    /** 3.10 and 4.18 take 0..100, 5.18 takes 0..200: what the kernel modules report through their traits. */
    private static final KernelLimits LIMITS = new KernelLimits() {
        @Override
        public List<String> versions() {
            return List.of("3.10", "4.18", "5.18");
        }

        @Override
        public int swappinessMax(String version) {
            return version.equals("5.18") ? 200 : 100;
        }
    };

    private static String scenario(String kernels, String hostSwappiness, String knob) {
        return doc(
                "name: t",
                kernels,
                "host: {memory: 1G, swappiness: " + hostSwappiness + "}",
                "cgroup: v1",
                "cgroups: {/a: {memory.swappiness: " + knob + "}}",
                "tasks: {app: {cgroup: /a}}",
                "steps:",
                "  - touch: {task: app, what: anon, size: 1M}");
    }

    @Test
    void aboveOneHundredIsAcceptedWhenEveryKernelOfTheScenarioTakesIt() throws ScenarioException {
        Scenario s = ScenarioParser.parse("s.yaml", scenario("kernels: [\"5.18\"]", "150", "200"), LIMITS);
        assertThat(s.host().swappiness()).isEqualTo(150);
        assertThat(s.cgroups().get(0).knobs().get(0).value()).isEqualTo(200);
    }

    @Test
    void aboveOneHundredIsRefusedWithTheKernelsThatRefuseIt() {
        assertThatThrownBy(() ->
                        ScenarioParser.parse("s.yaml", scenario("kernels: [\"4.18\", \"5.18\"]", "60", "150"), LIMITS))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("s.yaml:5:35:")
                .hasMessageContaining("memory.swappiness 150 is above what 4.18 accept (0..100; 0..200 from 5.8)");
    }

    @Test
    void withoutKernelsTheScenarioRunsOnEveryKernelAndEveryOneMustAcceptIt() {
        assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", scenario("seed: 1", "101", "0"), LIMITS))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("host swappiness 101 is above what 3.10, 4.18 accept (0..100");
    }

    @Test
    void withoutTheKernelModulesOnlyTheCommonRangeIsAccepted() {
        assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", scenario("kernels: [\"5.18\"]", "150", "0")))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("host swappiness 150 is above what kernels before 5.8 accept");
    }

    @Test
    void aboveTwoHundredIsRefusedByTheParserItself() {
        assertThatThrownBy(() -> ScenarioParser.parse("s.yaml", scenario("kernels: [\"5.18\"]", "201", "0"), LIMITS))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("0..200");
    }
}
