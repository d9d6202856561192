package dev.memcgdiff.scenario;

/**
 * The machine: RAM and swap in bytes (multiples of 4 KiB), NUMA nodes, vm.min_free_kbytes
 * (-1 when absent: the kernel computes it), vm.swappiness and the THP mode.
 */
public record HostSpec(long memoryBytes, long swapBytes, int nodes, long minFreeKbytes, int swappiness,
                       ThpMode thp, SourcePos pos) {
    public long memoryPages() {
        return memoryBytes / Sizes.PAGE_SIZE;
    }

    public long swapPages() {
        return swapBytes / Sizes.PAGE_SIZE;
    }
}
