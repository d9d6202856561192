package dev.memcgdiff.expect;

import dev.memcgdiff.scenario.Expectation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One expectation checked against one kernel's outcome: passed, failed, or not applicable (an
 * {@code all} expectation on a kernel that refused the scenario); what was seen and where. An
 * expectation with a {@code known-gap:} marker that fails is a {@link Verdict#KNOWN_GAP} (reported,
 * not a failure); one that passes is a {@link Verdict#GAP_CLOSED}, a failure until the marker is
 * removed.
 */
public record ExpectationResult(
        Expectation expectation, String kernel, Verdict verdict, String observed, String where) {
    public enum Verdict {
        PASSED,
        FAILED,
        NOT_APPLICABLE,
        /** A known gap that is still open: the model fails the expectation, as its marker says. */
        KNOWN_GAP,
        /** A known gap the model now passes: the marker must be removed, so this is a failure. */
        GAP_CLOSED
    }

    /** Whether the result fails a build or a command: a failed expectation, or a closed known gap. */
    public boolean failed() {
        return verdict == Verdict.FAILED || verdict == Verdict.GAP_CLOSED;
    }

    /** Whether this is an open known gap. */
    public boolean knownGap() {
        return verdict == Verdict.KNOWN_GAP;
    }

    /**
     * e.g. {@code golden/x.yaml:12:7: "/pod memory.stat:cache >= 690M" failed on 4.18: saw 1234
     * (snapshot end)}; a known gap adds its reason, a closed one says to remove the marker.
     */
    public String message() {
        String head = expectation.pos() + ": \"" + expectation.text() + "\" ";
        String seen = ": saw " + observed + (where == null ? "" : " (" + where + ")");
        return switch (verdict) {
            case KNOWN_GAP ->
                head + "is a known gap on " + kernel + seen + "; known-gap: \"" + expectation.knownGap() + "\"";
            case GAP_CLOSED ->
                head + "passed on " + kernel + seen + ", but it is marked known-gap (\"" + expectation.knownGap()
                        + "\"): the gap is closed, remove the marker";
            default -> head + verdict.name().toLowerCase(Locale.ROOT) + " on " + kernel + seen;
        };
    }

    /**
     * The JSON form other tools read (the command's JSON, the known-gaps list of the report):
     * {@code {"expectation", "key", "at", "verdict", "observed", "where", "known_gap"}}; verdict is
     * passed, failed, not_applicable, known_gap or gap_closed; known_gap is the marker's reason or
     * null.
     */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expectation", expectation.text());
        m.put("key", expectation.kernel());
        m.put("at", expectation.pos().toString());
        m.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
        m.put("observed", observed);
        m.put("where", where);
        m.put("known_gap", expectation.knownGap());
        return m;
    }
}
