package dev.memcgdiff.mm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision trace: why the outcome is what it is, in the kernel's words. A step can make
 * hundreds of thousands of identical decisions (one failed charge per 32 pages, one reclaim pass
 * each), so events are aggregated per step and per identical description, summing their numbers,
 * in the order each was first seen. One-off events (OOM kills, unsupported knobs) stand alone.
 */
public final class Trace {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int step = -1;

    private static final class Entry {
        final int step;
        final String what;
        final String[] fields;
        final long[] sums;
        long times;

        Entry(int step, String what, String[] fields) {
            this.step = step;
            this.what = what;
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
     * Count one occurrence of {@code what} with numbers to sum, e.g.
     * {@code add("try_to_free_mem_cgroup_pages /pod may_swap=0", new String[]{"scanned", "reclaimed"}, s, r)}.
     */
    public void add(String what, String[] fields, long... values) {
        String key = step + "\u0000" + what;
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(step, what, fields);
            entries.put(key, e);
        }
        e.times++;
        for (int i = 0; i < values.length; i++) {
            e.sums[i] += values[i];
        }
    }

    private static final String[] NO_FIELDS = new String[0];

    /** Count one occurrence of an event without numbers. */
    public void count(String what) {
        add(what, NO_FIELDS);
    }

    /** The trace as lines: {@code step N: WHAT xTIMES field=sum ...}; setup events say "setup". */
    public List<String> lines() {
        List<String> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            StringBuilder sb = new StringBuilder();
            sb.append(e.step < 0 ? "setup" : "step " + e.step).append(": ").append(e.what);
            if (e.times > 1) {
                sb.append(" x").append(e.times);
            }
            for (int i = 0; i < e.fields.length; i++) {
                sb.append(' ').append(e.fields[i]).append('=').append(e.sums[i]);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
