package dev.memcgdiff.scenario;

import java.util.Objects;

/**
 * The machine: RAM and swap in bytes (multiples of 4 KiB), NUMA nodes, vm.min_free_kbytes
 * (-1 when absent: the kernel computes it), vm.swappiness and the THP mode; the CPUs, the disk
 * (and the swap disk, null when swap I/O goes to {@code disk}), the vm.dirty_* sysctls, the
 * filesystem of regular files and whether PSI is on.
 */
public record HostSpec(
        long memoryBytes,
        long swapBytes,
        int nodes,
        long minFreeKbytes,
        int swappiness,
        ThpMode thp,
        int cpus,
        Disk disk,
        Disk swapDisk,
        DirtySysctls dirty,
        Fs fs,
        Psi psi,
        SourcePos pos) {
    public static final int DEFAULT_CPUS = 4;

    public HostSpec {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(dirty, "dirty");
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(psi, "psi");
    }

    /** A host with the default CPUs, disk, sysctls, filesystem and PSI: the host of the format before time. */
    public HostSpec(
            long memoryBytes,
            long swapBytes,
            int nodes,
            long minFreeKbytes,
            int swappiness,
            ThpMode thp,
            SourcePos pos) {
        this(
                memoryBytes,
                swapBytes,
                nodes,
                minFreeKbytes,
                swappiness,
                thp,
                DEFAULT_CPUS,
                Disk.DEFAULT,
                null,
                DirtySysctls.DEFAULT,
                Fs.EXT4,
                Psi.UNSET,
                pos);
    }

    public long memoryPages() {
        return memoryBytes / Sizes.PAGE_SIZE;
    }

    public long swapPages() {
        return swapBytes / Sizes.PAGE_SIZE;
    }

    /** The device swap I/O goes to: {@code swapDisk}, or {@code disk} when the host has no separate one. */
    public Disk swapDevice() {
        return swapDisk != null ? swapDisk : disk;
    }

    /**
     * A block device: throughput in bytes per second for reads and for writes (both &gt; 0), and the
     * latency of each request in nanoseconds of the simulated clock.
     */
    public record Disk(long readBps, long writeBps, long latencyNs) {
        public static final long DEFAULT_READ_BPS = 500L << 20;
        public static final long DEFAULT_WRITE_BPS = 200L << 20;
        public static final long DEFAULT_LATENCY_NS = 100 * Durations.NANOS_PER_US;
        /** {@code {read: 500M, write: 200M, latency: 100us}}. */
        public static final Disk DEFAULT = new Disk(DEFAULT_READ_BPS, DEFAULT_WRITE_BPS, DEFAULT_LATENCY_NS);
    }

    /**
     * The vm.dirty_* sysctls as written. As in the kernel, a non-zero {@code bytes} replaces
     * {@code ratio} (and a non-zero {@code backgroundBytes} replaces {@code backgroundRatio}):
     * the kernel uses the bytes value when it is non-zero and the ratio only when the bytes value
     * is 0 (unset). Both values are kept; {@link #usesBytes()} and {@link #backgroundUsesBytes()}
     * say which one counts.
     */
    public record DirtySysctls(
            int ratio,
            int backgroundRatio,
            long bytes,
            long backgroundBytes,
            int expireCentisecs,
            int writebackCentisecs) {
        public static final int DEFAULT_RATIO = 20;
        public static final int DEFAULT_BACKGROUND_RATIO = 10;
        public static final int DEFAULT_EXPIRE_CENTISECS = 3000;
        public static final int DEFAULT_WRITEBACK_CENTISECS = 500;
        /** The kernels' defaults: ratios 20 and 10, bytes unset, expire 30 s, writeback every 5 s. */
        public static final DirtySysctls DEFAULT = new DirtySysctls(
                DEFAULT_RATIO, DEFAULT_BACKGROUND_RATIO, 0, 0, DEFAULT_EXPIRE_CENTISECS, DEFAULT_WRITEBACK_CENTISECS);

        /** vm.dirty_bytes is set, so vm.dirty_ratio is not used. */
        public boolean usesBytes() {
            return bytes != 0;
        }

        /** vm.dirty_background_bytes is set, so vm.dirty_background_ratio is not used. */
        public boolean backgroundUsesBytes() {
            return backgroundBytes != 0;
        }
    }

    /** The filesystem regular files (not tmpfs) live on. */
    public enum Fs {
        EXT4,
        XFS
    }

    /**
     * Pressure stall information: forced on ({@code psi: true}), forced off ({@code psi: false}),
     * or each kernel's own default ({@code psi: default}, or {@link #UNSET} when the file does not
     * write {@code psi}). The pressure files are part of the outcome only when {@code psi} is
     * written.
     */
    public enum Psi {
        ON,
        OFF,
        DEFAULT,
        /** Not written: each kernel's own default, and no pressure file is recorded. */
        UNSET;

        /** Whether the file writes {@code psi}, so the outcome records the pressure files. */
        public boolean recorded() {
            return this != UNSET;
        }
    }
}
