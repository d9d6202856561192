package dev.memcgdiff.mm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One aggregated trace entry: every occurrence of one event text within one step, with the
 * numbers summed. {@code memcg} is the path of the memcg the decision was about, or null.
 *
 * @param step the step (-1: setup)
 * @param point what kind of decision
 * @param memcg the memcg it was about, or null
 * @param text the event in the kernel's words, as the golden text prints it
 * @param times how many times it happened in the step
 * @param numbers the summed numbers, by field name, in the order given
 */
public record TraceEvent(int step, TracePoint point, String memcg, String text, long times, Map<String, Long> numbers) {
    public TraceEvent {
        numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    /** A summed number; 0 when the event has no such field. */
    public long number(String field) {
        return numbers.getOrDefault(field, 0L);
    }

    /** The golden text line: {@code step N: TEXT xTIMES field=sum ...}; setup events say "setup". */
    public String line() {
        StringBuilder sb = new StringBuilder();
        sb.append(step < 0 ? "setup" : "step " + step).append(": ").append(text);
        if (times > 1) {
            sb.append(" x").append(times);
        }
        numbers.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
