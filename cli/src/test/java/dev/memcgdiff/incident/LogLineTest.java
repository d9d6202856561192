package dev.memcgdiff.incident;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The prefixes a kernel log is pasted with, each taken off the same message. */
class LogLineTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[20148402.291616] memory: usage 1kB, limit 2kB, failcnt 0|",
                "[    5.000001] memory: usage 1kB, limit 2kB, failcnt 0|",
                "[Mon Aug 29 12:47:59 2022] memory: usage 1kB, limit 2kB, failcnt 0|",
                "kern  :warn  : [  120.5] memory: usage 1kB, limit 2kB, failcnt 0|",
                "<4>[  120.5] memory: usage 1kB, limit 2kB, failcnt 0|",
                "Aug 29 12:47:59 node-7 kernel: memory: usage 1kB, limit 2kB, failcnt 0|node-7",
                "Aug  9 12:47:59.123456 node-7 kernel: [ 120.5] memory: usage 1kB, limit 2kB, failcnt 0|node-7",
                "2022-08-29 12:47:59 node-7 kernel: [16727300.618597] memory: usage 1kB, limit 2kB, failcnt 0|node-7",
                "2024-03-03T10:15:02.123456+01:00 db-1 kernel: memory: usage 1kB, limit 2kB, failcnt 0|db-1",
                "[16727300.618597] db-1 kernel: memory: usage 1kB, limit 2kB, failcnt 0|db-1",
            })
    void everyPrefixGoesAndTheHostStays(String raw, String host) {
        LogLine l = LogLine.of(7, raw);

        assertThat(l.text()).isEqualTo("memory: usage 1kB, limit 2kB, failcnt 0");
        assertThat(l.host()).isEqualTo(host == null ? "" : host);
        assertThat(l.prefixed()).isTrue();
        assertThat(l.number()).isEqualTo(7);
    }

    @Test
    void aStackFrameKeepsItsIndentAndALineWithoutPrefixIsKeptWhole() {
        assertThat(LogLine.of(1, "[  1.0]  dump_stack+0x5c/0x80").text()).isEqualTo(" dump_stack+0x5c/0x80");
        LogLine bare = LogLine.of(2, "oom_reaper: reaped process 1 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
        assertThat(bare.prefixed()).isFalse();
        assertThat(bare.text()).startsWith("oom_reaper: ");
        // a message that looks like a facility is not one
        assertThat(LogLine.of(3, "memory: usage 1kB").text()).isEqualTo("memory: usage 1kB");
    }

    @Test
    void aWrappedLineKeepsTheBlankItWasCutAt() {
        LogLine head = LogLine.of(1, "[ 1.0] Task in /a killed as a result of limit of \r");
        LogLine tail = LogLine.of(2, "/a");

        assertThat(head.text()).endsWith("limit of");
        assertThat(head.join(tail).text()).isEqualTo("Task in /a killed as a result of limit of /a");
    }
}
