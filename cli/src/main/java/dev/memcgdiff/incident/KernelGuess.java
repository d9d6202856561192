package dev.memcgdiff.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which modelled kernel an OOM report comes from, and why: the release in the report's CPU line
 * when there is one (3.x to the 3.10 module, 4.x to 4.18, 5.x and 6.x to 5.18, the nearest each
 * time), else the printk formats, which changed at known versions:
 *
 * <ul>
 *   <li>{@code gfp_mask=0x%x} without the flag names: before 4.6 (mm/oom_kill.c:dump_header
 *       (3.10.0-1160) prints "gfp_mask=0x%x");
 *   <li>"Killed process %d (%s), UID %d," and "or sacrifice child": RHEL 7's 3.10
 *       (mm/oom_kill.c:oom_kill_process (3.10.0-1160));
 *   <li>"Task in ... killed as a result of limit of" with "Memory cgroup out of memory: Killed
 *       process" and no "sacrifice child": RHEL 8.1's hybrid (mm/memcontrol.c:mem_cgroup_print_oom_info
 *       and mm/oom_kill.c:__oom_kill_process (4.18.0-147));
 *   <li>the "oom-kill:constraint=" summary, "Tasks state (memory values in pages)", a "swap:"
 *       counter or memory.stat lines in bytes: 4.19 and later (mm/oom_kill.c:dump_oom_summary
 *       (5.18), mm/memcontrol.c:mem_cgroup_print_oom_meminfo (5.18)).
 * </ul>
 *
 * Failing both, a counter pattern only 3.10 shows (memory failcnt above 0 with memsw failcnt 0
 * and memsw at its limit: 3.10 charges memory before memsw, mm/memcontrol.c:mem_cgroup_do_charge
 * (3.10.0-1160)) says 3.10; otherwise 4.18, the incidents' kernel, is assumed and said so.
 */
public record KernelGuess(String module, String release, List<String> reasons, boolean inferred) {
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** The modelled kernels' releases as refs cite them. */
    static String citedRelease(String module) {
        return switch (module) {
            case "3.10" -> "3.10.0-1160";
            case "4.18" -> "4.18.0-147";
            default -> "5.18";
        };
    }

    public static KernelGuess of(IncidentReport r) {
        List<String> reasons = new ArrayList<>();
        String release = r.release();
        if (release != null) {
            Matcher m = RELEASE.matcher(release);
            if (m.lookingAt()) {
                int major = ReportParser.intNum(m.group(1));
                int minor = ReportParser.intNum(m.group(2));
                String module = major <= 3 ? "3.10" : major == 4 ? "4.18" : "5.18";
                String why = "the CPU line names release " + release;
                if (module.equals("4.18") && !release.contains(".el8")) {
                    why += "; the 4.18 module is RHEL 8.1 (4.18.0-147), whose memcg OOM kills from any charge as 4.19 "
                            + "does, where upstream 4.15-4.18 kill only at the end of a page fault";
                } else if (module.equals("5.18") && (major > 5 || minor != 18)) {
                    why += "; 5.18 is the nearest modelled kernel";
                } else if (module.equals("3.10") && !release.contains(".el7")) {
                    why += "; the 3.10 module is RHEL 7.9 (3.10.0-1160)";
                }
                reasons.add(why);
                return new KernelGuess(module, release, reasons, false);
            }
        }
        List<String> f = r.features();
        if (f.contains("oom-kill summary line")
                || f.contains("memory.stat lines in bytes")
                || r.counter("swap") != null
                || f.contains("Killed process with UID, pgtables and oom_score_adj")) {
            reasons.add("no release line; the report has 4.19+ formats ("
                    + String.join(
                            ", ",
                            f.stream()
                                    .filter(x -> x.equals("oom-kill summary line")
                                            || x.equals("memory.stat lines in bytes")
                                            || x.startsWith("Killed process with UID"))
                                    .toList())
                    + (r.counter("swap") != null ? ", a swap: counter" : "")
                    + "): the 5.18 module");
            return new KernelGuess("5.18", null, reasons, true);
        }
        if (f.contains("gfp_mask without flags")
                || f.contains("Killed process with \", UID\"")
                || "nr_ptes".equals(r.taskTableColumn)) {
            reasons.add("no release line; the report has 3.10's formats (gfp_mask without flag names, \"Killed "
                    + "process ..., UID\" or the nr_ptes column): the 3.10 module");
            return new KernelGuess("3.10", null, reasons, true);
        }
        IncidentReport.Counter mem = r.counter("memory");
        IncidentReport.Counter memsw = r.counter("memory+swap");
        if (mem != null
                && memsw != null
                && memsw.limitBytes() != null
                && mem.failcnt() > 0
                && memsw.failcnt() == 0
                && memsw.usageBytes() >= memsw.limitBytes()) {
            reasons.add("no release line; memory failcnt > 0 with memory+swap failcnt 0 at its limit, a pattern only "
                    + "3.10 shows (it charges memory before memory+swap): the 3.10 module");
            return new KernelGuess("3.10", null, reasons, true);
        }
        if (!r.chosen().isEmpty() && !r.killed().isEmpty() && r.killed().get(0).message() == null) {
            reasons.add("no release line; \"Kill process ... or sacrifice child\" then \"Killed process\" without a "
                    + "message: upstream 4.x before 4.19, nearest module 4.18");
            return new KernelGuess("4.18", null, reasons, true);
        }
        reasons.add("no release line and no format that only one kernel prints: 4.18 (RHEL 8.1) assumed, the kernel "
                + "of golden/incidents; " + describe(f));
        return new KernelGuess("4.18", null, reasons, true);
    }

    private static String describe(List<String> features) {
        return features.isEmpty() ? "no format feature seen" : "formats seen: " + String.join(", ", features);
    }
}
