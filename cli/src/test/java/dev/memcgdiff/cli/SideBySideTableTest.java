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

    @Test
    void sizesGetBinaryUnitsBesideTheExactNumber() {
        assertThat(Units.withHuman("26665472000", Units.Kind.BYTES)).isEqualTo("26665472000 (24.8G)");
        assertThat(Units.withHuman("34359738368", Units.Kind.BYTES)).isEqualTo("34359738368 (32G)");
        assertThat(Units.withHuman("1023", Units.Kind.BYTES)).isEqualTo("1023");
        assertThat(Units.withHuman("33554432", Units.Kind.KB)).isEqualTo("33554432 (32G)");
        assertThat(Units.withHuman("9223372036854771712", Units.Kind.BYTES))
                .isEqualTo("9223372036854771712 (unlimited)");
        assertThat(Units.withHuman("24208655", Units.Kind.COUNT)).isEqualTo("24208655");
        assertThat(Units.withHuman("ok", Units.Kind.BYTES)).isEqualTo("ok");
        assertThat(Units.human(1048575)).isEqualTo("1.0M");
        assertThat(Units.human(1048576 + 104858)).isEqualTo("1.1M");
    }

    @Test
    void whichObservablesAreSizes() {
        assertThat(Units.kindOf("/a memory.usage_in_bytes")).isEqualTo(Units.Kind.BYTES);
        assertThat(Units.kindOf("/a memory.memsw.max_usage_in_bytes")).isEqualTo(Units.Kind.BYTES);
        assertThat(Units.kindOf("/a memory.current")).isEqualTo(Units.Kind.BYTES);
        assertThat(Units.kindOf("/a memory.failcnt")).isEqualTo(Units.Kind.COUNT);
        assertThat(Units.kindOf("/a memory.stat:total_shmem")).isEqualTo(Units.Kind.BYTES);
        assertThat(Units.kindOf("/a memory.stat:file_dirty")).isEqualTo(Units.Kind.BYTES);
        assertThat(Units.kindOf("/a memory.stat:pgfault")).isEqualTo(Units.Kind.COUNT);
        assertThat(Units.kindOf("/a memory.stat:workingset_refault_file")).isEqualTo(Units.Kind.COUNT);
        assertThat(Units.kindOf("/a memory.events:oom_kill")).isEqualTo(Units.Kind.COUNT);
        assertThat(Units.kindOf("/proc/meminfo:MemFree")).isEqualTo(Units.Kind.KB);
        assertThat(Units.kindOf("/proc/meminfo:HugePages_Total")).isEqualTo(Units.Kind.COUNT);
        assertThat(Units.kindOf("/proc/vmstat:nr_free_pages")).isEqualTo(Units.Kind.COUNT);
    }

    @Test
    void longCgroupPathsBecomeNumberedAliasesWithALegend() {
        String pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podd63c.slice";
        String scope = pod + "/docker-083afd1a06b8.scope";
        PathLegend legend = new PathLegend(List.of("/kubepods.slice", pod, scope));

        assertThat(legend.path("/kubepods.slice")).isEqualTo("/kubepods.slice");
        assertThat(legend.path(pod)).isEqualTo("[1]");
        assertThat(legend.path(scope)).isEqualTo("[2]");
        assertThat(legend.text(scope + " memory.stat:cache")).isEqualTo("[2] memory.stat:cache");
        assertThat(legend.text("oom_memcg 0 == " + pod)).isEqualTo("oom_memcg 0 == [1]");
        assertThat(legend.text(pod + "x memory.current")).as("only whole paths").startsWith(pod + "x");
        assertThat(legend.lines()).containsExactly("cgroups: [1] " + pod, "         [2] " + scope);
        assertThat(new PathLegend(List.of("/a", "/a/b")).lines()).isEmpty();
    }
}
