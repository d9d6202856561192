package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The {@code expect:} map and the one-line grammar of each expectation. Everything an
 * expectation names (steps, cgroups, snapshot labels, kernels) is checked against the file, so a
 * typo fails when the file is read instead of as a puzzling mismatch after a run.
 */
final class ExpectationParser {
    static final String GRAMMAR =
            "unsupported | kills OP V | victim|pid|oom_memcg|task_memcg|constraint|limit|kill_step N OP V"
                    + " | step N OP V | step N elapsed OP D | time[@LABEL] OP D | /cgroup memory.FILE[:KEY][@LABEL] OP V"
                    + " | /proc/meminfo:KEY[@LABEL] OP V | /proc/vmstat:KEY[@LABEL] OP V"
                    + " | /proc/pressure/memory:KEY[@LABEL] OP V; OP: == != < <= > >=, or ~ TARGET PCT%"
                    + "; D: a duration (500us, 20ms, 3s, 2m)";
    static final String DURATION_RULE = "a duration: " + Durations.SYNTAX;
    static final String CHECK = "check";
    static final String KNOWN_GAP = "known-gap";
    static final String KNOWN_GAP_FORM =
            "{check: \"EXPECTATION\", known-gap: \"why, and where possible the docs/FIDELITY.md entry\"}";
    static final String REASON_RULE =
            "why the model fails the expectation, and where possible the docs/FIDELITY.md entry";
    static final String TIME = "time";
    static final String ELAPSED = "elapsed";
    static final String VALUE_RULE =
            "a size (690M), a whole number (may be negative) or a word of A-Z a-z 0-9 _ . / : -";

