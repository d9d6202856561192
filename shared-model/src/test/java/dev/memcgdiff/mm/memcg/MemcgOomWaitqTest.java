package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq.Synchronize;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq.Woken;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * memcg_oom_waitq and its helpers (mm/memcontrol.c, alike in 3.10.0-1160, 4.18.0-147 and 5.18),
 * driven by hand: who mem_cgroup_oom_synchronize puts to sleep, whom memcg_oom_recover wakes
 * (memcg_oom_wake_function), in which order, and what the woken sleeper undoes.
 */
class MemcgOomWaitqTest {
    private static final String TREE = """
        name: waitq
        host: {memory: 64M}
        cgroup: v1
        cgroups:
          /p: {}
          /p/a: {}
          /p/a/x: {}
          /p/b: {}
          /q: {}
        tasks:
          a: {cgroup: /p/a}
          b: {cgroup: /p/b}
          x: {cgroup: /p/a/x}
          q: {cgroup: /q}
        steps:
          - snapshot: s
        """;

    /** A machine whose v1 memcgs are hierarchical (the toy's mem_cgroup_css_alloc sets use_hierarchy). */
    private static ToyMachine machine() {
        return new ToyMachine(TREE);
    }

    private static Synchronize sleep(ToyMachine t, String task, String memcg) {
        MemCgroup c = t.memcg(memcg);
        c.oomKillDisable = true;
        return t.m.memcgOomWaitq.synchronize(t.task(task), c, () -> {
            throw new AssertionError("oom_kill_disable: mem_cgroup_out_of_memory must not run");
        });
    }

    private static List<String> woken(ToyMachine t) {
        List<String> out = new ArrayList<>();
        Woken w;
        while ((w = t.m.memcgOomWaitq.pollWoken()) != null) {
            out.add(w.task().comm() + (w.killed() ? " killed" : ""));
        }
        return out;
    }

    @Test
    void synchronizeWithOomKillDisableSleepsMarkingTheSubtreeUnderOomAndHoldingItsLock() {
        ToyMachine t = machine();
        assertThat(sleep(t, "a", "/p/a")).isEqualTo(Synchronize.SLEEPS);
        // mem_cgroup_mark_under_oom and mem_cgroup_oom_trylock walk for_each_mem_cgroup_tree(/p/a)
        assertThat(t.memcg("/p/a").underOom).isEqualTo(1);
        assertThat(t.memcg("/p/a/x").underOom).isEqualTo(1);
        assertThat(t.memcg("/p").underOom).isZero();
        assertThat(t.memcg("/p/a").oomLock).isTrue();
        assertThat(t.memcg("/p/a/x").oomLock).isTrue();
        assertThat(t.memcg("/p").oomLock).isFalse();
        assertThat(t.m.memcgOomWaitq.asleep(t.task("a"))).isTrue();
        assertThat(t.m.trace.events())
                .filteredOn(e -> e.point().equals(TracePoints.MEMCG_OOM_SLEEPS_DISABLED))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/p/a"));
    }

    @Test
    void synchronizeWithTheLockAndKillsAllowedCallsTheOomKillerAndDoesNotSleep() {
        ToyMachine t = machine();
        List<String> calls = new ArrayList<>();
        Synchronize s = t.m.memcgOomWaitq.synchronize(t.task("a"), t.memcg("/p/a"), () -> calls.add("oom"));
        assertThat(s).isEqualTo(Synchronize.OUT_OF_MEMORY_CALLED);
        assertThat(calls).containsExactly("oom");
        // unmarked before mem_cgroup_out_of_memory, unlocked after it
        assertThat(t.memcg("/p/a").underOom).isZero();
        assertThat(t.memcg("/p/a").oomLock).isFalse();
        assertThat(t.m.memcgOomWaitq.asleep(t.task("a"))).isFalse();
    }

    @Test
    void aTaskWhoseSubtreeLockIsHeldSleepsEvenWithKillsAllowed() {
        ToyMachine t = machine();
        sleep(t, "a", "/p/a");
        // x's OOM in /p/a/x: the lock of /p/a's subtree is taken, so mem_cgroup_oom_trylock fails
        Synchronize s = t.m.memcgOomWaitq.synchronize(t.task("x"), t.memcg("/p/a/x"), () -> {
            throw new AssertionError("no kill without the oom_lock");
        });
        assertThat(s).isEqualTo(Synchronize.SLEEPS);
        assertThat(t.memcg("/p/a/x").underOom).isEqualTo(2);
        assertThat(t.m.trace.events())
                .filteredOn(e -> e.point().equals(TracePoints.MEMCG_OOM_SLEEPS_LOCKED))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/p/a/x"));
    }

