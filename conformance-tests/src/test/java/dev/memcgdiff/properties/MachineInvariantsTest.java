package dev.memcgdiff.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The property checks must be able to fail: each case breaks one thing in a consistent machine
 * (on 4.18, the complete reference kernel) and expects the check that guards it to say so.
 */
class MachineInvariantsTest {
    private static final String SCENARIO = String.join(
            "\n",
            "name: invariants",
            "host: {memory: 64M, swap: 32M}",
            "cgroup: v1",
            "cgroups:",
            "  /a:",
            "    memory.use_hierarchy: 1",
            "  /a/b:",
            "    memory.limit_in_bytes: 8M",
            "tasks:",
            "  app: {cgroup: /a/b}",
            "steps:",
            "  - anon: {task: app, size: 12M}",
            "  - shmem: {task: app, file: /dev/shm/x, size: 1M}",
            "  - mmap: {task: app, file: /data/x, size: 1M}",
            "  - snapshot: done",
            "");

    /** One way to break the machine, and words the report must contain. */
    enum Corruption {
        PAGE_OFF_ITS_LIST("is in use but on no LRU list", m -> {
            int pfn = firstAnonMapped(m);
            m.lruvecOf(pfn).delete(pfn);
        }),
        PAGE_LEFT_ISOLATED("left isolated between steps", m -> m.pages.set(firstAnonMapped(m), PageFlags.PG_ISOLATED)),
        ACTIVE_FLAG_ON_INACTIVE_LIST("with PG_active", m -> {
            int pfn = firstAnonMapped(m);
            m.pages.set(pfn, PageFlags.PG_ACTIVE);
            m.lruvecOf(pfn).move(pfn, dev.memcgdiff.mm.lru.Lru.INACTIVE_ANON);
        }),
        PAGE_FREED_WHILE_MAPPED("names pfn", m -> {
            int pfn = firstAnonMapped(m);
            m.lruvecOf(pfn).delete(pfn);
            m.charging().uncharge(pfn);
            m.freePage(pfn);
        }),
        PAGE_TABLE_FORGETS_A_PAGE("neither mapped nor in the swap cache", m -> {
            Task t = m.tasks().get(0);
            int pfn = firstAnonMapped(m);
            t.anon.set(m.pages.index(pfn), Entry.EMPTY);
        }),
        PAGE_CACHE_FORGETS_A_PAGE("is not in the file's page cache", m -> {
            CachedFile f = m.files.lookup("/data/x");
            long idx = 0;
            while (!Entry.isPage(f.pages.get(idx))) {
                idx++;
            }
            f.pages.set(idx, Entry.EMPTY);
        }),
        STRAY_PTE("present ptes", m -> m.tasks().get(0).fileVmas().get(0).map(300)),
        RSS_COUNTER("MM_ANONPAGES", m -> m.tasks().get(0).rssAnon++),
        SWAP_COUNT("has swap count", m -> m.swap.dup(firstSwapSlot(m))),
        SWAP_CACHE_WITHOUT_PAGE("SWAP_HAS_CACHE", m -> m.swap.allocate()),
        EXTRA_MEMORY_CHARGE("memory usage", m -> m.memcg("/a/b").memory.charge(1)),
        EXTRA_MEMSW_CHARGE_ON_PARENT(
                "memory+swap usage", m -> m.memcg("/a").memsw.charge(1)),
        STAT_DRIFT("stat RSS", m -> m.memcg("/a/b").modStat(MemcgStat.RSS, 1)),
        PAGE_LEAKED_BY_THE_ALLOCATOR("has no memcg", m -> m.nodes[0].takeFree()),
        SHADOW_LEAKED("live entries", m -> m.shadows.store(7)),
        SHADOW_ON_A_FREE_SWAP_SLOT("still holds shadow", m -> m.swap.setShadow(m.swap.slots() - 1, m.shadows.store(7)));

        final String expected;
        final Consumer<Machine> breakIt;

        Corruption(String expected, Consumer<Machine> breakIt) {
            this.expected = expected;
            this.breakIt = breakIt;
        }
    }

    private static Kernel reference() {
        return Kernels.byVersion("4.18").orElseThrow();
    }

    private static Scenario scenario() throws ScenarioException {
        return ScenarioParser.parse("invariants.yaml", SCENARIO);
    }

    private static int firstAnonMapped(Machine m) {
        Task t = m.tasks().get(0);
        for (long i = 0; i < t.anon.length(); i++) {
            if (Entry.isPage(t.anon.get(i))) {
                return Entry.pfn(t.anon.get(i));
            }
        }
        throw new IllegalStateException("no resident anon page");
    }

