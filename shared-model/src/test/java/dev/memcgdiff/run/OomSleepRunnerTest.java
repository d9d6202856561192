package dev.memcgdiff.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.memcgdiff.kernel.CgroupFileOps;
import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.kernel.MemcgOps;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.toy.ToyMachine;
import dev.memcgdiff.mm.toy.ToyMachine.ToyFiles;
import dev.memcgdiff.mm.toy.ToyMachine.ToyLru;
import dev.memcgdiff.mm.toy.ToyMachine.ToyMemcontrol;
import dev.memcgdiff.mm.toy.ToyMachine.ToyVmscan;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.testing.ScenarioHarness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the runner holds a task asleep in the memcg OOM (mem_cgroup_oom_synchronize on
 * memcg_oom_waitq) and resumes it when memcg_oom_recover wakes it: on a toy kernel whose memcg
 * OOM always sleeps (v1 oom_kill_disable in every modelled kernel) and whose limit raise and
 * oom_control=0 wake the sleepers, as mem_cgroup_resize_max and mem_cgroup_oom_control_write do.
 */
class OomSleepRunnerTest {
    private static final long S = 1_000_000_000L;
    private static final long PAGES_PER_M = 256;

    /** pagefault_out_of_memory: mem_cgroup_oom_synchronize with the shared waitqueue; no OOM killer. */
    private record SleepingOom(Machine m) implements OomOps {
        @Override
        public boolean outOfMemory(int gfp, Task current) {
            return false;
        }

        @Override
        public FaultRetry pagefaultOutOfMemory(Task task) {
            MemcgOomWaitq.Synchronize s = m.memcgOomWaitq.synchronize(task, task.memcg(), () -> {});
            return s == MemcgOomWaitq.Synchronize.SLEEPS ? FaultRetry.SLEEP : FaultRetry.STUCK;
        }
    }

    /** The toy's charge (memory only, no reclaim, no OOM), with memsw charged beside memory as v1 does. */
    private record V1Memcontrol(Machine m, ToyMemcontrol toy) implements MemcgOps {
        @Override
        public boolean linksToParent(MemCgroup parent) {
            return toy.linksToParent(parent);
        }

        @Override
        public void cgroupCreated(MemCgroup memcg) {
            toy.cgroupCreated(memcg);
        }

        @Override
        public ChargeResult tryCharge(ChargeRequest request) {
            ChargeResult r = toy.tryCharge(request);
            if (r.charged() && !request.memcg().isRoot() && m.memswCharged()) {
                request.memcg().memsw.charge(request.nrPages());
            }
            return r;
        }
    }

    /** The toy's files, plus memory.oom_control, and a raised limit that wakes the sleepers. */
    private record WakingFiles(Machine m, ToyFiles toy) implements CgroupFileOps {
        @Override
        public KnobWrite write(MemCgroup memcg, Knob knob) {
            if (knob.name().equals("memory.oom_control")) {
                memcg.oomKillDisable = knob.value() == 1;
                if (!memcg.oomKillDisable) {
                    m.memcgOomWaitq.recover(memcg);
                }
                return KnobWrite.OK;
            }
            boolean raise =
                    knob.name().equals("memory.limit_in_bytes") && PageCounter.memparse(knob) > memcg.memory.max();
            KnobWrite r = toy.write(memcg, knob);
            if (raise) {
                m.memcgOomWaitq.recover(memcg);
            }
            return r;
        }

        @Override
        public CgroupFiles read(MemCgroup memcg) {
            return toy.read(memcg).put("memory.oom_control:under_oom", memcg.underOom);
        }
    }

    private static final class SleeperToy implements Kernel {
        @Override
        public String version() {
            return "6.1";
        }

        @Override
        public String release() {
            return "6.1.0-sleeper";
        }

        @Override
        public KernelTraits traits() {
            return ToyMachine.TRAITS;
        }

        @Override
        public KernelOps boot(Machine m) {
            return new KernelOps(
                    ToyMachine.TRAITS,
                    new V1Memcontrol(m, new ToyMemcontrol(m)),
                    new ToyLru(m),
                    new ToyVmscan(),
                    new SleepingOom(m),
                    new WakingFiles(m, new ToyFiles()));
        }
    }

    private static final String HEADER = """
        host: {memory: 256M}
        cgroup: v1
        cgroups:
          /a: {memory.limit_in_bytes: 4M, memory.oom_control: 1}
        tasks:
          s: {cgroup: /a, pid: 100}
          o: {cgroup: /, pid: 101}
        """;

