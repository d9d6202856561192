package dev.memcgdiff.mm.vmscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** do_try_to_free_pages' priority loop and shrink_zones' walk of the zonelist. */
class DoTryToFreePagesTest {
    private static final String THREE_NODES = """
        name: zones
        host: {memory: 24M, swap: 24M, nodes: 3}
        cgroup: v1
        cgroups:
          /a: {memory.soft_limit_in_bytes: 0}
        tasks:
        steps:
          - snapshot: s
        """;

    @Test
    void passesLowerThePriorityUntilEnoughIsReclaimed() {
        ScanControl sc = ScanControl.tryToFreePages(Gfp.GFP_KERNEL);
        sc.mayWritepage = false;
        List<Integer> priorities = new ArrayList<>();
        List<Boolean> writepage = new ArrayList<>();
        List<Long> totals = new ArrayList<>();

        DoTryToFreePages.priorityLoop(
                sc,
                pass -> {
                    priorities.add(pass.priority);
                    writepage.add(pass.mayWritepage);
                    pass.nrScanned = 10;
                    pass.nrReclaimed += 5;
                },
                (pass, totalScanned) -> totals.add(totalScanned));

        // 5 pages a pass: the seventh pass (priority 6) reaches 35 >= 32 and ends the loop there
        assertThat(priorities).containsExactly(12, 11, 10, 9, 8, 7, 6);
        assertThat(sc.priority).as("no decrement after the last pass").isEqualTo(6);
        assertThat(sc.nrReclaimed).isEqualTo(35);
        // writepage from the pass after the first one below DEF_PRIORITY - 2 (priority 9)
        assertThat(writepage).containsExactly(false, false, false, false, true, true, true);
        // afterPass sees every pass but the one that met the target, with the pages scanned so far
        assertThat(totals).containsExactly(10L, 20L, 30L, 40L, 50L, 60L);
    }

    @Test
    void withoutProgressEveryPriorityDownToZeroIsTried() {
        ScanControl sc = ScanControl.tryToFreePages(Gfp.GFP_KERNEL);
        List<Integer> priorities = new ArrayList<>();

        DoTryToFreePages.priorityLoop(sc, pass -> priorities.add(pass.priority), DoTryToFreePages.NOTHING_AFTER_PASS);

        assertThat(priorities).containsExactly(12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertThat(sc.priority).isEqualTo(-1);
    }

    @Test
    void shrinkZonesVisitsEveryNodeFromTheStartNodeWithSoftLimitReclaimFirstInGlobalReclaim() {
        ToyMachine t = new ToyMachine(THREE_NODES);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(6); // 6 pages over a soft limit of 0
        ScanControl sc = ScanControl.tryToFreePages(Gfp.GFP_KERNEL);
        List<String> visits = new ArrayList<>();

        DoTryToFreePages.shrinkZones(
                t.m,
                1,
                sc,
                node -> node == 2,
                (memcg, node) -> {
                    visits.add("soft " + memcg.path() + " node " + node);
                    memcg.memory.uncharge(6);
                    return 6;
                },
                (node, pass) -> visits.add("shrink node " + node));

        // node 2 is skipped (3.10's unreclaimable zone): neither soft limit reclaim nor shrink
        assertThat(visits).containsExactly("soft /a node 1", "shrink node 1", "shrink node 0");
        assertThat(sc.nrReclaimed).as("soft limit reclaim counts").isEqualTo(6);
    }

    @Test
    void cgroupReclaimNeitherSkipsNorRunsSoftLimitReclaim() {
        ToyMachine t = new ToyMachine(THREE_NODES);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(6);
        ScanControl sc = ScanControl.memcgReclaim(Gfp.GFP_KERNEL, a, 32, true);
        List<String> visits = new ArrayList<>();

        DoTryToFreePages.shrinkZones(
                t.m,
                2,
                sc,
                node -> true,
                (memcg, node) -> {
                    visits.add("soft");
                    return 0;
                },
                (node, pass) -> visits.add("shrink node " + node));

        assertThat(visits).containsExactly("shrink node 2", "shrink node 0", "shrink node 1");
    }
}
