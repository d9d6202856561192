package dev.memcgdiff.run;

import static dev.memcgdiff.testing.ScenarioHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.toy.ToyMachine;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.outcome.TimeSamples.Field;
import dev.memcgdiff.outcome.TimeSamples.Kind;
import dev.memcgdiff.outcome.TimeSamples.Sample;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sampler on a toy machine driven by hand: which cgroups, what values, the thinning rule, kills. */
class TimeSamplerTest {
    private static final String YAML = String.join(
            "\n",
            "name: t",
            "host: {memory: 256M}",
            "cgroup: v2",
            "cgroups: {/a: {memory.max: 64M}, /a/b: {}, /c: {}}",
            "tasks: {t: {cgroup: /a/b}}",
            "steps:",
            "  - anon: {task: t, size: 1M}",
            "");

    @Test
    void theKeyCgroupsAreTheHostTheTasksCgroupsAndTheLimitedOnes() {
        ToyMachine toy = new ToyMachine(YAML);
        TimeSampler s = TimeSampler.attach(toy.m, parse(YAML));

        assertThat(s.samples().cgroups()).containsExactly("/", "/a", "/a/b");
    }

    @Test
    void aSampleHoldsTheHostAndEachCgroupsHierarchy() {
        ToyMachine toy = new ToyMachine(YAML);
        TimeSampler s = TimeSampler.attach(toy.m, parse(YAML));
        toy.faultAnon(toy.task("t"), 10);
        s.stepEnd(0);

        TimeSamples t = s.samples();
        Sample last = t.samples().get(t.samples().size() - 1);
        int host = t.cgroup("/");
        int a = t.cgroup("/a");
        int b = t.cgroup("/a/b");
        assertThat(last.value(host, Field.LIMIT)).isEqualTo(65536);
        assertThat(last.value(host, Field.USAGE)).isGreaterThanOrEqualTo(10);
        assertThat(last.value(host, Field.INACTIVE_ANON)).isEqualTo(10);
        assertThat(last.value(a, Field.LIMIT)).isEqualTo(16384);
        assertThat(last.value(b, Field.LIMIT)).isEqualTo(PageCounter.MAX);
        // /a holds no page itself: its values are its hierarchy's, like its usage
        assertThat(last.value(a, Field.INACTIVE_ANON)).isEqualTo(10);
        assertThat(last.value(b, Field.INACTIVE_ANON)).isEqualTo(10);
        assertThat(last.value(b, Field.ACTIVE_ANON)).isZero();
    }

    @Test
    void atTheBoundTheIntervalDoublesAndEveryOtherTickGoesWhileStepSamplesStay() {
        ToyMachine toy = new ToyMachine(YAML);
        TimeSampler s = TimeSampler.attach(toy.m, Set.of("/"), 10, 4);
        s.stepStart(0);
        toy.m.clock.runUntil(35);
        s.stepEnd(0);
        toy.m.clock.runUntil(100);

        // ticks at 10, 20, 30, 40: four held, so 20 and 40 stay and the interval is 20; then 60,
        // 80: four again, so 40 and 80 stay and the interval is 40 (the next tick is at 120)
        TimeSamples t = s.samples();
        assertThat(t.samples()).extracting(Sample::time).containsExactly(0L, 35L, 40L, 80L);
        assertThat(t.samples()).extracting(Sample::kind).containsExactly(Kind.START, Kind.END, Kind.TICK, Kind.TICK);
        assertThat(t.interval()).isEqualTo(40);
        toy.m.clock.runUntil(120);
        assertThat(s.samples().of(Kind.TICK)).extracting(Sample::time).containsExactly(40L, 80L, 120L);
    }

    @Test
    void aKillIsSampledAtItsTime() {
        ToyMachine toy = new ToyMachine(YAML);
        TimeSampler s = TimeSampler.attach(toy.m, parse(YAML));
        toy.m.clock.runUntil(5_000_000);
        toy.m.step = 3;
        toy.m.recordKill(new OomKillRecord(3, "t", 7, "/a", "/a/b", "CONSTRAINT_MEMCG", "memory", 1, 1, List.of()));
        toy.m.clock.runUntil(6_000_000);

        TimeSamples t = s.samples();
        assertThat(t.kills()).containsExactly(new TimeSamples.Kill(5_000_000, 3, "t", 7, "/a/b", "/a"));
        assertThat(t.of(Kind.KILL)).extracting(Sample::time).containsExactly(5_000_000L);
        assertThat(t.samples())
                .extracting(Sample::time)
                .containsExactly(1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L, 5_000_000L, 6_000_000L);
    }

    @Test
    void theSameDrivingGivesTheSameBytes() {
        assertThat(drive()).isEqualTo(drive());
    }

    private static String drive() {
        ToyMachine toy = new ToyMachine(YAML);
        TimeSampler s = TimeSampler.attach(toy.m, parse(YAML));
        s.stepStart(0);
        toy.faultAnon(toy.task("t"), 100);
        toy.m.clock.runUntil(3_500_000);
        s.stepEnd(0);
        return s.samples().text();
    }
}
