package dev.memcgdiff.outcome;

/**
 * What one step did: {@code result} is ok, enomem, killed, skipped, or the errno of a knob write
 * (ebusy, einval); {@code pages} is how many of its pages were done (0 for steps without a size).
 */
public record StepRecord(int index, String op, String task, String result, long pages) {
}