    @Test
    void recoverWakesSleepersAboveAndBelowTheWakerButNotBesideIt() {
        ToyMachine t = machine();
        sleep(t, "a", "/p/a");
        // /q is not under OOM: memcg_oom_recover does nothing
        t.m.memcgOomWaitq.recover(t.memcg("/q"));
        // /p/b is not under OOM either (only /p/a's subtree is marked)
        t.m.memcgOomWaitq.recover(t.memcg("/p/b"));
        assertThat(woken(t)).isEmpty();
        // an uncharge in /p/a/x, below the sleeper's memcg: mem_cgroup_is_descendant(x, /p/a)
        t.m.memcgOomWaitq.recover(t.memcg("/p/a/x"));
        assertThat(woken(t)).containsExactly("a");
        // the woken task's epilogue: unmarked and unlocked
        assertThat(t.memcg("/p/a").underOom).isZero();
        assertThat(t.memcg("/p/a/x").underOom).isZero();
        assertThat(t.memcg("/p/a").oomLock).isFalse();
        assertThat(t.m.memcgOomWaitq.asleep(t.task("a"))).isFalse();
    }

    @Test
    void aSleeperBelowTheWakerIsWokenTooAndOneInAnUnrelatedSubtreeIsNot() {
        ToyMachine t = machine();
        sleep(t, "x", "/p/a/x");
        sleep(t, "q", "/q");
        // a write to /p/a's limit: /p/a is not itself under OOM (only /p/a/x's subtree is marked)
        t.m.memcgOomWaitq.recover(t.memcg("/p/a"));
        assertThat(woken(t)).isEmpty();
        // mark /p/a as if one of its own tasks slept there too: then /p/a's recover reaches x below
        MemcgOomWaitq.markUnderOom(t.memcg("/p/a"));
        t.m.memcgOomWaitq.recover(t.memcg("/p/a"));
        assertThat(woken(t)).containsExactly("x");
        assertThat(t.m.memcgOomWaitq.asleep(t.task("q"))).isTrue();
    }

    @Test
    void prepareToWaitQueuesAtTheHeadSoTheLatestSleeperIsWokenFirst() {
        ToyMachine t = machine();
        MemCgroup p = t.memcg("/p");
        p.oomKillDisable = true;
        for (String task : new String[] {"a", "b", "x"}) {
            t.m.memcgOomWaitq.synchronize(t.task(task), p, () -> {});
        }
        assertThat(p.underOom).isEqualTo(3);
        t.m.memcgOomWaitq.recover(p);
        assertThat(woken(t)).containsExactly("x", "b", "a");
        assertThat(p.underOom).isZero();
        assertThat(p.oomLock)
                .as("a, the first, held the lock; it dropped it when woken")
                .isFalse();
    }

    @Test
    void aFatalSignalWakesOnlyItsTaskAndTheLockHoldersRecoverMissesAContenderBelow() {
        ToyMachine t = machine();
        sleep(t, "a", "/p/a");
        // x sleeps because a holds the lock of /p/a's subtree (x's memcg allows kills)
        t.m.memcgOomWaitq.synchronize(t.task("x"), t.memcg("/p/a/x"), () -> {});
        Task a = t.task("a");
        t.m.memcgOomWaitq.fatalSignal(a);
        // a's epilogue unmarks /p/a's subtree, then drops the lock and calls memcg_oom_recover(/p/a);
        // /p/a's under_oom is back to 0 by then (x marked only /p/a/x), so x is not woken
        assertThat(woken(t)).containsExactly("a killed");
        assertThat(t.memcg("/p/a").oomLock).isFalse();
        assertThat(t.memcg("/p/a/x").underOom).isEqualTo(1);
        // an uncharge in /p/a/x wakes it
        t.m.memcgOomWaitq.recover(t.memcg("/p/a/x"));
        assertThat(woken(t)).containsExactly("x");
        assertThat(t.memcg("/p/a/x").underOom).isZero();
    }

    @Test
    void theWakeUpRecordsHowLongTheTaskSlept() {
        ToyMachine t = machine();
        sleep(t, "a", "/p/a");
        t.m.clock.runUntil(5_000_000_000L);
        t.m.memcgOomWaitq.recover(t.memcg("/p/a"));
        assertThat(t.m.trace.events())
                .filteredOn(e -> e.point().equals(TracePoints.MEMCG_OOM_WOKEN))
                .singleElement()
                .satisfies(e -> assertThat(e.number("slept_ns")).isEqualTo(5_000_000_000L));
        assertThat(t.m.memcgOomWaitq.takeWoken(t.task("b"))).isNull();
        assertThat(t.m.memcgOomWaitq.takeWoken(t.task("a")).at()).isEqualTo(5_000_000_000L);
    }
}
