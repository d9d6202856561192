package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTest {
    @Test
    void eventsRunInTimeOrderThenInTheOrderQueuedWhenTheClockPassesThem() {
        Clock clock = new Clock();
        List<String> ran = new ArrayList<>();
        clock.at(300, now -> ran.add("c@" + now));
        clock.at(100, now -> ran.add("a@" + now));
        clock.at(100, now -> ran.add("b@" + now));

        clock.spend(99);
        assertThat(ran).isEmpty();
        clock.spend(1);
        assertThat(ran).containsExactly("a@100", "b@100");
        clock.runUntil(1000);
        assertThat(ran).containsExactly("a@100", "b@100", "c@300");
        assertThat(clock.now()).isEqualTo(1000);
    }

    @Test
    void anEventMayQueueAnotherThatFallsDueInTheSameMove() {
        Clock clock = new Clock();
        List<Long> ran = new ArrayList<>();
        clock.at(10, now -> {
            ran.add(now);
            clock.at(now + 10, ran::add);
        });
        clock.runUntil(25);
        assertThat(ran).containsExactly(10L, 20L);
        assertThat(clock.nextEvent()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theClockNeverGoesBack() {
        Clock clock = new Clock();
        clock.runUntil(50);
        clock.runUntil(10);
        assertThat(clock.now()).isEqualTo(50);
    }
}