    private static int firstSwapSlot(Machine m) {
        Task t = m.tasks().get(0);
        for (long i = 0; i < t.anon.length(); i++) {
            if (Entry.isSwap(t.anon.get(i))) {
                return Entry.payload(t.anon.get(i));
            }
        }
        throw new IllegalStateException("nothing was swapped out");
    }

    /** Run the scenario; at the snapshot step apply {@code breakIt} (if any) and return the check's report. */
    private static List<String> checkAtTheEnd(Consumer<Machine> breakIt) throws ScenarioException {
        List<String> found = new ArrayList<>();
        Runner.run(scenario(), reference(), (step, record, machine) -> {
            if (step instanceof Step.Snapshot) {
                assertThat(firstSwapSlot(machine))
                        .as("the scenario must leave swap entries")
                        .isNotNegative();
                if (breakIt != null) {
                    breakIt.accept(machine);
                }
                found.addAll(MachineInvariants.check(machine));
            }
        });
        return found;
    }

    @Test
    void theUntouchedMachineIsConsistent() throws ScenarioException {
        assertThat(checkAtTheEnd(null)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void eachCorruptionIsReported(Corruption c) throws ScenarioException {
        List<String> report = checkAtTheEnd(c.breakIt);
        assertThat(report).as("violations reported for %s", c).isNotEmpty();
        assertThat(String.join("\n", report)).contains(c.expected);
    }

    @Test
    void overLimitWithoutForceChargeOrLimitWriteIsReported() throws ScenarioException {
        List<String> found = new ArrayList<>();
        OverLimitCheck check = new OverLimitCheck();
        Runner.run(scenario(), reference(), (step, record, machine) -> {
            if (step instanceof Step.Snapshot) {
                MemCgroup b = machine.memcg("/a/b");
                b.memory.charge(b.memory.max() - b.memory.usage() + 1);
                found.addAll(check.afterStep(step, machine));
            }
        });
        assertThat(found)
                .singleElement()
                .asString()
                .contains("/a/b memory usage")
                .contains("no force charge");
    }

    @Test
    void aForceChargeLineOfTheSubtreeExplainsTheExcessUntilUsageGrowsAgain() throws ScenarioException {
        List<String> found = new ArrayList<>();
        OverLimitCheck check = new OverLimitCheck();
        Runner.run(scenario(), reference(), (step, record, machine) -> {
            if (step instanceof Step.Snapshot) {
                MemCgroup b = machine.memcg("/a/b");
                b.memory.charge(b.memory.max() - b.memory.usage() + 1);
                machine.trace.add(
                        new TracePoint("try_charge", TracePoints.FORCE_CHARGE),
                        b,
                        "try_charge /a/b: force charge (test)",
                        new String[] {"pages"},
                        1);
                assertThat(check.afterStep(step, machine)).isEmpty();
                assertThat(check.afterStep(new Step.Snapshot(step.index() + 1, null, "later"), machine))
                        .as("still over, not grown")
                        .isEmpty();
                b.memory.charge(1);
                found.addAll(check.afterStep(new Step.Snapshot(step.index() + 2, null, "grown"), machine));
            }
        });
        assertThat(found)
                .singleElement()
                .asString()
                .contains("/a/b memory usage")
                .contains("grew from");
    }

    @Test
    void aLimitWriteBelowUsageExplainsTheExcess() throws ScenarioException {
        List<String> found = new ArrayList<>();
        OverLimitCheck check = new OverLimitCheck();
        Runner.run(scenario(), reference(), (step, record, machine) -> {
            if (step instanceof Step.Snapshot) {
                MemCgroup b = machine.memcg("/a/b");
                b.memory.forceMax(1);
                Step write = new Step.Set(
                        step.index(),
                        null,
                        "/a/b",
                        List.of(new dev.memcgdiff.scenario.Knob("memory.limit_in_bytes", "4096", 4096, null)));
                found.addAll(check.afterStep(write, machine));
                Step other = new Step.Set(
                        step.index() + 1,
                        null,
                        "/a",
                        List.of(new dev.memcgdiff.scenario.Knob("memory.limit_in_bytes", "4096", 4096, null)));
                b.memory.charge(1);
                found.addAll(check.afterStep(other, machine));
            }
        });
        assertThat(found)
                .as("the write explains the first excess, a write elsewhere not the growth")
                .singleElement()
                .asString()
                .contains("grew from");
    }
}
