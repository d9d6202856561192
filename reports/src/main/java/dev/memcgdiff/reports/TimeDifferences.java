package dev.memcgdiff.reports;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the kernels differ in time, in one sentence written from their outcomes: the step whose
 * elapsed time differs most between kernels (with what the slower kernels spent it on, from
 * their trace: balance_dirty_pages pauses, writeback waits, memory.high penalties, or the step's
 * result), and each kernel's OOM kills with their times when those differ. For example: "In time:
 * step 2 (write dd) takes 12.4 s on 5.18 (balance_dirty_pages pauses), 812 ms on 3.10 and 4.18;
 * 4.18 OOM-kills cp at 3.1 s, 3.10 and 5.18 kill nobody."
 *
 * <p>A step's times matter when the slowest kernel takes at least {@value #STEP_RATIO}× the
 * fastest and at least 1 ms more; kills matter when the kernels kill different tasks or the same
 * kill happens at times {@value #KILL_RATIO}× and 1 ms apart. Nothing to say: null.
 */
public final class TimeDifferences {
    static final double STEP_RATIO = 1.25;
    static final double KILL_RATIO = 1.1;
    private static final long MIN_NS = Units.MS;

    private TimeDifferences() {}

    /** The sentence for one scenario's outcomes, or null when their times do not differ where it matters. */
    public static String sentence(List<Outcome> outcomes) {
        List<Outcome> ran = outcomes.stream().filter(Outcome::supported).toList();
        if (ran.size() < 2) {
            return null;
        }
        List<String> clauses = new ArrayList<>();
        String steps = steps(ran);
        if (steps != null) {
            clauses.add(steps);
        }
        String kills = kills(ran);
        if (kills != null) {
            clauses.add(kills);
        }
        return clauses.isEmpty() ? null : "In time: " + String.join("; ", clauses) + ".";
    }

    /** The step with the largest difference in elapsed time, if it matters. */
    private static String steps(List<Outcome> ran) {
        int n = ran.stream().mapToInt(o -> o.steps().size()).min().orElse(0);
        int best = -1;
        long bestGap = 0;
        for (int i = 0; i < n; i++) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (Outcome o : ran) {
                long e = o.steps().get(i).elapsedNs();
                min = Math.min(min, e);
                max = Math.max(max, e);
            }
            if (max - min >= MIN_NS && max >= STEP_RATIO * min && max - min > bestGap) {
                best = i;
                bestGap = max - min;
            }
        }
        if (best < 0) {
            return null;
        }
        StepRecord first = ran.get(0).steps().get(best);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<Outcome> bySlowest = new ArrayList<>(ran);
        int step = best;
        bySlowest.sort((a, b) -> Long.compare(
                b.steps().get(step).elapsedNs(), a.steps().get(step).elapsedNs()));
        for (Outcome o : bySlowest) {
            StepRecord s = o.steps().get(best);
            String cause = cause(o, s);
            String key = Units.duration(s.elapsedNs()) + "\u0000" + cause;
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(o.kernel());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            String[] kc = g.getKey().split("\u0000", -1);
            String time = kc[0].equals("0") ? "no time" : kc[0];
            parts.add(time + " on " + and(g.getValue()) + (kc[1].isEmpty() ? "" : " (" + kc[1] + ")"));
        }
        return "step " + first.index() + " (" + name(first) + ") takes " + String.join(", ", parts);
    }

    /** "write dd", "together dd, cp", "sleep". */
    static String name(StepRecord s) {
        if (!s.inner().isEmpty()) {
            return s.op() + " "
                    + String.join(", ", s.inner().stream().map(StepRecord::task).toList());
        }
        return s.op() + (s.task() == null ? "" : " " + s.task());
    }

    /** What a kernel's step spent its time on, as far as the outcome says: its result, throttling, waits. */
    private static String cause(Outcome o, StepRecord s) {
        List<String> out = new ArrayList<>();
        if (!s.result().equals("ok")) {
            out.add(s.result());
        }
        boolean throttled = false;
        boolean waited = false;
        boolean penalty = false;
        for (TraceEvent e : o.events()) {
            if (e.step() != s.index()) {
                continue;
            }
            String f = e.point().function();
            throttled |= f.equals("balance_dirty_pages");
            waited |= f.equals("wait_on_page_writeback");
            penalty |= f.equals("mem_cgroup_handle_over_high")
                    && e.point().decision().contains("sleep");
        }
        if (throttled) {
            out.add("balance_dirty_pages pauses");
        }
        if (waited) {
            out.add("waits on writeback");
        }
        if (penalty) {
            out.add("memory.high penalty");
        }
        return String.join(", ", out);
    }

    /** Each kernel's kills, when the kernels kill different tasks or at clearly different times. */
    private static String kills(List<Outcome> ran) {
        boolean differ = false;
        List<String> victims0 = victims(ran.get(0));
        for (Outcome o : ran) {
            if (!victims(o).equals(victims0)) {
                differ = true;
            }
        }
        if (!differ && !victims0.isEmpty()) {
            for (int i = 0; i < victims0.size(); i++) {
                long min = Long.MAX_VALUE;
                long max = 0;
                for (Outcome o : ran) {
                    long t = killTimes(o).get(i);
                    min = Math.min(min, t);
                    max = Math.max(max, t);
                }
                if (min >= 0 && max - min >= MIN_NS && max >= KILL_RATIO * min) {
                    differ = true;
                }
            }
        }
        if (!differ) {
            return null;
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Outcome o : ran) {
            groups.computeIfAbsent(killText(o), x -> new ArrayList<>()).add(o.kernel());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            boolean one = g.getValue().size() == 1;
            String text = g.getKey().isEmpty()
                    ? (one ? "kills nobody" : "kill nobody")
                    : (one ? "OOM-kills " : "OOM-kill ") + g.getKey();
            parts.add(and(g.getValue()) + " " + text);
        }
        return String.join(", ", parts);
    }

    private static List<String> victims(Outcome o) {
        return o.oomKills().stream().map(OomKillRecord::victim).toList();
    }

    /** The kills' times from the samples; -1 for a kill the run did not sample. */
    private static List<Long> killTimes(Outcome o) {
        List<TimeSamples.Kill> sampled = o.samples().kills();
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < o.oomKills().size(); i++) {
            out.add(i < sampled.size() ? sampled.get(i).time() : -1L);
        }
        return out;
    }

    /** "java at 3.1 s", "java at 3.1 s and bash at 4 s", up to three, then how many more; "" for none. */
    private static String killText(Outcome o) {
        List<OomKillRecord> kills = o.oomKills();
        List<Long> times = killTimes(o);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < Math.min(3, kills.size()); i++) {
            items.add(kills.get(i).victim()
                    + (times.get(i) >= 0
                            ? " at " + Units.duration(times.get(i))
                            : " in step " + kills.get(i).step()));
        }
        if (kills.size() > 3) {
            items.add((kills.size() - 3) + " more");
        }
        return and(items);
    }

    /** "a", "a and b", "a, b and c". */
    static String and(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
