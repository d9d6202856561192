package dev.memcgdiff.scenario;

/**
 * One cgroup file write: its kernel file name, the text as written, and its value: bytes for a
 * size, the number for a plain number, {@link Sizes#MAX} for {@code max}.
 */
public record Knob(String name, String raw, long value, SourcePos pos) {
    public boolean isMax() {
        return value == Sizes.MAX;
    }
}