    private static Outcome run(String yaml) {
        return ScenarioHarness.run(yaml, new SleeperToy());
    }

    private static StepRecord step(Outcome o, int n) {
        return o.steps().get(n);
    }

    @Test
    @DisplayName(
            "a task asleep in the memcg OOM runs no later step; the others go on; woken, it finishes its step and its queued ones before the next")
    void theSleeperWaitsAndResumesRightAfterTheStepThatWokeIt() {
        Outcome o = run("name: held\n" + HEADER + """
            steps:
              - anon: {task: s, size: 8M}
              - anon: {task: s, size: 1M}
              - anon: {task: o, size: 2M}
              - sleep: {for: 1s}
              - set: {cgroup: /a, memory.limit_in_bytes: 16M}
              - anon: {task: o, size: 1M}
            """);
        // s's step 0 fills /a's 4M and sleeps; its step 1 queues; o's step 2 runs meanwhile
        assertThat(step(o, 2).startNs()).isLessThan(step(o, 0).endNs());
        assertThat(step(o, 2).result()).isEqualTo("ok");
        // the raise in step 4 wakes s: step 0 goes on from the fault it slept in and ends ok
        assertThat(step(o, 0).result()).isEqualTo("ok");
        assertThat(step(o, 0).pages()).isEqualTo(8 * PAGES_PER_M);
        assertThat(step(o, 0).endNs()).isGreaterThanOrEqualTo(step(o, 4).endNs());
        assertThat(step(o, 0).elapsedNs())
                .as("asleep through the 1 s sleep step")
                .isGreaterThan(S);
        // then its queued step 1, then the file goes on with step 5
        assertThat(step(o, 1).result()).isEqualTo("ok");
        assertThat(step(o, 1).startNs()).isEqualTo(step(o, 0).endNs());
        assertThat(step(o, 5).startNs()).isEqualTo(step(o, 1).endNs());
        assertThat(o.events(TracePoints.MEMCG_OOM_WOKEN)).singleElement().satisfies(e -> {
            assertThat(e.step()).isEqualTo(4);
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.number("slept_ns")).isGreaterThan(S);
        });
        assertThat(o.events(TracePoints.MEMCG_OOM_RETRY))
                .extracting(TraceEvent::step)
                .containsExactly(0);
        assertThat(o.snapshot(Outcome.END).cgroups().get("/a").files())
                .containsEntry("memory.current", 9 * 1024 * 1024L)
                .containsEntry("memory.oom_control:under_oom", 0L);
    }

    @Test
    @DisplayName("never woken: the held step ends hung at the end of the run, the queued steps are not-run")
    void neverWokenTheHeldStepHangsAndTheQueuedStepsNeverRun() {
        Outcome o = run("name: never\n" + HEADER + """
            steps:
              - anon: {task: s, size: 8M}
              - sleep: {for: 2s}
              - free: {task: s, size: 1M}
              - together:
                  - anon: {task: s, size: 1M}
                  - anon: {task: o, size: 1M}
              - exit: {task: s}
            """);
        assertThat(step(o, 0).result()).isEqualTo("hung");
        assertThat(step(o, 0).pages()).isEqualTo(4 * PAGES_PER_M);
        assertThat(step(o, 0).endNs())
                .as("asleep until the end of the run")
                .isEqualTo(o.snapshot(Outcome.END).timeNs());
        assertThat(step(o, 2).result()).isEqualTo("not-run");
        assertThat(step(o, 2).startNs())
                .isEqualTo(step(o, 2).endNs())
                .isEqualTo(step(o, 1).endNs());
        assertThat(step(o, 3).result()).isEqualTo("s=not-run");
        assertThat(step(o, 3).inner())
                .extracting(StepRecord::task, StepRecord::result)
                .containsExactly(tuple("s", "not-run"), tuple("o", "ok"));
        assertThat(step(o, 4).result()).isEqualTo("not-run");
        assertThat(o.events(TracePoints.TASK_HUNG))
                .singleElement()
                .satisfies(e -> assertThat(e.step()).isZero());
        assertThat(o.snapshot(Outcome.END).cgroups().get("/a").files())
                .as("still asleep: the exit never ran, its memory is still charged")
                .containsEntry("memory.current", 4 * 1024 * 1024L)
                .containsEntry("memory.oom_control:under_oom", 1L);
    }

    @Test
    @DisplayName("inside a together, a task woken by another task's munmap goes on from its wake time")
    void aTogetherTaskWokenByAnotherGoesOnInsideTheTogether() {
        Outcome o = run("""
            name: together-wake
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 4M, memory.oom_control: 1}
            tasks:
              s: {cgroup: /a, pid: 100}
              o: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: o, size: 4M}
              - together:
                  - anon: {task: s, size: 2M}
                  - free: {task: o, size: 4M}
              - snapshot: after
            """);
        // s is listed first: its first fault finds /a full and it sleeps; o's munmap then uncharges
        // /a (memcg_oom_recover) and s goes on inside the together
        StepRecord together = step(o, 1);
        assertThat(together.result()).isEqualTo("ok");
        StepRecord s = together.inner().get(0);
        StepRecord free = together.inner().get(1);
        assertThat(s.result()).isEqualTo("ok");
        assertThat(s.pages()).isEqualTo(2 * PAGES_PER_M);
        assertThat(s.endNs()).isGreaterThan(free.endNs());
        assertThat(together.endNs()).isEqualTo(s.endNs());
        assertThat(step(o, 2).startNs()).isEqualTo(together.endNs());
        assertThat(o.events(TracePoints.MEMCG_OOM_WOKEN))
                .singleElement()
                .satisfies(e -> assertThat(e.step()).isEqualTo(1));
    }

    @Test
    @DisplayName(
            "a together task still asleep when the others are done is held; its record completes the together's later")
    void aTogetherTaskStillAsleepIsHeldPastTheTogether() {
        Outcome o = run("name: together-held\n" + HEADER + """
            steps:
              - anon: {task: s, size: 4M}
              - together:
                  - anon: {task: s, size: 1M}
                  - anon: {task: o, size: 1M}
              - sleep: {for: 1s}
              - set: {cgroup: /a, memory.oom_control: 0}
              - snapshot: after
            """);
        // oom_control=0 wakes s, but the toy's charge still fails: with kills allowed and nothing to
        // kill, its retried fault cannot make progress (hung); so raise instead below
        StepRecord together = step(o, 1);
        assertThat(together.inner().get(1).result()).isEqualTo("ok");
        assertThat(together.inner().get(0).result()).isEqualTo("hung");
        assertThat(together.result()).isEqualTo("s=hung");
        assertThat(together.endNs())
                .as("the together ends when its held task's step does")
                .isGreaterThanOrEqualTo(step(o, 3).endNs());

        Outcome raised = run("name: together-raised\n" + HEADER + """
            steps:
              - anon: {task: s, size: 4M}
              - together:
                  - anon: {task: s, size: 1M}
                  - anon: {task: o, size: 1M}
              - sleep: {for: 1s}
              - set: {cgroup: /a, memory.limit_in_bytes: 8M}
              - snapshot: after
            """);
        StepRecord t2 = step(raised, 1);
        assertThat(t2.result()).isEqualTo("ok");
        assertThat(t2.pages()).isEqualTo(2 * PAGES_PER_M);
        assertThat(t2.inner().get(0).endNs())
                .isEqualTo(t2.endNs())
                .isGreaterThanOrEqualTo(step(raised, 3).endNs());
        assertThat(t2.elapsedNs()).isGreaterThan(S);
        assertThat(step(raised, 4).startNs()).isEqualTo(t2.endNs());
    }

    @Test
    @DisplayName("prepare_to_wait queues at the head: of two sleepers woken by one raise, the later one resumes first")
    void theLaterSleeperResumesFirst() {
        Outcome o = run("""
            name: order
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 4M, memory.oom_control: 1}
            tasks:
              s: {cgroup: /a, pid: 100}
              t: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: s, size: 8M}
              - anon: {task: t, size: 1M}
              - set: {cgroup: /a, memory.limit_in_bytes: 16M}
            """);
        assertThat(step(o, 0).result()).isEqualTo("ok");
        assertThat(step(o, 1).result()).isEqualTo("ok");
        assertThat(step(o, 1).endNs()).isLessThan(step(o, 0).endNs());
        assertThat(o.events(TracePoints.MEMCG_OOM_WOKEN))
                .extracting(TraceEvent::text)
                .containsExactly(
                        "memcg_oom_recover(/a) wakes t asleep under_oom in /a",
                        "memcg_oom_recover(/a) wakes s asleep under_oom in /a");
    }

    @Test
    void theSameScenarioGivesTheSameBytes() {
        String yaml = "name: same\n" + HEADER + """
            steps:
              - anon: {task: s, size: 8M}
              - anon: {task: s, size: 1M}
              - anon: {task: o, size: 2M}
              - set: {cgroup: /a, memory.limit_in_bytes: 16M}
            """;
        assertThat(GoldenText.render(run(yaml))).isEqualTo(GoldenText.render(run(yaml)));
    }
}
