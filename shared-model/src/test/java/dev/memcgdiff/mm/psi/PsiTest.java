package dev.memcgdiff.mm.psi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.toy.ToyMachine;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kernel/sched/psi.c as the model keeps it, driven by hand: every expected line is worked out on
 * paper from psi.c and loadavg.h (EXP_10s 1677, EXP_60s 1981, EXP_300s 2034, FIXED_1 2048,
 * PSI_FREQ 2*HZ+1 jiffies with HZ=1000, so a psi period is 2.001 s), never copied from a run.
 */
class PsiTest {
    private static final long MS = 1_000_000L;
    /** psi_period at HZ=1000: 2001 jiffies. */
    private static final long PERIOD = 2001 * MS;

    private static final PsiTraits V418 = new PsiTraits(true, false, true, PsiTraits.FullOnCpu.TICK, true, 1000, null);
    private static final PsiTraits V518 =
            new PsiTraits(true, true, false, PsiTraits.FullOnCpu.MEMSTALL_RUNNING, false, 1000, null);

    /** Two cgroups and a task in each, to hand to a Psi booted on its own. */
    private final ToyMachine toy = new ToyMachine("""
            name: psi
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {}
              /b: {}
            tasks:
              ta: {cgroup: /a}
              tb: {cgroup: /b}
            steps:
              - snapshot: s
            """);

    private final MemCgroup a = toy.memcg("/a");
    private final MemCgroup b = toy.memcg("/b");
    private final Task ta = toy.task("ta");
    private final Task tb = toy.task("tb");

