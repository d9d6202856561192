package dev.memcgdiff.mm;

import dev.memcgdiff.mm.memcg.MemCgroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision trace: why the outcome is what it is, in the kernel's words. Every event has a
 * {@link TracePoint} (the function and its decision), the memcg it concerns, and its text. A step
 * can make hundreds of thousands of identical decisions (one failed charge per 32 pages, one
 * reclaim pass each), so events are aggregated per step and per identical text, summing their
 * numbers, in the order each was first seen.
 */
public final class Trace {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int step = -1;

    private static final class Entry {
        final int step;
        final TracePoint point;
        final String memcg;
        final String text;
        final String[] fields;
        final long[] sums;
        long times;

        Entry(int step, TracePoint point, String memcg, String text, String[] fields) {
            this.step = step;
            this.point = point;
            this.memcg = memcg;
            this.text = text;
            this.fields = fields;
            this.sums = new long[fields.length];
        }
    }

    /** The step the following events belong to (-1: setup, before the first step). */
    public void setStep(int step) {
        this.step = step;
    }

    public int step() {
        return step;
    }

    /**
     * Count one occurrence of an event with numbers to sum, e.g.
     * {@code add(SHRINK_LRUVEC, memcg, "shrink_lruvec /pod (kswapd)", new String[]{"scanned"}, s)}.
     */
    public void add(TracePoint point, MemCgroup memcg, String text, String[] fields, long... values) {
        String key = step + "\u0000" + text;
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(step, point, memcg == null ? null : memcg.path(), text, fields);
            entries.put(key, e);
        }
        e.times++;
        for (int i = 0; i < values.length; i++) {
            e.sums[i] += values[i];
        }
    }

    private static final String[] NO_FIELDS = new String[0];

    /** Count one occurrence of an event without numbers. */
    public void count(TracePoint point, MemCgroup memcg, String text) {
        add(point, memcg, text, NO_FIELDS);
    }

    /** The events, in the order each was first seen. */
    public List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            Map<String, Long> numbers = new LinkedHashMap<>();
            for (int i = 0; i < e.fields.length; i++) {
                numbers.put(e.fields[i], e.sums[i]);
            }
            out.add(new TraceEvent(e.step, e.point, e.memcg, e.text, e.times, numbers));
        }
        return out;
    }

    /** The trace as golden text lines (see {@link TraceEvent#line()}). */
    public List<String> lines() {
        List<String> out = new ArrayList<>(entries.size());
        for (TraceEvent e : events()) {
            out.add(e.line());
        }
        return out;
    }

    /** The events of one point (for tests and reports). */
    public static List<TraceEvent> of(List<TraceEvent> events, TracePoint point) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.point().equals(point)) {
                out.add(e);
            }
        }
        return out;
    }

    /** How many times events of one point happened, summed over their texts. */
    public static long times(List<TraceEvent> events, TracePoint point) {
        long n = 0;
        for (TraceEvent e : of(events, point)) {
            n += e.times();
        }
        return n;
    }
}
