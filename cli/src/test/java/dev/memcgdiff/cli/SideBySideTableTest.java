package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.reports.Comparison.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTableTest {
    private static Row row(String section, String observable) {
        return new Row(section, observable, List.of("1", "2"), true);
    }

    @Test
    void aFileOnlyALaterKernelPrintsJoinsItsCgroupAndHostFilesComeLast() {
        List<Row> rows = List.of(
                row("steps", "step 0 anon a"),
                row("snapshot end", "end / memory.usage_in_bytes"),
                row("snapshot end", "end /a memory.usage_in_bytes"),
                row("snapshot end", "end /proc/meminfo:MemFree"),
                // Appended by Comparison because only the second kernel prints them:
                row("snapshot end", "end / memory.stat:shmem"),
                row("snapshot end", "end /a memory.stat:shmem"),
                row("snapshot x", "x /a memory.usage_in_bytes"));

        assertThat(SideBySideTable.groupedByCgroup(rows))
                .extracting(Row::observable)
                .containsExactly(
                        "step 0 anon a",
                        "end / memory.usage_in_bytes",
                        "end / memory.stat:shmem",
                        "end /a memory.usage_in_bytes",
                        "end /a memory.stat:shmem",
                        "end /proc/meminfo:MemFree",
                        "x /a memory.usage_in_bytes");
    }

    @Test
    void theKeyFilesAreShownAndEventCountersAreNot() {
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.stat:rss")))
                .isTrue();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.stat:total_rss")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.stat:pgfault")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.memsw.usage_in_bytes")))
                .isTrue();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.max_usage_in_bytes")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.swap.current")))
                .isTrue();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.events:oom_kill")))
                .isTrue();
        assertThat(KeyObservables.shown(row("snapshot end", "end /a memory.oom_control:under_oom")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot end", "end /proc/meminfo:SwapFree")))
                .isTrue();
        assertThat(KeyObservables.shown(row("snapshot end", "end /proc/meminfo:MemAvailable")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot end", "end /proc/vmstat:pswpout")))
                .isFalse();
        assertThat(KeyObservables.shown(row("snapshot my-label", "my-label /a.b memory.stat:cache")))
                .isTrue();
        assertThat(KeyObservables.shown(row("oom", "kill 0 dmesg kill line"))).isTrue();
    }
}
