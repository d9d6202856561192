package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * memory.high throttling (mem_cgroup_handle_over_high, reclaim_high, calculate_overage,
 * calculate_high_delay) and the memory.high / memory.max write handlers of 5.18.
 */
class MemoryHighAndMaxTest {
    private static final long MB = 1 << 20;
    private static final long HIGH_100M = 100 * MB / 4096;

    @ParameterizedTest(name = "usage {0} with memory.high 100M: {1} ms")
    @CsvSource({"100M, 0", "101M, 6", "102M, 25", "105M, 159", "110M, 639", "117M, 1849", "118M, 2000", "120M, 2000"})
    @DisplayName(
            "calculate_high_delay: the source comment's table (high 100M, a 32-page batch, HZ=1000), clamped at 2 s")
    void delayTable(String usage, long ms) {
        long usagePages = Long.parseLong(usage.replace("M", "")) * MB / 4096;
        long overage = OverHigh.calculateOverage(usagePages, HIGH_100M);
        long penalty = Math.min(OverHigh.calculateHighDelay(32, overage), OverHigh.MAX_HIGH_DELAY_JIFFIES);
        assertThat(penalty).isEqualTo(ms);
    }

    @Test
    @DisplayName("calculate_high_delay: the delay scales with the task's share of a 32-page batch")
    void delayScalesWithBatch() {
        long overage = OverHigh.calculateOverage(105 * MB / 4096, HIGH_100M);
        assertThat(OverHigh.calculateHighDelay(64, overage)).isEqualTo(2 * OverHigh.calculateHighDelay(32, overage));
        assertThat(OverHigh.calculateHighDelay(32, 0)).isZero();
    }

    @Test
    @DisplayName("reclaim_high: a task over memory.high reclaims on return to user space; MEMCG_HIGH, never MEMCG_MAX")
    void reclaimHighKeepsUsageNearHigh() {
        Outcome o = Model.run("""
            name: high
            host: {memory: 512M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.high: 20M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 40M}
            """);
        Map<String, Long> events = keyed(o, null, "/a", "memory.events");
        assertThat(events.get("high")).isPositive();
        assertThat(events).containsEntry("max", 0L).containsEntry("oom", 0L);
        // Each batch over high is reclaimed when the task returns to user space: usage stays
        // within a batch or two of memory.high; the rest went to swap.
        assertThat((Long) raw(o, null, "/a", "memory.current")).isLessThanOrEqualTo(20 * MB + 64 * 4096);
        assertThat((Long) raw(o, null, "/a", "memory.swap.current")).isPositive();
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName(
            "mem_cgroup_handle_over_high: when reclaim cannot keep up, 16 retries then the task sleeps the penalty, no OOM")
    void throttleRecorded() {
        // No swap and only anon: reclaim_high frees nothing, the overage grows past 18%, the
        // penalty reaches the 2 s clamp; after 16 zero-progress retries the task would sleep.
        Outcome o = Model.run("""
            name: throttle
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {memory.high: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 16M}
            """);
        assertThat(o.steps().get(0).result()).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(o.events(TracePoints.OVER_HIGH_SLEEP)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.number("jiffies"))
                    .isGreaterThan(e.times() * (OverHigh.HZ / 100))
                    .isLessThanOrEqualTo(e.times() * OverHigh.MAX_HIGH_DELAY_JIFFIES);
        });
        assertThat(keyed(o, null, "/a", "memory.events").get("high")).isPositive();
        // the sleeps are on the clock: the step takes at least their sum (a jiffy is 1 ms at HZ=1000)
        long slept = o.events(TracePoints.OVER_HIGH_SLEEP).stream()
                        .mapToLong(e -> e.number("jiffies"))
                        .sum()
                * OverHigh.NANOS_PER_JIFFY;
        assertThat(slept).isGreaterThanOrEqualTo(2_000_000_000L);
        assertThat(o.steps().get(0).elapsedNs()).isGreaterThanOrEqualTo(slept);
    }

    @Test
    @DisplayName("swap_find_max_overage: swap over memory.swap.high raises MEMCG_SWAP_HIGH and throttles the task")
    void swapHighThrottles() {
        Outcome o = Model.run("""
            name: swap-high
            host: {memory: 512M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 16M, memory.swap.high: 1M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 32M}
            """);
        assertThat(keyed(o, null, "/a", "memory.swap.events").get("high")).isPositive();
        assertThat(o.events(TracePoints.OVER_HIGH_SLEEP))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/a"));
        // swap.high only throttles: swap keeps growing past it.
        assertThat((Long) raw(o, null, "/a", "memory.swap.current")).isGreaterThan(1 * MB);
    }

    @Test
    @DisplayName("memory_high_write: reclaims the memcg down to the new memory.high; no high, max or oom event")
    void highWriteReclaims() {
        Outcome o = Model.run("""
            name: high-write
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 30M}
              - set: {cgroup: /a, memory.high: 10M}
            """);
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        assertThat((Long) raw(o, null, "/a", "memory.current")).isLessThanOrEqualTo(10 * MB);
        assertThat(keyed(o, null, "/a", "memory.events"))
                .containsEntry("high", 0L)
                .containsEntry("max", 0L)
                .containsEntry("oom", 0L);
    }

    @Test
    @DisplayName(
            "memory_max_write: 16 reclaims without progress, then MEMCG_OOM and a memcg OOM kill per pass until it fits")
    void maxWriteOomKills() {
        Outcome o = Model.run("""
            name: max-write
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              x: {cgroup: /a, pid: 100}
              y: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: x, size: 30M}
              - anon: {task: y, size: 20M}
              - set: {cgroup: /a, memory.max: 20M}
            """);
        assertThat(o.steps().get(2).result()).isEqualTo("ok");
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("x");
        assertThat(o.oomKills().get(0).report().get(0))
                .isEqualTo("sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(o.oomKills().get(0).report()).contains(" memory_max_write");
        assertThat(keyed(o, null, "/a", "memory.events"))
                .containsEntry("oom", 1L)
                .containsEntry("oom_kill", 1L)
                .containsEntry("max", 0L);
        assertThat(raw(o, null, "/a", "memory.current")).isEqualTo(20 * MB);
        assertThat(raw(o, null, "/a", "memory.max")).isEqualTo(20 * MB);
    }

    @Test
    @DisplayName("page_counter_memparse (5.18): a written limit is rounded down to whole pages")
    void limitRoundsDown() {
        Outcome o = Model.run("""
            name: round
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10001, memory.low: 4097}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(raw(o, null, "/a", "memory.max")).isEqualTo(8192L);
        assertThat(raw(o, null, "/a", "memory.low")).isEqualTo(4096L);
    }
}
