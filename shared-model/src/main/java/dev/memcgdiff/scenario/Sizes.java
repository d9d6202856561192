package dev.memcgdiff.scenario;

/** Size arithmetic shared by the parser and the model: 4 KiB pages, binary suffixes. */
public final class Sizes {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** The value of a knob written as {@code max}. */
    public static final long MAX = Long.MAX_VALUE;

    private Sizes() {}

    /** Bytes rounded up to whole pages. */
    public static long pages(long bytes) {
        return (bytes + PAGE_SIZE - 1) >>> PAGE_SHIFT;
    }

    public static long bytes(long pages) {
        return pages << PAGE_SHIFT;
    }
}