    private Psi boot(PsiTraits traits) {
        Psi psi = Psi.boot(traits, HostSpec.Psi.ON, 4, CgroupInterface.V2);
        psi.cgroupCreated(toy.m.root(), 0);
        psi.cgroupCreated(a, 0);
        psi.cgroupCreated(b, 0);
        psi.moved(ta, a, 0);
        psi.moved(tb, b, 0);
        return psi;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> lines(Object file) {
        assertThat(file).isInstanceOf(Map.class);
        return (Map<String, String>) file;
    }

    @Test
    @DisplayName("calc_load: five 2 s samples at 100% give avg10 63.18, avg60 15.32, avg300 3.37")
    void decayConstants() {
        long avg10 = 0;
        long avg60 = 0;
        long avg300 = 0;
        long pct = 100 * LoadAvg.FIXED_1;
        for (int i = 0; i < 5; i++) {
            avg10 = LoadAvg.calcLoad(avg10, 1677, pct);
            avg60 = LoadAvg.calcLoad(avg60, 1981, pct);
            avg300 = LoadAvg.calcLoad(avg300, 2034, pct);
        }
        // by hand: 0 -> 37100 -> 67480 -> 92356 -> 112726 -> 129406 (each +2047 before /2048)
        assertThat(avg10).isEqualTo(129406);
        assertThat(avg60).isEqualTo(31380);
        assertThat(avg300).isEqualTo(6907);
        // LOAD_INT 129406 >> 11 = 63, LOAD_FRAC ((129406 & 2047) * 100) >> 11 = 38200 >> 11 = 18
        assertThat(LoadAvg.format(avg10)).isEqualTo("63.18");
        assertThat(LoadAvg.format(avg60)).isEqualTo("15.32");
        assertThat(LoadAvg.format(avg300)).isEqualTo("3.37");
        assertThat(LoadAvg.format(2048 + 20)).isEqualTo("1.00"); // 2000 >> 11 = 0: two digits, truncated
    }

    @Test
    @DisplayName("fixed_power_int and calc_load_n: two missed periods at once")
    void missedPeriods() {
        // 1677^2 = 2812329, +1024, >> 11 = 1373; the result 2048 * 1373 + 1024 >> 11 = 1373
        assertThat(LoadAvg.fixedPowerInt(1677, 11, 2)).isEqualTo(1373);
        assertThat(LoadAvg.fixedPowerInt(1677, 11, 0)).isEqualTo(2048);
        // 105963 * 1373 = 145487199, / 2048 = 71038
        assertThat(LoadAvg.calcLoadN(105963, 1677, 0, 2)).isEqualTo(71038);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PsiTraits.FullOnCpu.class)
    @DisplayName("a task asleep in a memory stall for five psi periods: SOME and FULL 63.18/15.32/3.37")
    void tenSecondsFullStall(PsiTraits.FullOnCpu full) {
        Psi psi = boot(full == PsiTraits.FullOnCpu.TICK ? V418 : V518);
        long end = 5 * PERIOD; // 10.005 s
        psi.running(ta, 0, 0);
        psi.memstallEnter(ta, 0);
        psi.sleep(ta, 0, end, false, false); // off its CPU all the time: FULL on either rule
        psi.memstallLeave(ta, end);
        // The averaging work runs at 2.001, 4.003, 6.004, 8.005 s (one jiffy after each update is
        // due); the read at 10.005 s makes the fifth update: five samples of 100%.
        String line = "avg10=63.18 avg60=15.32 avg300=3.37 total=10005000";
        Map<String, String> cg = lines(psi.memoryPressure(a, end));
        assertThat(cg).containsEntry("some", line).containsEntry("full", line);
        assertThat(lines(psi.procPressureMemory(end)))
                .containsEntry("some", line)
                .containsEntry("full", line);
        assertThat(lines(psi.memoryPressure(toy.m.root(), end))).isEqualTo(lines(psi.procPressureMemory(end)));
        assertThat(lines(psi.memoryPressure(b, end)))
                .containsEntry("some", "avg10=0.00 avg60=0.00 avg300=0.00 total=0");

        // Idle from 10.005 s: the work at 10.006 s sees no non-idle time and stops. A read at
        // 12.006 s makes one update with a 0% sample: 129406 * 1677 / 2048 = 105963 (51.73);
        // avg60 31380 * 1981 / 2048 = 30353 (14.82); avg300 6907 * 2034 / 2048 = 6859 (3.34).
        psi.idle(ta, end);
        long t1 = end + PERIOD + MS;
        assertThat(lines(psi.memoryPressure(a, t1)))
                .containsEntry("some", "avg10=51.73 avg60=14.82 avg300=3.34 total=10005000");
        // A read three periods later: two missed periods (calc_load_n: 71038) and this one's 0%
        // sample: 71038 * 1677 / 2048 = 58169, 28.40.
        assertThat(lines(psi.memoryPressure(a, t1 + 3 * PERIOD)).get("some")).startsWith("avg10=28.40 ");
    }

    @Test
    @DisplayName("4.18: a reclaimer on its CPU gets FULL only from the tick (psi_memstall_tick); 5.18: FULL all along")
    void reclaimOnCpu() {
        for (PsiTraits traits : new PsiTraits[] {V418, V518}) {
            Psi psi = boot(traits);
            psi.running(ta, 0, 0);
            psi.memstallEnter(ta, 300_000); // 0.3 ms
            psi.memstallLeave(ta, 1000 * MS + 300_000); // one second of reclaim, on the CPU
            psi.idle(ta, 1500 * MS);
            Map<String, String> l = lines(psi.memoryPressure(a, 1900 * MS));
            assertThat(l.get("some")).endsWith(" total=1000000");
            // 4.18: the ticks at 1..1000 ms add 0.7 ms then 999 x 1 ms; the last 0.3 ms is no FULL
            assertThat(l.get("full")).endsWith(traits == V418 ? " total=999700" : " total=1000000");
        }
    }

    @Test
    @DisplayName("4.18: a reclaim shorter than a jiffy with no tick in it adds no FULL time")
    void shortReclaimNoTick() {
        for (PsiTraits traits : new PsiTraits[] {V418, V518}) {
            Psi psi = boot(traits);
            psi.running(ta, 0, 0);
            psi.memstallEnter(ta, 200_000);
            psi.memstallLeave(ta, 900_000);
            psi.idle(ta, 1500 * MS);
            Map<String, String> l = lines(psi.procPressureMemory(1900 * MS));
            assertThat(l.get("some")).endsWith(" total=700");
            assertThat(l.get("full")).endsWith(traits == V418 ? " total=0" : " total=700");
        }
    }

    @Test
    @DisplayName("the system's time is each CPU's weighted by its non-idle time: one stalled CPU of two busy is 50%")
    void systemWeightsCpus() {
        Psi psi = boot(V518);
        psi.running(ta, 0, 0);
        psi.running(tb, 1, 0);
        psi.memstallEnter(ta, 0);
        psi.sleep(ta, 0, 1000 * MS, false, false);
        psi.memstallLeave(ta, 1000 * MS);
        psi.idle(ta, 1500 * MS);
        psi.idle(tb, 1500 * MS);
        long at = 1900 * MS;
        // /a: one CPU, stalled 1 s; /b: never; the system: (1 s * 1500 + 0 * 1500) / 3000 jiffies
        assertThat(lines(psi.memoryPressure(a, at)).get("some")).endsWith(" total=1000000");
        assertThat(lines(psi.memoryPressure(b, at)).get("some")).endsWith(" total=0");
        assertThat(lines(psi.procPressureMemory(at)))
                .containsEntry("some", "avg10=0.00 avg60=0.00 avg300=0.00 total=500000")
                .containsEntry("full", "avg10=0.00 avg60=0.00 avg300=0.00 total=500000");
    }

    @Test
    @DisplayName("collect_percpu_times weighs a CPU by whole jiffies: a stall in under a jiffy of activity is lost")
    void subJiffyActivityWeighsNothing() {
        Psi psi = boot(V518);
        psi.running(ta, 0, 0);
        psi.memstallEnter(ta, 0);
        psi.memstallLeave(ta, 500_000);
        psi.idle(ta, 500_000);
        assertThat(lines(psi.memoryPressure(a, 1000 * MS)).get("some")).endsWith(" total=0");
        psi.running(tb, 1, 1000 * MS);
        psi.memstallEnter(tb, 1000 * MS);
        psi.memstallLeave(tb, 1001 * MS);
        psi.idle(tb, 1001 * MS);
        assertThat(lines(psi.memoryPressure(b, 1500 * MS)).get("some")).endsWith(" total=1000");
    }

    @Test
    @DisplayName("io_schedule is non-idle but no memory stall; a sleep inside a memstall section is one")
    void sleepsAndWaits() {
        Psi psi = boot(V518);
        psi.running(ta, 0, 0);
        psi.sleep(ta, 0, 500 * MS, true, false); // balance_dirty_pages: iowait
        psi.ioWait(ta, 500 * MS, 600 * MS); // a read
        psi.memstallEnter(ta, 600 * MS);
        psi.sleep(ta, 600 * MS, 300 * MS, false, false); // a memory.high penalty
        psi.memstallLeave(ta, 900 * MS);
        psi.idle(ta, 1000 * MS);
        Map<String, String> l = lines(psi.memoryPressure(a, 1500 * MS));
        assertThat(l.get("some")).endsWith(" total=300000");
        assertThat(l.get("full")).endsWith(" total=300000");
    }

    @Test
    @DisplayName("together: a sleep owed inside a memstall section is taken after the unit, still a memory stall")
    void owedSleep() {
        Psi psi = boot(V518);
        psi.running(ta, 0, 0);
        psi.memstallEnter(ta, 10 * MS);
        psi.sleep(ta, 10 * MS, 200 * MS, false, true); // owed: the unit goes on
        psi.memstallLeave(ta, 11 * MS);
        psi.afterUnit(ta, 12 * MS, 250 * MS); // sleeps 12..212 ms, then waits its turn until 250
        psi.idle(ta, 250 * MS);
        // 1 ms of stall in the unit, 200 ms asleep in the owed memstall
        assertThat(lines(psi.memoryPressure(a, 1000 * MS)).get("some")).endsWith(" total=201000");
    }

    @Test
    @DisplayName("PSI off: reads fail with EOPNOTSUPP (4.18 /proc too), 5.18's /proc/pressure is not there")
    void off() {
        Psi off418 = Psi.boot(V418, HostSpec.Psi.DEFAULT, 4, CgroupInterface.V2);
        assertThat(off418.recording()).isFalse();
        assertThat(off418.memoryPressure(a, 0)).isEqualTo(Psi.EOPNOTSUPP);
        assertThat(off418.procPressureMemory(0)).isEqualTo(Psi.EOPNOTSUPP);
        Psi off518 = Psi.boot(V518, HostSpec.Psi.OFF, 4, CgroupInterface.V2);
        assertThat(off518.memoryPressure(a, 0)).isEqualTo(Psi.EOPNOTSUPP);
        assertThat(off518.procPressureMemory(0)).isEqualTo(Psi.ENOENT);
        Psi none = Psi.boot(PsiTraits.none("no psi.c"), HostSpec.Psi.ON, 4, CgroupInterface.V1);
        assertThat(none.procPressureMemory(0)).isEqualTo(Psi.ENOENT);
        assertThat(none.memoryPressure(a, 0)).isNull();
        Psi unset = Psi.boot(V518, HostSpec.Psi.UNSET, 4, CgroupInterface.V2);
        assertThat(unset.procPressureMemory(0)).isNull();
        assertThat(unset.memoryPressure(a, 0)).isNull();
        Psi v1 = Psi.boot(V518, HostSpec.Psi.ON, 4, CgroupInterface.V1);
        assertThat(v1.memoryPressure(a, 0)).isNull();
    }
}
