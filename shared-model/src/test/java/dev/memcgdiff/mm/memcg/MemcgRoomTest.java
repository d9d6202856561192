package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.toy.ToyMachine;
import org.junit.jupiter.api.Test;

/** mem_cgroup_margin and mem_cgroup_get_nr_swap_pages as 4.18 and 5.18 compute them. */
class MemcgRoomTest {
    @Test
    void theMarginIsTheSmallerOfMemoryAndMemswRoomWithMemswAccounting() {
        ToyMachine t = new ToyMachine("""
            name: room
            host: {memory: 64M, swap: 64M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 40K, memory.memsw.limit_in_bytes: 48K}
            tasks:
            steps:
              - snapshot: s
            """);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(4);
        a.memsw.charge(9);

        // memory: 10 - 4 = 6 pages; memsw: 12 - 9 = 3 pages
        assertThat(MemcgRoom.margin(t.m, a)).isEqualTo(3);
        a.memsw.charge(5); // memsw over its limit: no room at all
        assertThat(MemcgRoom.margin(t.m, a)).isZero();
    }

    @Test
    void swapRoomIsFreeSwapOnV1AndBoundedBySwapMaxUpTheTreeOnV2() {
        String v2 = """
            name: room
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /p:
              /p/c:
            tasks:
            steps:
              - snapshot: s
            """;
        ToyMachine t = new ToyMachine(v2);
        MemCgroup p = t.memcg("/p");
        MemCgroup c = t.memcg("/p/c");
        long free = t.m.swap.free();
        assertThat(free).as("swap is configured").isPositive();

        assertThat(MemcgRoom.nrSwapPages(t.m, c)).isEqualTo(free);
        p.swap.forceMax(100);
        c.swap.forceMax(500);
        c.swap.charge(30); // charges /p too
        // c: 500 - 30 = 470; p: 100 - 30 = 70
        assertThat(MemcgRoom.nrSwapPages(t.m, c)).isEqualTo(70);
        assertThat(MemcgRoom.nrSwapPages(t.m, t.m.root()))
                .as("the root is not bounded")
                .isEqualTo(free);

        ToyMachine v1 = new ToyMachine(v2.replace("cgroup: v2", "cgroup: v1"));
        v1.memcg("/p").swap.forceMax(0);
        assertThat(MemcgRoom.nrSwapPages(v1.m, v1.memcg("/p/c")))
                .as("v1 has no swap.max")
                .isEqualTo(free);
    }
}
