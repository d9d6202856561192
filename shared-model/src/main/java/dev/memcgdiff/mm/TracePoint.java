package dev.memcgdiff.mm;

/**
 * A kind of decision the trace records: the kernel function that makes it and what it decided,
 * for example {@code new TracePoint("get_scan_count", "SCAN_FRACT")}. Tests count and inspect
 * events by point, never by the rendered text. Each module declares its points as constants in
 * a class named {@code TracePoints}.
 */
public record TracePoint(String function, String decision) {
    @Override
    public String toString() {
        return function + "/" + decision;
    }
}
