package dev.memcgdiff.mm;

import java.util.PriorityQueue;

/**
 * Simulated time: one nanosecond clock per run, never the wall clock. It moves only when the model
 * says something cost time ({@link #spend}) or when a task waits ({@link #runUntil}); timed work
 * that happens by itself (an I/O completing, a flusher waking) is queued as an event and runs when
 * the clock passes its time. Events at the same time run in the order they were queued, so a run
 * is the same, event for event, every time.
 */
public final class Clock {
    /** Something that happens at a time: I/O completion, a flusher's wake-up, the OOM reaper. */
    public interface Event {
        void run(long now);
    }

    private record Pending(long at, long seq, Event event) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Pending> events = new PriorityQueue<>();
    private long now;
    private long seq;

    /** The current time, in nanoseconds since the scenario started. */
    public long now() {
        return now;
    }

    /** CPU work: the clock moves on by {@code ns}; events that fall due on the way run. */
    public void spend(long ns) {
        runUntil(now + ns);
    }

    /** Queue an event for {@code at} (a time in the past runs at the next movement of the clock). */
    public void at(long at, Event event) {
        events.add(new Pending(at, seq++, event));
    }

    /** Move the clock to {@code t} (never back), running every event due by then in time order. */
    public void runUntil(long t) {
        while (!events.isEmpty() && events.peek().at() <= t) {
            Pending p = events.poll();
            now = Math.max(now, p.at());
            p.event().run(now);
        }
        now = Math.max(now, t);
    }

    /** The time of the next queued event, or Long.MAX_VALUE when none is queued. */
    public long nextEvent() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek().at();
    }

    /**
     * A task's view of time when several run at once ({@code together:}): the clock is set back to
     * the task's own time before it runs its next page. Events already run stay run.
     */
    public void setTaskTime(long t) {
        now = t;
    }
}
