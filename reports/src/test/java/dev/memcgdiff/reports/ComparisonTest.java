package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void aRowDiffersWhenAnyKernelSeesAnotherValue() {
        Comparison c = Comparison.of(List.of(
                Outcomes.anon("3.10", 104857600, 0, List.of()),
                Outcomes.anon("4.18", 104857600, 0, List.of()),
                Outcomes.anon("5.18", 0, 104857600, List.of())));

        Comparison.Row active = row(c, "end /c memory.stat:active_anon");
        assertThat(active.differs()).isTrue();
        assertThat(active.values()).containsExactly("104857600", "104857600", "0");
        assertThat(active.groups()).containsExactly(0, 0, 1);
        assertThat(active.agreement(c.kernels())).isEqualTo("3.10 = 4.18 | 5.18");
        assertThat(row(c, "end /c memory.stat:rss").differs()).isFalse();
        assertThat(c.differing())
                .extracting(Comparison.Row::observable)
                .containsExactly("end /c memory.stat:inactive_anon", "end /c memory.stat:active_anon");
    }

    @Test
    void aKillerOnlyOneKernelHasShowsAsAbsentElsewhere() {
        String line418 = "Memory cgroup out of memory: Killed process 1000 (t) total-vm:8192kB, anon-rss:8192kB, "
                + "file-rss:0kB, shmem-rss:0kB";
        Comparison c = Comparison.of(List.of(
                Outcomes.anon("3.10", 0, 0, List.of()),
                Outcomes.anon("4.18", 0, 0, List.of(Outcomes.kill("t", line418)))));

        assertThat(row(c, "oom kills").values()).containsExactly("0", "1");
        assertThat(row(c, "kill 0 victim").values()).containsExactly(Comparison.ABSENT, "t (1000)");
        assertThat(row(c, "kill 0 dmesg kill line").values()).containsExactly(Comparison.ABSENT, line418);
        assertThat(row(c, "kill 0 dmesg kill line").agreement(c.kernels())).isEqualTo("3.10 | 4.18");
    }

    @Test
    void theKillLineIsTheReportLineNamingTheKilledProcess() {
        assertThat(Comparison.killLine(Outcomes.kill("t", "Killed process 7 (t), UID 0, total-vm:4kB")))
                .isEqualTo("Killed process 7 (t), UID 0, total-vm:4kB");
        assertThat(Comparison.killLine(Outcomes.kill("t", "oom_reaper: reaped process 7 (t)")))
                .isEqualTo(Comparison.ABSENT);
    }

    static Comparison.Row row(Comparison c, String observable) {
        return c.rows().stream()
                .filter(r -> r.observable().equals(observable))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + observable));
    }

    @Test
    void elapsedTimesReadInAHumanUnit() {
        assertThat(Comparison.elapsed(345_600_000L)).isEqualTo("345.600 ms");
        assertThat(Comparison.elapsed(12_400_000_000L)).isEqualTo("12.400 s");
        assertThat(Comparison.elapsed(1_500L)).isEqualTo("1.500 us");
        assertThat(Comparison.elapsed(999L)).isEqualTo("999 ns");
    }
}
