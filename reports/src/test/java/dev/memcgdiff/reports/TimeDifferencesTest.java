package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeDifferencesTest {
    private static final long MS = 1_000_000L;

    @Test
    void theStepThatDiffersMostAndTheKillsAreSaidInOneSentence() {
        String s = TimeDifferences.sentence(List.of(
                Outcomes.unsupported("3.10"),
                Outcomes.timed("4.18", 62 * MS, 60 * MS),
                Outcomes.timed("5.18", 80 * MS, 0)));

        assertThat(s)
                .isEqualTo("In time: step 1 (anon java) takes 30 ms on 5.18, 12 ms on 4.18 (killed); "
                        + "4.18 OOM-kills java at 60 ms, 5.18 kills nobody.");
    }

    @Test
    void kernelsThatAgreeAreNamedTogether() {
        String s = TimeDifferences.sentence(List.of(
                Outcomes.timed("3.10", 62 * MS, 60 * MS),
                Outcomes.timed("4.18", 62 * MS, 60 * MS),
                Outcomes.timed("5.18", 2000 * MS, 0)));

        assertThat(s)
                .isEqualTo("In time: step 1 (anon java) takes 1.95 s on 5.18, 12 ms on 3.10 and 4.18 (killed); "
                        + "3.10 and 4.18 OOM-kill java at 60 ms, 5.18 kills nobody.");
    }

    @Test
    void whatTheSlowKernelSpentItsTimeOnComesFromItsTrace() {
        Outcome slow = Outcomes.timed("5.18", 800 * MS, 0);
        TraceEvent pause = new TraceEvent(
                1, new TracePoint("balance_dirty_pages", "pause"), "/pod", "balance_dirty_pages: pause", 10, Map.of());
        slow = new Outcome(
                slow.scenario(),
                slow.kernel(),
                slow.release(),
                slow.status(),
                slow.reason(),
                slow.steps(),
                slow.oomKills(),
                slow.snapshots(),
                slow.trace(),
                slow.series(),
                List.of(pause),
                slow.samples());

        assertThat(TimeDifferences.sentence(List.of(Outcomes.timed("4.18", 80 * MS, 0), slow)))
                .isEqualTo("In time: step 1 (anon java) takes 750 ms on 5.18 (balance_dirty_pages pauses), 30 ms on"
                        + " 4.18.");
    }

    @Test
    void nothingIsSaidWhereTheTimesAgreeOrAreCloseOrOneKernelRan() {
        assertThat(TimeDifferences.sentence(
                        List.of(Outcomes.timed("4.18", 80 * MS, 60 * MS), Outcomes.timed("5.18", 80 * MS, 60 * MS))))
                .isNull();
        // 30 ms against 31 ms: under the ratio; kill at 60 ms on both
        assertThat(TimeDifferences.sentence(
                        List.of(Outcomes.timed("4.18", 80 * MS, 60 * MS), Outcomes.timed("5.18", 81 * MS, 60 * MS))))
                .isNull();
        assertThat(TimeDifferences.sentence(List.of(Outcomes.unsupported("3.10"), Outcomes.timed("5.18", 80 * MS, 0))))
                .isNull();
    }

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertThat(Units.duration(0)).isEqualTo("0");
        assertThat(Units.duration(750)).isEqualTo("750 ns");
        assertThat(Units.duration(250_000)).isEqualTo("250 us");
        assertThat(Units.duration(48_640_000)).isEqualTo("48.6 ms");
        assertThat(Units.duration(3_100_000_000L)).isEqualTo("3.1 s");
        assertThat(Units.duration(12_400_000_000L)).isEqualTo("12.4 s");
        assertThat(Units.duration(100_000_000_000L)).isEqualTo("100 s");
        assertThat(Units.duration(150_000_000_000L)).isEqualTo("2.5 min");
        assertThat(Units.axisTime(500 * MS, Units.S)).isEqualTo("0.5 s");
        assertThat(Units.axisTime(120_000 * MS, Units.MIN)).isEqualTo("2 min");
        assertThat(Units.bytes(128)).isEqualTo("512K");
        assertThat(Units.bytes(384 * 1024)).isEqualTo("1.5G");
    }
}
