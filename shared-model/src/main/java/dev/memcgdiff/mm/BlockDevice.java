package dev.memcgdiff.mm;

/**
 * A disk: requests are served one after another (a FIFO queue), each taking its transfer time at
 * the device's bandwidth plus a fixed latency. Reads and writes share the queue. The model keeps no
 * I/O scheduler, merging or parallelism inside the device.
 */
public final class BlockDevice {
    private final String name;
    private final long readBps;
    private final long writeBps;
    private final long latencyNs;
    /** When the device finishes what it has been given so far. */
    private long busyUntil;

    private long pagesRead;
    private long pagesWritten;

    public BlockDevice(String name, long readBps, long writeBps, long latencyNs) {
        this.name = name;
        this.readBps = readBps;
        this.writeBps = writeBps;
        this.latencyNs = latencyNs;
    }

    public String name() {
        return name;
    }

    public long writeBps() {
        return writeBps;
    }

    /** A write of {@code pages} pages submitted at {@code now}: the time it completes. */
    public long submitWrite(long now, long pages) {
        pagesWritten += pages;
        return serve(now, transferNs(pages, writeBps));
    }

    /** A read of {@code pages} pages submitted at {@code now}: the time it completes. */
    public long submitRead(long now, long pages) {
        pagesRead += pages;
        return serve(now, transferNs(pages, readBps));
    }

    private long serve(long now, long transfer) {
        long start = Math.max(now, busyUntil);
        busyUntil = start + transfer;
        return busyUntil + latencyNs;
    }

    /** The time to move {@code pages} pages at {@code bps} bytes per second, rounded up to a ns. */
    static long transferNs(long pages, long bps) {
        return (long) Math.ceil((double) pages * PAGE_BYTES * NANOS_PER_SECOND / bps);
    }

    public long pagesRead() {
        return pagesRead;
    }

    public long pagesWritten() {
        return pagesWritten;
    }

    private static final long PAGE_BYTES = 4096;
    private static final double NANOS_PER_SECOND = 1e9;
}
