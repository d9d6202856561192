package dev.memcgdiff.expect;

import dev.memcgdiff.scenario.Expectation;

/**
 * One expectation checked against one kernel's outcome: passed, failed, or not applicable (an
 * {@code all} expectation on a kernel that refused the scenario); what was seen and where.
 */
public record ExpectationResult(
        Expectation expectation, String kernel, Verdict verdict, String observed, String where) {
    public enum Verdict {
        PASSED,
        FAILED,
        NOT_APPLICABLE
    }

    public boolean failed() {
        return verdict == Verdict.FAILED;
    }

    /** e.g. {@code golden/x.yaml:12:7: "/pod memory.stat:cache >= 690M" failed on 4.18: saw 1234 (snapshot end)}. */
    public String message() {
        return expectation.pos() + ": \"" + expectation.text() + "\" "
                + verdict.name().toLowerCase(java.util.Locale.ROOT) + " on " + kernel + ": saw " + observed
                + (where == null ? "" : " (" + where + ")");
    }
}
