package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static dev.memcgdiff.scenario.ScenarioErrorCase.expect;
import static dev.memcgdiff.scenario.ScenarioErrorCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken expectations. Every file is ScenarioErrorCase.expect: two steps (anon, snapshot s1),
 * cgroups /a and /a/b, and the expect lines from line 14. Errors in a string point at the string.
 */
class ExpectationErrorTest {
    private static String all(String expectation) {
        return expect("  all: [\"" + expectation + "\"]");
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                of(
                        "unquoted kernel",
                        expect("  5.18: [\"kills == 0\"]"),
                        14,
                        3,
                        "the kernel 5.18 must be quoted: \"5.18\" (YAML reads it as a number, and 3.10 as 3.1)",
                        "all, or a quoted kernel version like \"4.18\""),
                of(
                        "unknown key",
                        expect("  every: [\"kills == 0\"]"),
                        14,
                        3,
                        "unknown expect key \"every\"",
                        "all, or a quoted kernel version"),
                of(
                        "kernel outside kernels",
                        doc(
                                "name: t",
                                "kernels: [\"4.18\"]",
                                "host: {memory: 1G}",
                                "cgroup: v1",
                                "tasks: {}",
                                "steps: [{host: {size: 1M}}]",
                                "expect:",
                                "  \"5.18\": [\"kills == 0\"]"),
                        8,
                        3,
                        "kernel 5.18 is not in this scenario's kernels",
                        "listed in kernels: 4.18"),
                of(
                        "all twice",
                        expect("  all: [\"kills == 0\"]", "  all: [\"kills == 1\"]"),
                        15,
                        3,
                        "duplicate key \"all\" in expect (first at line 14)",
                        "each key once"),
                of(
                        "not a list",
                        expect("  all: kills == 0"),
                        14,
                        8,
                        "expect all must be a list, not a single value",
                        "a list of expectation strings"),
                of(
                        "expect a list",
                        doc(
                                "name: t",
                                "host: {memory: 1G}",
                                "cgroup: v1",
                                "tasks: {}",
                                "steps: [{host: {size: 1M}}]",
                                "expect: [\"kills == 0\"]"),
                        6,
                        9,
                        "expect must be a map, not a list",
                        "a map from \"all\" or a quoted kernel version"),
                of(
                        "nested list",
                        expect("  all: [[kills, ==, 0]]"),
                        14,
                        9,
                        "an expectation must be a single value, not a list",
                        "a list of expectation strings"),
                of(
                        "unsupported with others",
                        expect("  \"4.18\": [unsupported, \"kills == 0\"]"),
                        14,
                        12,
                        "unsupported must be the only expectation under 4.18",
                        "unsupported alone"),
                of(
                        "block list item",
                        expect("  all:", "    - \"kills = 1\""),
                        15,
                        7,
                        "expectation \"kills = 1\": unknown operator \"=\"",
                        "== != < <= > >=, or ~ TARGET PCT%"));
    }

    static Stream<Arguments> grammar() {
        return Stream.of(
                of("empty", all(""), 14, 9, "expectation \"\": it is empty", "unsupported | kills OP V"),
                of(
                        "unsupported with words",
                        all("unsupported on 3.10"),
                        14,
                        9,
                        "unsupported stands alone",
                        "unsupported"),
                of(
                        "unknown observable",
                        all("oom == 1"),
                        14,
                        9,
                        "unknown observable \"oom\"",
                        "unsupported | kills OP V | victim|pid|oom_memcg|task_memcg|constraint|limit|kill_step N OP V"),
                of(
                        "step out of range",
                        all("step 2 == ok"),
                        14,
                        9,
                        "step 2 is out of range (steps count from 0)",
                        "a whole number 0..1"),
                of(
                        "victim without index",
                        all("victim == b"),
                        14,
                        9,
                        "victim needs a number: victim N",
                        "a whole number 0..2147483647"),
                of("kill_step without index", all("kill_step x == 0"), 14, 9, "kill_step needs a number", "0.."),
                of(
                        "undeclared cgroup",
                        all("/z memory.current == 0"),
                        14,
                        9,
                        "the cgroup /z is not declared under cgroups",
                        "/, /a, /a/b"),
                of(
                        "malformed cgroup",
                        all("/a/ memory.current == 0"),
                        14,
                        9,
                        "the cgroup path \"/a/\" ends with /",
                        "an absolute path"),
                of(
                        "not a memory file",
                        all("/a mem.current == 0"),
                        14,
                        9,
                        "\"mem.current\" is not a memory cgroup file",
                        "memory.FILE[:KEY][@LABEL]"),
                of(
                        "bad key",
                        all("/a memory.stat:in-active == 0"),
                        14,
                        9,
                        "the key \"in-active\" of memory.stat is not allowed",
                        "a key of A-Z a-z 0-9 _"),
                of(
                        "undeclared label",
                        all("/a memory.current@later == 0"),
                        14,
                        9,
                        "no snapshot step is labelled \"later\"",
                        "end, or a snapshot label: s1"),
                of(
                        "cgroup without file",
                        all("/a"),
                        14,
                        9,
                        "a cgroup file is missing after /a",
                        "memory.FILE[:KEY][@LABEL]"),
                of(
                        "meminfo without key",
                        all("/proc/meminfo >= 1M"),
                        14,
                        9,
                        "/proc/meminfo needs a key",
                        "/proc/meminfo:MemFree"),
                of(
                        "vmstat undeclared label",
                        all("/proc/vmstat:pgscan_direct@x > 0"),
                        14,
                        9,
                        "no snapshot step is labelled \"x\"",
                        "end, or a snapshot label: s1"),
                of("operator missing", all("kills"), 14, 9, "an operator is missing", "OP: == != < <= > >="),
                of("single =", all("kills = 1"), 14, 9, "unknown operator \"=\"", "== != < <= > >=, or ~ TARGET PCT%"),
                of("value missing", all("kills =="), 14, 9, "the value after == is missing", "a size (690M)"),
                of(
                        "word compared by >",
                        all("victim 0 > b"),
                        14,
                        9,
                        "> compares numbers, and \"b\" is not one",
                        "a size (690M) or a whole number"),
                of("word compared by ~", all("victim 0 ~ b 5%"), 14, 9, "~ compares numbers", "a whole number"),
                of(
                        "tolerance missing",
                        all("kills ~ 5"),
                        14,
                        9,
                        "~ needs a tolerance: ~ TARGET PCT%",
                        "a percentage 0..100"),
                of(
                        "tolerance over 100",
                        all("kills ~ 5 101%"),
                        14,
                        9,
                        "the tolerance 101% is over 100%",
                        "a percentage 0..100"),
                of(
                        "tolerance without %",
                        all("kills ~ 5 3"), 14, 9, "the tolerance \"3\" is not a percentage", "like 3% or 2.5%"),
                of(
                        "trailing words",
                        all("kills == 1 2"),
                        14,
                        9,
                        "unexpected \"2\" after the value",
                        "unsupported | kills OP V"),
                of(
                        "lowercase size",
                        all("/a memory.current >= 4g"),
                        14,
                        9,
                        "the value \"4g\" is not a whole number or size",
                        "a size (690M), a whole number"),
                of(
                        "fraction",
                        all("/a memory.current >= 1.5G"),
                        14,
                        9,
                        "the value \"1.5G\" is not a whole number",
                        "a size (690M)"),
                of(
                        "huge number",
                        all("kills == 99999999999999999999"),
                        14,
                        9,
                        "the number \"99999999999999999999\" is too large",
                        "a size (690M)"),
                of(
                        "huge size",
                        all("kills == 9999999999T"),
                        14,
                        9,
                        "the size \"9999999999T\" is too large",
                        "a size (690M)"),
                of(
                        "strange value",
                        all("victim 0 == $$"),
                        14,
                        9,
                        "the value \"$$\" is not allowed",
                        "a word of A-Z a-z 0-9 _ . / : -"));
    }

    static Stream<Arguments> time() {
        return Stream.of(
                of(
                        "elapsed without unit",
                        all("step 0 elapsed >= 2"),
                        14,
                        9,
                        "the value \"2\" is not a duration: a duration needs a unit: write 2s, 2ms or 2us, not 2",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed fraction",
                        all("step 0 elapsed >= 1.5s"),
                        14,
                        9,
                        "the value \"1.5s\" is not a duration: a duration is a whole number",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed a word",
                        all("step 0 elapsed == ok"),
                        14,
                        9,
                        "the value \"ok\" is not a duration: \"ok\" is not a duration",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed in hours",
                        all("step 0 elapsed < 1h"),
                        14,
                        9,
                        "hours are not a unit: write minutes (1h = 60m)",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed negative",
                        all("step 0 elapsed > -1s"),
                        14,
                        9,
                        "a duration cannot be negative: \"-1s\"",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed a size",
                        all("step 0 elapsed <= 2M"),
                        14,
                        9,
                        "2M is a size (M = MiB); a duration in minutes is 2m",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "elapsed step out of range",
                        all("step 2 elapsed >= 1s"),
                        14,
                        9,
                        "step 2 is out of range (steps count from 0)",
                        "a whole number 0..1"),
                of(
                        "elapsed misspelt",
                        all("step 0 elapsd >= 1s"),
                        14,
                        9,
                        "unknown word \"elapsd\" after step 0",
                        "step N OP V (the step's result), or step N elapsed OP D (how long it took)"),
                of(
                        "elapsed without operator",
                        all("step 0 elapsed"),
                        14,
                        9,
                        "an operator is missing",
                        "OP: == != < <= > >="),
                of(
                        "elapsed without value",
                        all("step 0 elapsed >="),
                        14,
                        9,
                        "the value after >= is missing",
                        "a size (690M)"),
                of(
                        "time at an undeclared label",
                        all("time@later >= 1s"),
                        14,
                        9,
                        "no snapshot step is labelled \"later\"",
                        "end, or a snapshot label: s1"),
                of(
                        "time with a space before the label",
                        all("time s1 >= 1s"),
                        14,
                        9,
                        "a label follows time with @ and no space: time@s1",
                        "time@LABEL OP D"),
                of(
                        "time without unit",
                        all("time >= 3"),
                        14,
                        9,
                        "the value \"3\" is not a duration: a duration needs a unit",
                        "a duration: a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)"),
                of(
                        "time tolerance over 100",
                        all("time@s1 ~ 2s 101%"),
                        14,
                        9,
                        "the tolerance 101% is over 100%",
                        "a percentage 0..100"),
                of(
                        "time trailing words",
                        all("time@s1 >= 1s later"),
                        14,
                        9,
                        "unexpected \"later\" after the value",
                        "step N elapsed OP D | time[@LABEL] OP D"),
                of(
                        "timer",
                        all("timer >= 1s"),
                        14,
                        9,
                        "unknown observable \"timer\"",
                        "| step N elapsed OP D | time[@LABEL] OP D |"),
                of(
                        "duration compared with a size",
                        all("/a memory.current >= 3s"),
                        14,
                        9,
                        ">= compares numbers, and \"3s\" is not one (durations compare only with step N elapsed and time@LABEL)",
                        "a size (690M) or a whole number"));
    }

    static Stream<Arguments> knownGaps() {
        return Stream.of(
                of(
                        "known-gap inside the string",
                        expect("  all: ['kills == 1 known-gap: \"no fork\"']"),
                        14,
                        9,
                        "a known gap is a map, not part of the expectation's text",
                        "{check: \"EXPECTATION\", known-gap: \"why"),
                of(
                        "known gap without a reason",
                        expect("  all:", "    - {check: \"kills == 1\"}"),
                        15,
                        7,
                        "a known gap is missing known-gap",
                        "{check: \"EXPECTATION\", known-gap:"),
                of(
                        "known gap without a check",
                        expect("  all:", "    - {known-gap: \"no fork\"}"),
                        15,
                        7,
                        "a known gap is missing check",
                        "{check: \"EXPECTATION\", known-gap:"),
                of(
                        "blank reason",
                        expect("  all:", "    - {check: \"kills == 1\", known-gap: \" \"}"),
                        15,
                        40,
                        "the known gap's reason is blank",
                        "why the model fails the expectation"),
                of(
                        "another key beside check",
                        expect("  all:", "    - {check: \"kills == 1\", why: \"no fork\"}"),
                        15,
                        29,
                        "unknown key \"why\" in a known gap",
                        "check, known-gap"),
                of(
                        "the check itself is checked",
                        expect("  all:", "    - {check: \"kils == 1\", known-gap: \"no fork\"}"),
                        15,
                        15,
                        "unknown observable \"kils\"",
                        "unsupported | kills OP V"),
                of(
                        "a list in place of an expectation",
                        expect("  all:", "    - [\"kills == 1\"]"),
                        15,
                        7,
                        "an expectation must be a single value, not a list",
                        "a known gap: {check: \"EXPECTATION\", known-gap:"));
    }

    @ParameterizedTest
    @MethodSource({"keys", "grammar", "time", "knownGaps"})
    void refusedWithPositionAndWhatIsAllowed(ScenarioErrorCase c) {
        c.check();
    }
}
