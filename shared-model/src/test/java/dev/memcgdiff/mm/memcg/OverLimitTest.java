package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.toy.ToyMachine;
import org.junit.jupiter.api.Test;

/** try_charge's counter step (4.18, 5.18): memsw first with memsw accounting, then memory. */
class OverLimitTest {
    private static final String V1 = """
        name: counters
        host: {memory: 64M, swap: 64M}
        cgroup: v1
        cgroups:
          /p: {memory.limit_in_bytes: 40K, memory.memsw.limit_in_bytes: 80K}
          /p/c:
        tasks:
        steps:
          - snapshot: s
        """;

    @Test
    void bothCountersTakeTheBatch() {
        ToyMachine t = new ToyMachine(V1);
        MemCgroup c = t.memcg("/p/c");

        assertThat(OverLimit.tryCharge(t.m, c, 4)).isNull();

        assertThat(c.memory.usage()).isEqualTo(4);
        assertThat(c.memsw.usage()).isEqualTo(4);
        assertThat(t.memcg("/p").memory.usage()).isEqualTo(4);
    }

    @Test
    void aMemoryFailureNamesTheMemcgAtItsLimitAndUndoesTheMemswCharge() {
        ToyMachine t = new ToyMachine(V1);
        MemCgroup c = t.memcg("/p/c");
        OverLimit.tryCharge(t.m, c, 4);

        OverLimit over = OverLimit.tryCharge(t.m, c, 8); // memory: 12 > 10 pages at /p; memsw: 12 <= 20

        assertThat(over).isEqualTo(new OverLimit(t.memcg("/p"), LimitKind.MEMORY));
        assertThat(c.memory.usage()).isEqualTo(4);
        assertThat(c.memsw.usage()).as("uncharged again").isEqualTo(4);
        assertThat(t.memcg("/p").memory.failcnt()).isEqualTo(1);
    }

    @Test
    void aMemswFailureComesFirstAndLeavesMemoryAlone() {
        ToyMachine t = new ToyMachine(V1);
        MemCgroup c = t.memcg("/p/c");
        OverLimit.tryCharge(t.m, c, 4);
        t.memcg("/p").memsw.forceMax(6);

        OverLimit over = OverLimit.tryCharge(t.m, c, 3); // memsw: 7 > 6

        assertThat(over).isEqualTo(new OverLimit(t.memcg("/p"), LimitKind.MEMSW));
        assertThat(c.memory.usage()).isEqualTo(4);
        assertThat(c.memory.failcnt()).isZero();
        assertThat(c.memsw.usage()).isEqualTo(4);
    }

    @Test
    void withoutMemswAccountingOnlyMemoryIsCharged() {
        ToyMachine t = new ToyMachine("""
            name: counters
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 40K}
            tasks:
            steps:
              - snapshot: s
            """);
        MemCgroup a = t.memcg("/a");

        assertThat(OverLimit.tryCharge(t.m, a, 4)).isNull();
        assertThat(OverLimit.tryCharge(t.m, a, 7)).isEqualTo(new OverLimit(a, LimitKind.MEMORY));

        assertThat(a.memory.usage()).isEqualTo(4);
        assertThat(a.memsw.usage()).isZero();
    }
}
