package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockDeviceTest {
    /** 200 MiB/s: a 4 MiB chunk (1024 pages) takes 20 ms; the latency comes on top. */
    @Test
    void aWriteTakesItsTransferTimeAtTheBandwidthPlusTheLatency() {
        BlockDevice disk = new BlockDevice("disk", 500L << 20, 200L << 20, 100_000);
        assertThat(disk.submitWrite(0, 1024)).isEqualTo(20_000_000 + 100_000);
    }

    @Test
    void requestsQueueBehindEachOther() {
        BlockDevice disk = new BlockDevice("disk", 500L << 20, 200L << 20, 100_000);
        long first = disk.submitWrite(0, 1024);
        long second = disk.submitWrite(0, 1024);
        assertThat(second - first).isEqualTo(20_000_000);
        assertThat(disk.submitWrite(100_000_000, 1024))
                .as("an idle disk starts at once")
                .isEqualTo(120_100_000);
        assertThat(disk.pagesWritten()).isEqualTo(3072);
    }

    @Test
    void readsUseTheReadBandwidth() {
        BlockDevice disk = new BlockDevice("disk", 512L << 20, 200L << 20, 0);
        assertThat(disk.submitRead(0, 128)).isEqualTo(976_563); // 512 KiB at 512 MiB/s: 1/1024 s, rounded up
    }
}