    private static final Map<String, String> KILL_FIELDS = Map.of(
            "victim",
            "victim",
            "pid",
            "pid",
            "oom_memcg",
            "oom_memcg",
            "task_memcg",
            "task_memcg",
            "constraint",
            "constraint",
            "limit",
            "limit",
            "kill_step",
            "step");
    private static final Pattern INDEX = Pattern.compile("[0-9]{1,9}");
    private static final Pattern CGROUP_FILE = Pattern.compile("memory\\.[a-z_.]+");
    private static final Pattern CGROUP_KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern HOST_KEY = Pattern.compile("[A-Za-z0-9_()]+");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern SIZE_LIKE = Pattern.compile("[0-9]+[KMGT]");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./:-]+");
    private static final Pattern NOT_WHOLE =
            Pattern.compile("-?[0-9]*\\.[0-9]+[KMGTkmgt]?|-?[0-9]+[kmgt]|-[0-9]+[KMGT]");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3}(?:\\.[0-9]{1,6})?)%");
    private static final Pattern LOWER_WORD = Pattern.compile("[a-z_]+");

    /** /proc/pressure/memory and cgroup v2's memory.pressure. */
    static final String PROC_PRESSURE = "/proc/pressure/memory";

    static final String MEMORY_PRESSURE = "memory.pressure";
    /** A pressure file's keys: a line (some, full) and a field of it. */
    static final List<String> PRESSURE_KEYS = List.of(
            "some_avg10",
            "some_avg60",
            "some_avg300",
            "some_total",
            "full_avg10",
            "full_avg60",
            "full_avg300",
            "full_total");

    private static final String PRESSURE_KEY_RULE =
            "a key " + String.join(", ", PRESSURE_KEYS) + " (avgN in percent, total in microseconds)";
    /** A pressure average as the file prints it: a percent with up to two decimals. */
    private static final Pattern PERCENT_VALUE = Pattern.compile("([0-9]{1,3})(?:\\.([0-9]{1,2}))?");

    private static final String PERCENT_VALUE_RULE =
            "a percent 0..100 with at most two decimals as the file prints it (63.18), or the word a failed read "
                    + "gives (EOPNOTSUPP, ENOENT)";

    private final Source source;
    private final List<String> kernels;
    private final int steps;
    private final Set<String> labels;
    private final Set<String> cgroups;
    private final CgroupInterface iface;
    private final boolean pressureRecorded;

    /** A failure inside one expectation; reported at the expectation's string. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        private final String allowed;

        Bad(String problem, String allowed) {
            super(problem, null, false, false);
            this.allowed = allowed;
        }
    }

    ExpectationParser(
            Source source,
            List<String> kernels,
            int steps,
            Set<String> labels,
            Set<String> cgroups,
            CgroupInterface iface,
            boolean pressureRecorded) {
        this.source = source;
        this.kernels = kernels;
        this.steps = steps;
        this.labels = labels;
        this.cgroups = cgroups;
        this.iface = iface;
        this.pressureRecorded = pressureRecorded;
    }

    List<Expectation> parse(Node node) throws ScenarioException {
        List<Expectation> out = new ArrayList<>();
        YamlMap map = YamlMap.of(
                source,
                node,
                "expect",
                null,
                "a map from \"all\" or a quoted kernel version (\"4.18\") to a list of expectations");
        for (YamlMap.Entry entry : map.entries()) {
            String kernel = kernelKey(entry);
            String listRule = "a list of expectation strings: " + GRAMMAR;
            if (!(entry.value() instanceof SequenceNode)) {
                throw source.error(
                        entry.value(),
                        "expect " + kernel + " must be a list, not " + Scalars.kind(entry.value()),
                        listRule);
            }
            List<Node> items = ((SequenceNode) entry.value()).getValue();
            for (Node item : items) {
                Expectation expectation = item instanceof MappingNode ? knownGap(kernel, item) : plain(kernel, item);
                if (expectation.lhs() instanceof Expectation.Observable.Unsupported && items.size() > 1) {
                    throw source.error(
                            item,
                            "unsupported must be the only expectation under " + kernel,
                            "unsupported alone, or a list without it");
                }
                out.add(expectation);
            }
        }
        return out;
    }

    /** An expectation written as a string. */
    private Expectation plain(String kernel, Node item) throws ScenarioException {
        String text = Scalars.text(
                source,
                item,
                "an expectation",
                "a list of expectation strings: " + GRAMMAR + "; a known gap: " + KNOWN_GAP_FORM);
        if (text.contains(KNOWN_GAP + ":")) {
            throw source.error(
                    item,
                    "a known gap is a map, not part of the expectation's text: " + KNOWN_GAP_FORM,
                    "an expectation string, or " + KNOWN_GAP_FORM);
        }
        return one(kernel, text, item);
    }

    /**
     * {@code {check: "EXPECTATION", known-gap: "why"}}: an expectation the model is known to fail
     * (a reason, where possible a docs/FIDELITY.md entry). It is checked every time like any
     * other; the verdict says whether the gap is still open.
     */
    private Expectation knownGap(String kernel, Node item) throws ScenarioException {
        YamlMap map = YamlMap.of(source, item, "a known gap", List.of(CHECK, KNOWN_GAP), KNOWN_GAP_FORM);
        Node check = map.require(CHECK, KNOWN_GAP_FORM);
        Node reasonNode = map.require(KNOWN_GAP, KNOWN_GAP_FORM);
        String reason = Scalars.text(source, reasonNode, KNOWN_GAP, REASON_RULE);
        if (reason.isBlank()) {
            throw source.error(reasonNode, "the known gap's reason is blank", REASON_RULE);
        }
        return plain(kernel, check).withKnownGap(reason.strip());
    }

    private String kernelKey(YamlMap.Entry entry) throws ScenarioException {
        String key = entry.key();
        String allowed = "all, or a quoted kernel version like \"4.18\""
                + (kernels.isEmpty() ? "" : " listed in kernels: " + String.join(", ", kernels));
        if (key.equals("all")) {
            return key;
        }
        if (Scalars.isUnquotedNumber(entry.keyNode())) {
            throw source.error(
                    entry.keyNode(),
                    "the kernel " + key + " must be quoted: \"" + key
                            + "\" (YAML reads it as a number, and 3.10 as 3.1)",
                    allowed);
        }
        if (!ScenarioParser.KERNEL.matcher(key).matches()) {
            throw source.error(entry.keyNode(), "unknown expect key " + Scalars.show(key), allowed);
        }
        if (!kernels.isEmpty() && !kernels.contains(key)) {
            throw source.error(entry.keyNode(), "kernel " + key + " is not in this scenario's kernels", allowed);
        }
        return key;
    }

    private Expectation one(String kernel, String text, Node node) throws ScenarioException {
        try {
            return parseText(kernel, text.trim().split("\\s+"), text, source.at(node));
        } catch (Bad bad) {
            throw source.error(node, "expectation " + Scalars.show(text) + ": " + bad.getMessage(), bad.allowed);
        }
    }

    private Expectation parseText(String kernel, String[] tokens, String text, SourcePos pos) throws Bad {
        String first = tokens[0];
        if (first.isEmpty()) {
            throw new Bad("it is empty", GRAMMAR);
        }
        if (first.equals("unsupported")) {
            if (tokens.length != 1) {
                throw new Bad("unsupported stands alone", "unsupported");
            }
            return new Expectation(kernel, text, new Expectation.Observable.Unsupported(), null, null, 0, pos);
        }
        Expectation.Observable lhs;
        int next;
        if (first.equals("kills")) {
            lhs = new Expectation.Observable.Kills();
            next = 1;
        } else if (KILL_FIELDS.containsKey(first)) {
            lhs = new Expectation.Observable.Kill(index(tokens, first, Integer.MAX_VALUE), KILL_FIELDS.get(first));
            next = 2;
        } else if (first.equals("step")) {
            int n = index(tokens, first, steps - 1);
            if (tokens.length > 2 && tokens[2].equals(ELAPSED)) {
                lhs = new Expectation.Observable.Elapsed(n);
                next = 3;
            } else if (tokens.length > 2 && LOWER_WORD.matcher(tokens[2]).matches()) {
                throw new Bad(
                        "unknown word " + Scalars.show(tokens[2]) + " after step " + n,
                        "step N OP V (the step's result), or step N elapsed OP D (how long it took)");
            } else {
                lhs = new Expectation.Observable.StepResult(n);
                next = 2;
            }
        } else if (first.equals(TIME) || first.startsWith(TIME + "@")) {
            if (first.equals(TIME)
                    && tokens.length > 1
                    && (labels.contains(tokens[1]) || tokens[1].equals(StepParser.END))) {
                throw new Bad("a label follows time with @ and no space: time@" + tokens[1], "time@LABEL OP D");
            }
            lhs = new Expectation.Observable.Time(label(splitLabel(first)[1]));
            next = 1;
        } else if (isHostFile(first)) {
            lhs = hostFile(first);
            next = 1;
        } else if (first.startsWith("/")) {
            lhs = cgroupFile(tokens);
            next = 2;
        } else {
            throw new Bad("unknown observable " + Scalars.show(first), GRAMMAR);
        }
        return comparison(kernel, text, pos, lhs, tokens, next);
    }

    private Expectation comparison(
            String kernel, String text, SourcePos pos, Expectation.Observable lhs, String[] tokens, int next)
            throws Bad {
        if (tokens.length <= next) {
            throw new Bad("an operator is missing", "OP: == != < <= > >=, or ~ TARGET PCT%");
        }
        Expectation.Op op = op(tokens[next]);
        if (tokens.length <= next + 1) {
            throw new Bad("the value after " + op.symbol() + " is missing", VALUE_RULE);
        }
        int end = next + 2;
        Expectation.Value value;
        if (!lhs.isTime() && isFileObservable(tokens, next + 1)) {
            Expectation.Observable rhs = fileObservable(tokens, next + 1);
            if (isPressureAvg(lhs) != isPressureAvg(rhs)) {
                throw new Bad(
                        "a pressure average compares only with a pressure average",
                        "avgN with avgN (percent), other files with other files");
            }
            value = new Expectation.Value(tokens[next + 1], null, rhs);
            end = next + 1 + (rhs instanceof Expectation.Observable.HostFile ? 1 : 2);
        } else {
            value = lhs.isTime()
                    ? duration(tokens[next + 1])
                    : isPressureAvg(lhs) ? percentValue(tokens[next + 1]) : value(tokens[next + 1]);
        }
        if (op != Expectation.Op.EQ && op != Expectation.Op.NE && !value.isNumber() && !value.isObservable()) {
            boolean duration = Durations.parse(value.raw()).ok();
            throw new Bad(
                    op.symbol() + " compares numbers, and " + Scalars.show(value.raw()) + " is not one"
                            + (duration ? " (durations compare only with step N elapsed and time@LABEL)" : ""),
                    "a size (690M) or a whole number");
        }
        double tolerance = 0;
        if (op == Expectation.Op.APPROX) {
            if (tokens.length <= end) {
                throw new Bad("~ needs a tolerance: ~ TARGET PCT%", "a percentage 0..100 like 3% or 2.5%");
            }
            tolerance = percent(tokens[end]);
            end++;
        }
        if (tokens.length > end) {
            throw new Bad("unexpected " + Scalars.show(tokens[end]) + " after the value", GRAMMAR);
        }
        return new Expectation(kernel, text, lhs, op, value, tolerance, pos);
    }

    /**
     * Whether a right-hand side names a file (a cgroup path followed by memory.FILE, or a host
     * file with its key) rather than a word such as a cgroup path ({@code oom_memcg 0 == /a}).
     */
    private static boolean isFileObservable(String[] tokens, int at) {
        String t = tokens[at];
        if (isHostFile(t)) {
            return t.contains(":");
        }
        return t.startsWith("/") && tokens.length > at + 1 && tokens[at + 1].startsWith("memory.");
    }

    /** A cgroup file or a host file starting at {@code tokens[at]}, as on the left-hand side. */
    private Expectation.Observable fileObservable(String[] tokens, int at) throws Bad {
        if (isHostFile(tokens[at])) {
            return hostFile(tokens[at]);
        }
        return cgroupFile(Arrays.copyOfRange(tokens, at, tokens.length));
    }

    private static int index(String[] tokens, String word, int max) throws Bad {
        String allowed = max < 0 ? "nothing: the scenario has no steps" : "a whole number 0.." + max;
        if (tokens.length < 2 || !INDEX.matcher(tokens[1]).matches()) {
            throw new Bad(word + " needs a number: " + word + " N", allowed);
        }
        int n = Integer.parseInt(tokens[1]);
        if (n > max) {
            throw new Bad(
                    word + " " + n + " is out of range" + (word.equals("step") ? " (steps count from 0)" : ""),
                    allowed);
        }
        return n;
    }

    private static boolean isHostFile(String token) {
        String file = token.split("[:@]", 2)[0];
        return file.equals("/proc/meminfo") || file.equals("/proc/vmstat") || file.equals(PROC_PRESSURE);
    }

    /** Whether the observable is an avgN of a pressure file (compared as a percent with two decimals). */
    private static boolean isPressureAvg(Expectation.Observable lhs) {
        String key = lhs instanceof Expectation.Observable.HostFile h
                        && h.file().equals(PROC_PRESSURE)
                ? h.key()
                : lhs instanceof Expectation.Observable.CgroupFile f && f.file().equals(MEMORY_PRESSURE)
                        ? f.key()
                        : null;
        return key != null && key.contains("_avg");
    }

    /** A pressure file's key, and the scenario must record pressure (write host.psi). */
    private String pressureKey(String file, String key) throws Bad {
        if (key == null || !PRESSURE_KEYS.contains(key)) {
            throw new Bad(
                    file + (key == null ? " needs a key" : " has no key " + Scalars.show(key)) + ": " + file + ":KEY",
                    PRESSURE_KEY_RULE);
        }
        if (!pressureRecorded) {
            throw new Bad(
                    file + " is recorded only when host.psi is written",
                    "psi: default (each kernel's own), true or false under host");
        }
        return key;
    }

    private Expectation.Observable hostFile(String token) throws Bad {
        String[] labelled = splitLabel(token);
        int colon = labelled[0].indexOf(':');
        String file = colon < 0 ? labelled[0] : labelled[0].substring(0, colon);
        String key = colon < 0 ? "" : labelled[0].substring(colon + 1);
        if (file.equals(PROC_PRESSURE)) {
            return new Expectation.Observable.HostFile(
                    file, pressureKey(file, colon < 0 ? null : key), label(labelled[1]));
        }
        if (!HOST_KEY.matcher(key).matches()) {
            throw new Bad(
                    file + " needs a key: " + file + ":KEY, KEY of A-Z a-z 0-9 _ ( )",
                    file + ":MemFree, " + "/proc/vmstat:pgscan_direct");
        }
        return new Expectation.Observable.HostFile(file, key, label(labelled[1]));
    }

    private Expectation.Observable cgroupFile(String[] tokens) throws Bad {
        String cgroup = tokens[0];
        String problem = PathRules.cgroupProblem(cgroup);
        if (problem != null) {
            throw new Bad(problem, PathRules.CGROUP_SYNTAX);
        }
        if (!cgroup.equals("/") && !cgroups.contains(cgroup)) {
            throw new Bad(
                    "the cgroup " + cgroup + " is not declared under cgroups", TaskParser.declaredCgroups(cgroups));
        }
        String fileRule = "memory.FILE[:KEY][@LABEL], like memory.current or memory.stat:cache@filled";
        if (tokens.length < 2) {
            throw new Bad("a cgroup file is missing after " + cgroup, fileRule);
        }
        String[] labelled = splitLabel(tokens[1]);
        int colon = labelled[0].indexOf(':');
        String file = colon < 0 ? labelled[0] : labelled[0].substring(0, colon);
        String key = colon < 0 ? null : labelled[0].substring(colon + 1);
        if (!CGROUP_FILE.matcher(file).matches()) {
            throw new Bad(Scalars.show(file) + " is not a memory cgroup file", fileRule);
        }
        if (file.equals(MEMORY_PRESSURE)) {
            if (iface != CgroupInterface.V2) {
                throw new Bad(
                        "memory.pressure is a cgroup v2 file",
                        "on cgroup v1, the system's pressure: " + PROC_PRESSURE + ":KEY");
            }
            key = pressureKey(file, key);
        }
        if (key != null && !CGROUP_KEY.matcher(key).matches()) {
            throw new Bad(
                    "the key " + Scalars.show(key) + " of " + file + " is not allowed",
                    "a key of A-Z a-z 0-9 _, like memory.stat:cache");
        }
        return new Expectation.Observable.CgroupFile(cgroup, file, key, label(labelled[1]));
    }

    /** {what, label}: label null when there is no @. */
    private static String[] splitLabel(String token) {
        int at = token.indexOf('@');
        return at < 0 ? new String[] {token, null} : new String[] {token.substring(0, at), token.substring(at + 1)};
    }

    /** A label named after @, or end (the state after the last step) when there is none. */
    private String label(String label) throws Bad {
        if (label == null || label.equals(StepParser.END)) {
            return StepParser.END;
        }
        String allowed = labels.isEmpty()
                ? "end (no snapshot step declares a label)"
                : "end, or a snapshot label: " + String.join(", ", labels);
        if (!labels.contains(label)) {
            throw new Bad("no snapshot step is labelled " + Scalars.show(label), allowed);
        }
        return label;
    }

    private static Expectation.Op op(String token) throws Bad {
        for (Expectation.Op op : Expectation.Op.values()) {
            if (op.symbol().equals(token)) {
                return op;
            }
        }
        throw new Bad("unknown operator " + Scalars.show(token), "== != < <= > >=, or ~ TARGET PCT%");
    }

    private static Expectation.Value value(String token) throws Bad {
        if (NEGATIVE.matcher(token).matches() || PLAIN_NUMBER.matcher(token).matches()) {
            try {
                return new Expectation.Value(token, Long.parseLong(token));
            } catch (NumberFormatException tooManyDigits) {
                throw new Bad("the number " + Scalars.show(token) + " is too large", VALUE_RULE);
            }
        }
        SizeParser.Parsed size = SizeParser.parse(token);
        if (size.ok()) {
            return new Expectation.Value(token, size.bytes());
        }
        if (NOT_WHOLE.matcher(token).matches()) {
            throw new Bad(
                    "the value " + Scalars.show(token) + " is not a whole number or size (no fractions, no "
                            + "negative sizes, suffixes K M G T in uppercase)",
                    VALUE_RULE);
        }
        if (SIZE_LIKE.matcher(token).matches()) {
            throw new Bad(size.problem(), VALUE_RULE);
        }
        if (!WORD.matcher(token).matches()) {
            throw new Bad("the value " + Scalars.show(token) + " is not allowed", VALUE_RULE);
        }
        return new Expectation.Value(token, null);
    }

    /**
     * The value of a pressure average: a percent with up to two decimals, as hundredths of a percent
     * (63.18 is 6318), or a word (the error of a failed read).
     */
    private static Expectation.Value percentValue(String token) throws Bad {
        Matcher m = PERCENT_VALUE.matcher(token);
        if (m.matches()) {
            String decimals = m.group(2) == null ? "" : m.group(2);
            long hundredths = Long.parseLong(m.group(1)) * 100
                    + (decimals.isEmpty() ? 0 : Long.parseLong(decimals) * (decimals.length() == 1 ? 10 : 1));
            if (hundredths > 10000) {
                throw new Bad("the percent " + token + " is over 100", PERCENT_VALUE_RULE);
            }
            return new Expectation.Value(token, hundredths);
        }
        if (token.matches("[A-Z]+")) {
            return new Expectation.Value(token, null);
        }
        throw new Bad("the value " + Scalars.show(token) + " is not a pressure percent", PERCENT_VALUE_RULE);
    }

    /** The value of a time observable: a duration, in nanoseconds. */
    private static Expectation.Value duration(String token) throws Bad {
        Durations.Parsed parsed = Durations.parse(token);
        if (!parsed.ok()) {
            throw new Bad(
                    "the value " + Scalars.show(token) + " is not a duration: " + parsed.problem(), DURATION_RULE);
        }
        return new Expectation.Value(token, parsed.nanos());
    }

    private static double percent(String token) throws Bad {
        String allowed = "a percentage 0..100 like 3% or 2.5%";
        Matcher m = PERCENT.matcher(token);
        if (!m.matches()) {
            throw new Bad("the tolerance " + Scalars.show(token) + " is not a percentage", allowed);
        }
        double pct = Double.parseDouble(m.group(1));
        if (pct > 100) {
            throw new Bad("the tolerance " + token + " is over 100%", allowed);
        }
        return pct;
    }
}
