package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static dev.memcgdiff.scenario.ScenarioErrorCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken top-level keys, host (with its disks and sysctls), cgroups and tasks (with parents and caps). */
class DeclarationErrorTest {
    private static final String TASKS = "tasks: {}";
    private static final String STEPS = "steps: [{host: {size: 1M}}]";

    /** A valid file with line 2 replaced: name (1), the line (2), cgroup v1 (3), tasks (4), steps (5). */
    private static String line2(String line) {
        return doc("name: t", line, "cgroup: v1", TASKS, STEPS);
    }

    /** Line 5 is a cgroup declaration under cgroups of a v1 (or v2) scenario. */
    private static String cgroup(String iface, String line) {
        return doc("name: t", "host: {memory: 1G}", "cgroup: " + iface, "cgroups:", line, TASKS, STEPS);
    }

    /** Lines 6.. are task declarations; cgroup /a is declared. */
    private static String tasks(String... lines) {
        StringBuilder text =
                new StringBuilder(doc("name: t", "host: {memory: 1G}", "cgroup: v1", "cgroups: {/a: {}}", "tasks:"));
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.append(STEPS).append('\n').toString();
    }

    static Stream<Arguments> topLevel() {
        return Stream.of(
                of(
                        "unknown key",
                        doc("nmae: t", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        1,
                        "unknown key \"nmae\" in the scenario",
                        "name, title, description, refs, kernels, seed, host, cgroup, cgroups, tasks, steps, expect"),
                of(
                        "missing name",
                        doc("host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        1,
                        "the scenario is missing name",
                        "a-z 0-9 -"),
                of(
                        "uppercase name",
                        doc("name: Foo", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        7,
                        "name \"Foo\" is not allowed",
                        "a-z 0-9 -, starting with a letter or digit"),
                of(
                        "name starting with -",
                        doc("name: -x", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        7,
                        "name \"-x\" is not allowed",
                        "a-z 0-9 -"),
                of(
                        "name is a list",
                        doc("name: [a]", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        7,
                        "name must be a single value, not a list",
                        "a-z 0-9 -"),
                of(
                        "empty name",
                        doc("name:", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        1,
                        6,
                        "name has no value",
                        "a-z 0-9 -"),
                of(
                        "blank title",
                        doc("name: t", "title: \" \"", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        8,
                        "title is blank",
                        "non-empty text"),
                of(
                        "description a list",
                        doc("name: t", "description: [a]", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        14,
                        "description must be a single value, not a list",
                        "text"),
                of(
                        "refs not a list",
                        doc("name: t", "refs: x", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        7,
                        "refs must be a list, not a single value",
                        "a list of references"),
                of(
                        "unquoted kernel 3.10",
                        doc("name: t", "kernels: [3.10]", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        11,
                        "the kernel 3.10 must be quoted: \"3.10\"",
                        "quoted kernel versions"),
                of(
                        "unquoted kernel 4.18",
                        doc("name: t", "kernels: [\"3.10\", 4.18]", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        19,
                        "the kernel 4.18 must be quoted",
                        "[\"3.10\", \"4.18\""),
                of(
                        "kernel not a version",
                        doc("name: t", "kernels: [\"v4\"]", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        11,
                        "the kernel \"v4\" is not a version",
                        "quoted kernel versions"),
                of(
                        "kernel twice",
                        doc(
                                "name: t",
                                "kernels: [\"4.18\", \"4.18\"]",
                                "host: {memory: 1G}",
                                "cgroup: v1",
                                TASKS,
                                STEPS),
                        2,
                        19,
                        "the kernel 4.18 is listed twice",
                        "quoted kernel versions"),
                of(
                        "no kernels",
                        doc("name: t", "kernels: []", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        10,
                        "kernels is empty; leave it out to run every kernel",
                        "non-empty list"),
                of(
                        "seed not a number",
                        doc("name: t", "seed: abc", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        7,
                        "seed \"abc\" is not a whole number",
                        "a whole number"),
                of(
                        "seed too large",
                        doc("name: t", "seed: 99999999999999999999", "host: {memory: 1G}", "cgroup: v1", TASKS, STEPS),
                        2,
                        7,
                        "seed \"99999999999999999999\" is out of range",
                        "a whole number -9223372036854775808..9223372036854775807"),
                of(
                        "missing host",
                        doc("name: t", "cgroup: v1", TASKS, STEPS),
                        1,
                        1,
                        "the scenario is missing host",
                        "host: {memory: 64G, ...}"),
                of(
                        "missing cgroup",
                        doc("name: t", "host: {memory: 1G}", TASKS, STEPS),
                        1,
                        1,
                        "the scenario is missing cgroup",
                        "v1 | v2"),
                of(
                        "cgroup v3",
                        doc("name: t", "host: {memory: 1G}", "cgroup: v3", TASKS, STEPS),
                        3,
                        9,
                        "cgroup \"v3\" is not allowed",
                        "v1 | v2"),
                of(
                        "missing tasks",
                        doc("name: t", "host: {memory: 1G}", "cgroup: v1", STEPS),
                        1,
                        1,
                        "the scenario is missing tasks",
                        "a map of tasks, or {}"),
                of(
                        "missing steps",
                        doc("name: t", "host: {memory: 1G}", "cgroup: v1", TASKS),
                        1,
                        1,
                        "the scenario is missing steps",
                        "a list of one or more steps"));
    }

    static Stream<Arguments> host() {
        return Stream.of(
                of(
                        "host not a map",
                        line2("host: 1G"),
                        2,
                        7,
                        "host must be a map, not a single value",
                        "memory, swap, nodes, min_free_kbytes, thp, swappiness"),
                of(
                        "unknown host key",
                        line2("host: {memory: 1G, ram: 2G}"),
                        2,
                        20,
                        "unknown key \"ram\" in host",
                        "memory, swap, nodes, min_free_kbytes, thp, swappiness"),
                of("no memory", line2("host: {swap: 1G}"), 2, 7, "host is missing memory", "16M to 1T"),
                of(
                        "memory too small",
                        line2("host: {memory: 8M}"),
                        2,
                        16,
                        "host memory 8M is out of range",
                        "from 16M to 1T"),
                of(
                        "memory too large",
                        line2("host: {memory: 2T}"),
                        2,
                        16,
                        "host memory 2T is out of range",
                        "from 16M to 1T"),
                of(
                        "lowercase suffix",
                        line2("host: {memory: 1g}"),
                        2,
                        16,
                        "host memory: size suffixes are uppercase: write 1G, not 1g",
                        "binary suffix K, M, G or T"),
                of(
                        "fraction",
                        line2("host: {memory: 1.5G}"),
                        2,
                        16,
                        "host memory: a size is a whole number",
                        "a whole number of bytes"),
                of(
                        "max",
                        line2("host: {memory: max}"),
                        2,
                        16,
                        "max is only allowed for cgroup limits",
                        "(1234, 512M, 4G)"),
                of(
                        "GB",
                        line2("host: {memory: 4GB}"),
                        2,
                        16,
                        "write sizes as 4G, without B, iB or a space",
                        "binary suffix"),
                of(
                        "not a size",
                        line2("host: {memory: lots}"),
                        2,
                        16,
                        "host memory: \"lots\" is not a size",
                        "binary suffix"),
                of(
                        "huge number",
                        line2("host: {memory: 99999999999999999999}"),
                        2,
                        16,
                        "the size \"99999999999999999999\" is too large (over 2^62 bytes)",
                        "binary suffix"),
                of(
                        "overflowing suffix",
                        line2("host: {memory: 5000000T}"),
                        2,
                        16,
                        "the size \"5000000T\" is too large (over 2^62 bytes)",
                        "binary suffix"),
                of(
                        "swap too large",
                        line2("host: {memory: 1G, swap: 2T}"),
                        2,
                        26,
                        "host swap 2T is out of range",
                        "from 0 to 1T"),
                of(
                        "nine nodes",
                        line2("host: {memory: 1G, nodes: 9}"),
                        2,
                        27,
                        "host nodes 9 is out of range",
                        "a whole number 1..8"),
                of(
                        "uneven nodes",
                        line2("host: {memory: 16388K, nodes: 2}"),
                        2,
                        16,
                        "host memory is 4097 pages, which do not split evenly over 2 nodes",
                        "a multiple of 2 pages (8192 bytes)"),
                of(
                        "min_free_kbytes too small",
                        line2("host: {memory: 1G, min_free_kbytes: 100}"),
                        2,
                        37,
                        "host min_free_kbytes 100 is out of range",
                        "a whole number 128..4194304"),
                of(
                        "thp yes",
                        line2("host: {memory: 1G, thp: yes}"),
                        2,
                        25,
                        "host thp \"yes\" is not allowed",
                        "always | madvise | never"),
                of(
                        "swappiness 101",
                        line2("host: {memory: 1G, swappiness: 101}"),
                        2,
                        32,
                        "host swappiness 101 is above what kernels before 5.8 accept (0..100; 0..200 from 5.8)",
                        "a whole number 0..100, or up to 200 with kernels: listing only kernels from 5.8"));
    }

    static Stream<Arguments> cgroups() {
        return Stream.of(
                of(
                        "relative path",
                        cgroup("v1", "  a: {}"),
                        5,
                        3,
                        "the cgroup path \"a\" does not start with /",
                        "an absolute path like /kubepods.slice/pod1"),
                of(
                        "trailing slash",
                        cgroup("v1", "  /a/: {}"),
                        5,
                        3,
                        "the cgroup path \"/a/\" ends with /",
                        "no trailing /"),
                of(
                        "empty part",
                        cgroup("v1", "  /a//b: {}"),
                        5,
                        3,
                        "has an empty, . or .. part",
                        "separated by single /"),
                of("dot dot", cgroup("v1", "  /..: {}"), 5, 3, "has an empty, . or .. part", "separated by single /"),
                of(
                        "space in name",
                        cgroup("v1", "  /a b: {}"),
                        5,
                        3,
                        "the cgroup name \"a b\" in \"/a b\" has a character outside A-Z a-z 0-9 _ . : @ -",
                        "A-Z a-z 0-9 _ . : @ -"),
                of(
                        "root declared",
                        cgroup("v1", "  /: {}"),
                        5,
                        3,
                        "the root cgroup / is implied and is not declared",
                        "cgroups below /"),
                of(
                        "child before parent",
                        cgroup("v1", "  /x/y: {}"),
                        5,
                        3,
                        "parent /x is not declared before /x/y",
                        "parents declared before their children: /x first"),
                of(
                        "unknown knob",
                        cgroup("v1", "  /a: {memory.foo: 1}"),
                        5,
                        8,
                        "unknown knob \"memory.foo\"",
                        "cgroup v1 knobs: memory.limit_in_bytes, memory.memsw.limit_in_bytes"),
                of(
                        "v2 knob in v1",
                        cgroup("v1", "  /a: {memory.max: 1G}"),
                        5,
                        8,
                        "memory.max is a cgroup v2 file; this scenario is cgroup: v1",
                        "cgroup v1 knobs: memory.limit_in_bytes, memory.memsw.limit_in_bytes, "
                                + "memory.soft_limit_in_bytes, memory.kmem.limit_in_bytes, memory.swappiness, "
                                + "memory.use_hierarchy, memory.oom_control, memory.move_charge_at_immigrate"),
                of(
                        "v1 knob in v2",
                        cgroup("v2", "  /a: {memory.limit_in_bytes: 1G}"),
                        5,
                        8,
                        "memory.limit_in_bytes is a cgroup v1 file; this scenario is cgroup: v2",
                        "cgroup v2 knobs: memory.max, memory.high, memory.low, memory.min, memory.swap.max, "
                                + "memory.swap.high, memory.oom.group"),
                of(
                        "swappiness 101",
                        cgroup("v1", "  /a: {memory.swappiness: 101}"),
                        5,
                        27,
                        "memory.swappiness 101 is above what kernels before 5.8 accept (0..100; 0..200 from 5.8)",
                        "a whole number 0..100, or up to 200 with kernels: listing only kernels from 5.8"),
                of(
                        "use_hierarchy 2",
                        cgroup("v1", "  /a: {memory.use_hierarchy: 2}"),
                        5,
                        30,
                        "memory.use_hierarchy 2 is out of range",
                        "0..1"),
                of(
                        "move_charge 4",
                        cgroup("v1", "  /a: {memory.move_charge_at_immigrate: 4}"),
                        5,
                        41,
                        "memory.move_charge_at_immigrate 4 is out of range",
                        "0..3"),
                of(
                        "oom.group max",
                        cgroup("v2", "  /a: {memory.oom.group: max}"),
                        5,
                        26,
                        "memory.oom.group \"max\" is not a whole number",
                        "0..1"),
                of(
                        "lowercase limit",
                        cgroup("v1", "  /a: {memory.limit_in_bytes: 4g}"),
                        5,
                        31,
                        "memory.limit_in_bytes: size suffixes are uppercase",
                        ", or max or -1"),
                of(
                        "-1 in v2",
                        cgroup("v2", "  /a: {memory.max: -1}"),
                        5,
                        20,
                        "memory.max: a size cannot be negative: \"-1\"",
                        "(1234, 512M, 4G)), or max"),
                of(
                        "-2 in v1",
                        cgroup("v1", "  /a: {memory.limit_in_bytes: -2}"),
                        5,
                        31,
                        "memory.limit_in_bytes: a size cannot be negative",
                        "or max or -1"),
                of(
                        "huge limit",
                        cgroup("v2", "  /a: {memory.max: 4194305T}"),
                        5,
                        20,
                        "the size \"4194305T\" is too large",
                        "or max"),
                of(
                        "knobs as a list",
                        cgroup("v1", "  /a: [memory.limit_in_bytes]"),
                        5,
                        7,
                        "cgroup /a must be a map, not a list",
                        "a map of knobs, or {} for none"),
                of(
                        "cgroups as a list",
                        doc("name: t", "host: {memory: 1G}", "cgroup: v1", "cgroups: [/a]", TASKS, STEPS),
                        4,
                        10,
                        "cgroups must be a map, not a list",
                        "a map from cgroup paths"),
                of(
                        "cgroup twice",
                        doc(
                                "name: t",
                                "host: {memory: 1G}",
                                "cgroup: v1",
                                "cgroups:",
                                "  /a: {}",
                                "  /a: {}",
                                TASKS,
                                STEPS),
                        6,
                        3,
                        "duplicate key \"/a\" in cgroups (first at line 5)",
                        "each key once"),
                of(
                        "knob twice",
                        cgroup("v1", "  /a: {memory.swappiness: 1, memory.swappiness: 2}"),
                        5,
                        30,
                        "duplicate key \"memory.swappiness\" in cgroup /a",
                        "each key once"));
    }

    static Stream<Arguments> tasks() {
        return Stream.of(
                of(
                        "long name",
                        tasks("  averyveryverylongname: {cgroup: /a}"),
                        6,
                        3,
                        "the task name \"averyveryverylongname\" is not allowed",
                        "1 to 15 characters"),
                of(
                        "space in name",
                        tasks("  a b: {cgroup: /a}"),
                        6,
                        3,
                        "the task name \"a b\" is not allowed",
                        "A-Z a-z 0-9 _ . : -"),
                of("no cgroup", tasks("  app: {pid: 5}"), 6, 8, "task app is missing cgroup", "/, /a"),
                of(
                        "undeclared cgroup",
                        tasks("  app: {cgroup: /x}"),
                        6,
                        17,
                        "task app is in cgroup /x, which is not declared under cgroups",
                        "/, /a"),
                of(
                        "relative cgroup",
                        tasks("  app: {cgroup: a}"),
                        6,
                        17,
                        "the cgroup path \"a\" does not start with /",
                        "an absolute path"),
                of(
                        "pid 1",
                        tasks("  app: {cgroup: /a, pid: 1}"),
                        6,
                        26,
                        "pid 1 is init, which the OOM killer never kills",
                        "a whole number 2..4194304"),
                of(
                        "pid 0",
                        tasks("  app: {cgroup: /a, pid: 0}"),
                        6,
                        26,
                        "task app pid 0 is out of range",
                        "a whole number 2..4194304"),
                of(
                        "pid too large",
                        tasks("  app: {cgroup: /a, pid: 4194305}"),
                        6,
                        26,
                        "task app pid 4194305 is out of range",
                        "2..4194304"),
                of(
                        "same pid",
                        tasks("  a1: {cgroup: /a, pid: 7}", "  a2: {cgroup: /a, pid: 7}"),
                        7,
                        25,
                        "pid 7 is already task a1's",
                        "a pid no other task has"),
                of(
                        "pid of an earlier default",
                        tasks("  a1: {cgroup: /a}", "  a2: {cgroup: /a, pid: 1000}"),
                        7,
                        25,
                        "pid 1000 is already task a1's",
                        "a pid no other task has"),
                of(
                        "default pid taken",
                        tasks("  a1: {cgroup: /a, pid: 1001}", "  a2: {cgroup: /a}"),
                        7,
                        3,
                        "task a2's default pid 1001 (1000 + its index 1) is already task a1's",
                        "give a2 a pid"),
                of(
                        "uid -1",
                        tasks("  app: {cgroup: /a, uid: -1}"),
                        6,
                        26,
                        "task app uid -1 is out of range",
                        "a whole number 0..2147483647"),
                of(
                        "oom_score_adj 1001",
                        tasks("  app: {cgroup: /a, oom_score_adj: 1001}"),
                        6,
                        36,
                        "task app oom_score_adj 1001 is out of range",
                        "a whole number -1000..1000"),
                of(
                        "unknown task key",
                        tasks("  app: {cgroup: /a, prio: 1}"),
                        6,
                        21,
                        "unknown key \"prio\" in task app",
                        "cgroup, pid, uid, oom_score_adj"),
                of(
                        "task not a map",
                        tasks("  app: /a"),
                        6,
                        8,
                        "task app must be a map, not a single value",
                        "cgroup, pid, uid, oom_score_adj"),
                of(
                        "tasks as a list",
                        doc("name: t", "host: {memory: 1G}", "cgroup: v1", "tasks: [app]", STEPS),
                        4,
                        8,
                        "tasks must be a map, not a list",
                        "a map from task names"));
    }

    static Stream<Arguments> hostTime() {
        return Stream.of(
                of(
                        "cpus 0",
                        line2("host: {memory: 1G, cpus: 0}"),
                        2,
                        26,
                        "host cpus 0 is out of range",
                        "a whole number 1..1024"),
                of(
                        "cpus 1025",
                        line2("host: {memory: 1G, cpus: 1025}"),
                        2,
                        26,
                        "host cpus 1025 is out of range",
                        "a whole number 1..1024"),
                of(
                        "cpus a word",
                        line2("host: {memory: 1G, cpus: four}"),
                        2,
                        26,
                        "host cpus \"four\" is not a whole number",
                        "a whole number 1..1024"),
                of(
                        "disk not a map",
                        line2("host: {memory: 1G, disk: fast}"),
                        2,
                        26,
                        "host disk must be a map, not a single value",
                        "a map with keys read, write (bytes per second"),
                of(
                        "unknown disk key",
                        line2("host: {memory: 1G, disk: {speed: 1G}}"),
                        2,
                        27,
                        "unknown key \"speed\" in host disk",
                        "read, write, latency"),
                of(
                        "disk read 0",
                        line2("host: {memory: 1G, disk: {read: 0}}"),
                        2,
                        33,
                        "host disk read 0 is out of range: a disk moves at least 1 byte per second",
                        "bytes per second: a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G), from 1 to 1T"),
                of(
                        "disk write lowercase",
                        line2("host: {memory: 1G, disk: {write: 200m}}"),
                        2,
                        34,
                        "host disk write: size suffixes are uppercase: write 200M, not 200m",
                        "bytes per second"),
                of(
                        "disk write 2T",
                        line2("host: {memory: 1G, disk: {write: 2T}}"),
                        2,
                        34,
                        "host disk write 2T is out of range",
                        "from 1 to 1T"),
                of(
                        "disk read empty",
                        line2("host: {memory: 1G, disk: {read: }}"),
                        2,
                        32,
                        "host disk read has no value",
                        "bytes per second"),
                of(
                        "latency without unit",
                        line2("host: {memory: 1G, disk: {latency: 100}}"),
                        2,
                        36,
                        "host disk latency: a duration needs a unit: write 100s, 100ms or 100us, not 100",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 0s to 10s"),
                of(
                        "latency fraction",
                        line2("host: {memory: 1G, disk: {latency: 1.5ms}}"),
                        2,
                        36,
                        "host disk latency: a duration is a whole number: write \"1.5ms\" in a smaller unit (1500ms, not 1.5s)",
                        "from 0s to 10s"),
                of(
                        "latency 11s",
                        line2("host: {memory: 1G, disk: {latency: 11s}}"),
                        2,
                        36,
                        "host disk latency 11s is out of range",
                        "from 0s to 10s"),
                of(
                        "latency negative",
                        line2("host: {memory: 1G, disk: {latency: -1us}}"),
                        2,
                        36,
                        "host disk latency: a duration cannot be negative: \"-1us\"",
                        "us, ms, s or m"),
                of(
                        "latency in ns",
                        line2("host: {memory: 1G, disk: {latency: 50000ns}}"),
                        2,
                        36,
                        "host disk latency: the smallest unit is us: write 50us, not 50000ns",
                        "us, ms, s or m"),
                of(
                        "swap_disk a list",
                        line2("host: {memory: 1G, swap_disk: [1]}"),
                        2,
                        31,
                        "host swap_disk must be a map, not a list",
                        "read, write (bytes per second"),
                of(
                        "swap_disk read 0",
                        line2("host: {memory: 1G, swap_disk: {read: 0}}"),
                        2,
                        38,
                        "host swap_disk read 0 is out of range",
                        "from 1 to 1T"),
                of(
                        "swap_disk latency 1h",
                        line2("host: {memory: 1G, swap_disk: {latency: 1h}}"),
                        2,
                        41,
                        "host swap_disk latency: hours are not a unit: write minutes (1h = 60m)",
                        "us, ms, s or m"),
                of(
                        "swap_disk twice a key",
                        line2("host: {memory: 1G, swap_disk: {read: 1M, read: 2M}}"),
                        2,
                        42,
                        "duplicate key \"read\" in host swap_disk (first at line 2)",
                        "each key once"),
                of(
                        "dirty_ratio 101",
                        line2("host: {memory: 1G, dirty_ratio: 101}"),
                        2,
                        33,
                        "host dirty_ratio 101 is out of range",
                        "a whole number 0..100"),
                of(
                        "dirty_background_ratio -1",
                        line2("host: {memory: 1G, dirty_background_ratio: -1}"),
                        2,
                        44,
                        "host dirty_background_ratio -1 is out of range",
                        "a whole number 0..100"),
                of(
                        "dirty_ratio as percent",
                        line2("host: {memory: 1G, dirty_ratio: 20%}"),
                        2,
                        33,
                        "host dirty_ratio \"20%\" is not a whole number",
                        "a whole number 0..100"),
                of(
                        "dirty_bytes below 2 pages",
                        line2("host: {memory: 1G, dirty_bytes: 4K}"),
                        2,
                        33,
                        "host dirty_bytes 4K is below 8K, which the kernel refuses (EINVAL)",
                        "0 (unset: the ratio is used), or a size from 8K to 1T"),
                of(
                        "dirty_bytes 2T",
                        line2("host: {memory: 1G, dirty_bytes: 2T}"),
                        2,
                        33,
                        "host dirty_bytes 2T is out of range",
                        "a size from 8K to 1T"),
                of(
                        "dirty_bytes fraction",
                        line2("host: {memory: 1G, dirty_bytes: 1.5G}"),
                        2,
                        33,
                        "host dirty_bytes: a size is a whole number",
                        "0 (unset: the ratio is used)"),
                of(
                        "dirty_background_bytes max",
                        line2("host: {memory: 1G, dirty_background_bytes: max}"),
                        2,
                        44,
                        "host dirty_background_bytes: max is only allowed for cgroup limits",
                        "a size from 1 to 1T"),
                of(
                        "dirty_expire_centisecs -1",
                        line2("host: {memory: 1G, dirty_expire_centisecs: -1}"),
                        2,
                        44,
                        "host dirty_expire_centisecs -1 is out of range",
                        "a whole number 0..2147483647"),
                of(
                        "dirty_writeback_centisecs a duration",
                        line2("host: {memory: 1G, dirty_writeback_centisecs: 5s}"),
                        2,
                        47,
                        "host dirty_writeback_centisecs is a number of centiseconds, not a duration: write 500 for 5s",
                        "of centiseconds (1/100 s: 500 is 5s)"),
                of(
                        "dirty_expire_centisecs too large",
                        line2("host: {memory: 1G, dirty_expire_centisecs: 2147483648}"),
                        2,
                        44,
                        "host dirty_expire_centisecs 2147483648 is out of range",
                        "a whole number 0..2147483647"),
                of(
                        "fs btrfs",
                        line2("host: {memory: 1G, fs: btrfs}"),
                        2,
                        24,
                        "host fs \"btrfs\" is not allowed",
                        "ext4 | xfs"),
                of(
                        "fs uppercase",
                        line2("host: {memory: 1G, fs: XFS}"),
                        2,
                        24,
                        "host fs \"XFS\" is not allowed",
                        "ext4 | xfs"),
                of(
                        "psi yes",
                        line2("host: {memory: 1G, psi: yes}"),
                        2,
                        25,
                        "host psi \"yes\" is not allowed",
                        "true | false | default"),
                of(
                        "psi empty",
                        line2("host: {memory: 1G, psi: }"),
                        2,
                        24,
                        "host psi has no value",
                        "true | false | default"),
                of(
                        "unknown host key lists the new keys",
                        line2("host: {memory: 1G, disks: {}}"),
                        2,
                        20,
                        "unknown key \"disks\" in host",
                        "memory, swap, nodes, min_free_kbytes, thp, swappiness, cpus, disk, swap_disk, dirty_ratio, dirty_background_ratio, dirty_bytes, dirty_background_bytes, dirty_expire_centisecs, dirty_writeback_centisecs, fs, psi"));
    }

    static Stream<Arguments> taskParentsAndCaps() {
        return Stream.of(
                of(
                        "parent unknown",
                        tasks("  app: {cgroup: /a, parent: nope}"),
                        6,
                        29,
                        "task app's parent \"nope\" is not a declared task",
                        "no parent: app is the first task declared"),
                of(
                        "parent declared later",
                        tasks("  a1: {cgroup: /a, parent: a2}", "  a2: {cgroup: /a}"),
                        6,
                        28,
                        "task a1's parent a2 is declared after it (line 7); a parent is declared before its children",
                        "no parent: a1 is the first task declared"),
                of(
                        "parent cycle",
                        tasks("  a1: {cgroup: /a}", "  a2: {cgroup: /a, parent: a3}", "  a3: {cgroup: /a, parent: a2}"),
                        7,
                        28,
                        "task a2's parent a3 is declared after it (line 8)",
                        "a task declared before a2: a1"),
                of(
                        "own parent",
                        tasks("  a1: {cgroup: /a}", "  a2: {cgroup: /a, parent: a2}"),
                        7,
                        28,
                        "task a2 cannot be its own parent",
                        "a task declared before a2: a1"),
                of(
                        "parent unknown with others",
                        tasks("  a1: {cgroup: /a}", "  a2: {cgroup: /a, parent: a0}"),
                        7,
                        28,
                        "task a2's parent \"a0\" is not a declared task",
                        "a task declared before a2: a1"),
                of(
                        "parent a list",
                        tasks("  a1: {cgroup: /a}", "  a2: {cgroup: /a, parent: [a1]}"),
                        7,
                        28,
                        "task a2 parent must be a single value, not a list",
                        "a task declared before a2: a1"),
                of(
                        "caps not a list",
                        tasks("  app: {cgroup: /a, caps: CAP_SYS_ADMIN}"),
                        6,
                        27,
                        "task app caps must be a list, not a single value",
                        "a list of capabilities, [CAP_SYS_ADMIN] (the only one known), or []"),
                of(
                        "caps empty value",
                        tasks("  app: {cgroup: /a, caps: }"),
                        6,
                        26,
                        "task app caps must be a list, not empty",
                        "a list of capabilities"),
                of(
                        "cap not modelled",
                        tasks("  app: {cgroup: /a, caps: [CAP_SYS_ADMIN, CAP_NET_ADMIN]}"),
                        6,
                        43,
                        "the capability CAP_NET_ADMIN is not modelled",
                        "[CAP_SYS_ADMIN] (the only one known)"),
                of(
                        "cap lowercase",
                        tasks("  app: {cgroup: /a, caps: [sys_admin]}"),
                        6,
                        28,
                        "capabilities are written as the kernel names them: CAP_SYS_ADMIN, not sys_admin",
                        "[CAP_SYS_ADMIN]"),
                of(
                        "cap unknown word",
                        tasks("  app: {cgroup: /a, caps: [root]}"),
                        6,
                        28,
                        "unknown capability \"root\"",
                        "[CAP_SYS_ADMIN]"),
                of(
                        "cap twice",
                        tasks("  app: {cgroup: /a, caps: [CAP_SYS_ADMIN, CAP_SYS_ADMIN]}"),
                        6,
                        43,
                        "task app lists CAP_SYS_ADMIN twice",
                        "a list of capabilities"),
                of(
                        "cap a map",
                        tasks("  app: {cgroup: /a, caps: [{CAP_SYS_ADMIN: 1}]}"),
                        6,
                        28,
                        "a capability of task app must be a single value, not a map",
                        "a list of capabilities"),
                of(
                        "unknown task key lists parent and caps",
                        tasks("  app: {cgroup: /a, ppid: 1}"),
                        6,
                        21,
                        "unknown key \"ppid\" in task app",
                        "cgroup, pid, uid, oom_score_adj, parent, caps"));
    }

    @ParameterizedTest
    @MethodSource({"topLevel", "host", "cgroups", "tasks", "hostTime", "taskParentsAndCaps"})
    void refusedWithPositionAndWhatIsAllowed(ScenarioErrorCase c) {
        c.check();
    }
}
