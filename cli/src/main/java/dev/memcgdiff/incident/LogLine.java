package dev.memcgdiff.incident;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a kernel log with its prefix taken off: the 1-based line number in the file, the
 * host the prefix names (empty when it names none), the kernel's message text, and whether a
 * prefix was found. The prefixes recognised are the forms a kernel log is pasted in: the bare
 * {@code [sec.usec]} of dmesg, {@code dmesg -T}'s {@code [Mon Aug 29 12:47:59 2022]}, {@code dmesg
 * -x}'s {@code kern  :warn  :}, a raw {@code <4>} level, syslog's and journalctl's {@code Mon DD
 * HH:MM:SS host kernel:} (with an ISO date, a fraction or journalctl's {@code [sec.usec] host
 * kernel:} too), each possibly followed by the kernel's own {@code [sec.usec]}.
 */
public record LogLine(int number, String host, String text, boolean prefixed, String trailing) {
    private static final String KERNEL_TIME = "\\[\\s*\\d+\\.\\d+\\]";

    private static final List<Pattern> HOST_PREFIXES = List.of(
            // syslog / journalctl: "Aug 29 12:47:59 host kernel: ", "Aug 29 12:47:59.123456 host kernel: "
            Pattern.compile("^[A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)? +(\\S+) +kernel: ?(.*)$"),
            // ISO dates: "2022-08-29 12:47:59 host kernel: ", "2022-08-29T12:47:59.123+0800 host kernel: "
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?"
                    + " +(\\S+) +kernel: ?(.*)$"),
            // journalctl -o short-monotonic: "[16727300.618597] host kernel: "
            Pattern.compile("^" + KERNEL_TIME + " +(\\S+) +kernel: ?(.*)$"));

    private static final List<Pattern> PREFIXES = List.of(
            // dmesg -x: "kern  :warn  : "
            Pattern.compile("^(?:kern|user|mail|daemon|auth|syslog|lpr|news|cron|authpriv|ftp|local[0-7]) *:"
                    + "(?:emerg|alert|crit|err|warn|notice|info|debug) *: ?(.*)$"),
            // a raw level: "<4>"
            Pattern.compile("^<\\d>(.*)$"),
            // dmesg -T: "[Mon Aug 29 12:47:59 2022] "
            Pattern.compile("^\\[[A-Z][a-z]{2} [A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2} \\d{4}\\] ?(.*)$"),
            // dmesg: "[20148402.291616] "
            Pattern.compile("^" + KERNEL_TIME + " ?(.*)$"));

    /** The line as read from the file: prefixes removed, the host kept, trailing blanks and CR dropped. */
    public static LogLine of(int number, String raw) {
        String untrimmed = raw.replaceAll("[\\r\\n]+$", "");
        String line = untrimmed.stripTrailing();
        String trailing = untrimmed.substring(line.length());
        String host = "";
        boolean prefixed = false;
        for (Pattern p : HOST_PREFIXES) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                host = m.group(1);
                line = m.group(2);
                prefixed = true;
                break;
            }
        }
        // a dmesg -x facility, a level, then the kernel's time: each at most once, in this order
        for (Pattern p : PREFIXES) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                line = m.group(1);
                prefixed = true;
            }
        }
        return new LogLine(number, host, line, prefixed, trailing);
    }

    /**
     * The line joined with the continuation of a wrapped line: no separator, as it was cut
     * mid-token, but the blanks the cut left at the end of this line kept.
     */
    LogLine join(LogLine continuation) {
        String joined = text + trailing + continuation.text();
        return new LogLine(number, host, joined, prefixed, continuation.trailing());
    }
}
