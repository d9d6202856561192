package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.of;
import static dev.memcgdiff.scenario.ScenarioErrorCase.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken steps. Every file is ScenarioErrorCase.HEAD (tasks app, other; cgroups /a, /a/b) plus steps from line 11. */
class StepErrorTest {
    private static final String OPS =
            "anon, shmem, read, write, mmap, touch, free, unlink, set, move, host, exit, snapshot, "
                    + "sleep, together";

    /** HEAD with its last line ("steps:") replaced. */
    private static String stepsLine(String line) {
        List<String> lines = new ArrayList<>(ScenarioErrorCase.HEAD.subList(0, 9));
        lines.add(line);
        return ScenarioErrorCase.doc(lines.toArray(String[]::new));
    }

    static Stream<Arguments> structure() {
        return Stream.of(
                of("steps empty", stepsLine("steps: []"), 10, 8, "steps is empty", "ops: " + OPS),
                of(
                        "steps a map",
                        stepsLine("steps: {anon: {task: app, size: 1M}}"),
                        10,
                        8,
                        "steps must be a list, not a map",
                        "a list of steps"),
                of("steps without value", steps(), 10, 7, "steps must be a list, not empty", "a list of steps"),
                of("step a word", steps("  - anon"), 11, 5, "step 0 must be a map with one op", "ops: " + OPS),
                of("step without op", steps("  - {}"), 11, 5, "step 0 has no op", "ops: " + OPS),
                of(
                        "keys indented like the op",
                        steps("  - anon:", "    task: app", "    size: 4M"),
                        12,
                        5,
                        "step 0 has a second key \"task\" after its op \"anon\"; a step has exactly one op "
                                + "(is the indentation right?)",
                        "one op: " + OPS),
                of(
                        "second op in one item",
                        steps("  - anon: {task: app, size: 4M}", "    exit: {task: app}"),
                        12,
                        5,
                        "step 0 has a second key \"exit\"",
                        "one op: " + OPS),
                of("unknown op", steps("  - alloc: {task: app, size: 4M}"), 11, 5, "unknown step op \"alloc\"", OPS),
                of(
                        "unknown key",
                        steps("  - anon: {task: app, size: 4M, pattern: random}"),
                        11,
                        33,
                        "unknown key \"pattern\" in anon",
                        "task, size"),
                of(
                        "missing key",
                        steps("  - anon: {task: app}"),
                        11,
                        11,
                        "anon is missing size",
                        "size: a whole number"),
                of("op without value", steps("  - exit:"), 11, 10, "exit must be a map, not empty", "exit takes task"),
                of(
                        "op with a word",
                        steps("  - exit: app"),
                        11,
                        11,
                        "exit must be a map, not a single value",
                        "exit takes task"),
                of(
                        "duplicate key in op",
                        steps("  - anon: {task: app, size: 4M, size: 8M}"),
                        11,
                        33,
                        "duplicate key \"size\" in anon (first at line 11)",
                        "each key once"),
                of(
                        "unlink with a task",
                        steps("  - unlink: {file: /tmp/x, task: app}"),
                        11,
                        28,
                        "unknown key \"task\" in unlink",
                        "file"),
                of(
                        "host with a task",
                        steps("  - host: {size: 1M, task: app}"),
                        11,
                        22,
                        "unknown key \"task\" in host",
                        "size"));
    }

    static Stream<Arguments> tasksAndSizes() {
        return Stream.of(
                of(
                        "unknown task",
                        steps("  - anon: {task: ap, size: 4M}"),
                        11,
                        18,
                        "unknown task \"ap\"",
                        "a task declared under tasks: app, other"),
                of(
                        "task after exit",
                        steps("  - exit: {task: other}", "  - anon: {task: other, size: 4M}"),
                        12,
                        18,
                        "task other exited at step 0 (line 11)",
                        "a task that has not exited: app"),
                of(
                        "exit twice",
                        steps("  - exit: {task: app}", "  - exit: {task: other}", "  - exit: {task: app}"),
                        13,
                        18,
                        "task app exited at step 0 (line 11)",
                        "no task: every task has exited"),
                of(
                        "move after exit",
                        steps("  - exit: {task: app}", "  - move: {task: app, cgroup: /a}"),
                        12,
                        18,
                        "task app exited at step 0",
                        "other"),
                of("size 0", steps("  - anon: {task: app, size: 0}"), 11, 29, "size 0 is out of range", "from 1 to 4T"),
                of(
                        "size 5T",
                        steps("  - anon: {task: app, size: 5T}"),
                        11,
                        29,
                        "size 5T is out of range",
                        "from 1 to 4T"),
                of(
                        "size max",
                        steps("  - host: {size: max}"),
                        11,
                        18,
                        "size: max is only allowed for cgroup limits",
                        "from 1 to 4T"),
                of(
                        "size negative",
                        steps("  - free: {task: app, size: -4K}"),
                        11,
                        29,
                        "size: a size cannot be negative: \"-4K\"",
                        "binary suffix K, M, G or T"),
                of(
                        "offset 5T",
                        steps("  - read: {task: app, file: /data/x, size: 1M, offset: 5T}"),
                        11,
                        56,
                        "offset 5T is out of range",
                        "from 0 to 4T"),
                of(
                        "passes 0",
                        steps("  - touch: {task: app, what: anon, size: 1M, passes: 0}"),
                        11,
                        54,
                        "touch passes 0 is out of range",
                        "a whole number 1..100"),
                of(
                        "passes 101",
                        steps("  - touch: {task: app, what: anon, size: 1M, passes: 101}"),
                        11,
                        54,
                        "touch passes 101 is out of range",
                        "1..100"),
                of(
                        "pattern zigzag",
                        steps("  - touch: {task: app, what: anon, size: 1M, pattern: zigzag}"),
                        11,
                        55,
                        "touch pattern \"zigzag\" is not allowed",
                        "sequential | random"));
    }

    static Stream<Arguments> files() {
        return Stream.of(
                of(
                        "shmem outside tmpfs",
                        steps("  - shmem: {task: app, file: /data/x, size: 1M}"),
                        11,
                        30,
                        "/data/x is not on tmpfs; shmem pages live in tmpfs files",
                        "a file under /dev/shm/ or /tmp/"),
                of(
                        "read from tmpfs",
                        steps("  - read: {task: app, file: /tmp/x, size: 1M}"),
                        11,
                        29,
                        "/tmp/x is on tmpfs; use shmem",
                        "a file outside /dev/shm/ and /tmp/"),
                of(
                        "write to tmpfs",
                        steps("  - write: {task: app, file: /dev/shm/x, size: 1M}"),
                        11,
                        30,
                        "/dev/shm/x is on tmpfs",
                        "outside /dev/shm/ and /tmp/"),
                of(
                        "mmap of tmpfs",
                        steps("  - mmap: {task: app, file: /tmp/lib.so, size: 1M}"),
                        11,
                        29,
                        "/tmp/lib.so is on tmpfs",
                        "outside /dev/shm/ and /tmp/"),
                of(
                        "relative file",
                        steps("  - mmap: {task: app, file: data/x, size: 1M}"),
                        11,
                        29,
                        "the file path \"data/x\" is not absolute",
                        "an absolute file path"),
                of(
                        "directory",
                        steps("  - read: {task: app, file: /data/, size: 1M}"),
                        11,
                        29,
                        "the file path \"/data/\" ends with / (a directory)",
                        "no trailing /"),
                of(
                        "dot dot",
                        steps("  - read: {task: app, file: /data/../x, size: 1M}"),
                        11,
                        29,
                        "has an empty, . or .. part",
                        "no empty, . or .. parts"),
                of(
                        "space in file",
                        steps("  - read: {task: app, file: \"/data/a b\", size: 1M}"),
                        11,
                        29,
                        "contains white space",
                        "no spaces"),
                of(
                        "tmpfs mount point",
                        steps("  - shmem: {task: app, file: /tmp, size: 1M}"),
                        11,
                        30,
                        "/tmp is a tmpfs mount point, not a file",
                        "a file under /dev/shm/ or /tmp/"),
                of(
                        "unlink relative",
                        steps("  - unlink: {file: x}"),
                        11,
                        20,
                        "the file path \"x\" is not absolute",
                        "an absolute file path"),
                of(
                        "touch heap",
                        steps("  - touch: {task: app, what: heap, size: 1M}"),
                        11,
                        30,
                        "touch what \"heap\" is not allowed",
                        "anon, shmem:<file under /dev/shm/ or /tmp/>, file:<file"),
                of(
                        "touch shmem outside tmpfs",
                        steps("  - touch: {task: app, what: \"shmem:/data/x\", size: 1M}"),
                        11,
                        30,
                        "/data/x is not on tmpfs",
                        "a file under /dev/shm/ or /tmp/"),
                of(
                        "touch file on tmpfs",
                        steps("  - touch: {task: app, what: \"file:/tmp/x\", size: 1M}"),
                        11,
                        30,
                        "/tmp/x is on tmpfs; use shmem (or touch what: shmem:/tmp/x)",
                        "outside /dev/shm/"),
                of(
                        "touch shmem without file",
                        steps("  - touch: {task: app, what: \"shmem:\", size: 1M}"),
                        11,
                        30,
                        "the file path \"\" is not absolute",
                        "an absolute file path"));
    }

    static Stream<Arguments> cgroupsAndSnapshots() {
        return Stream.of(
                of(
                        "set root",
                        steps("  - set: {cgroup: /, memory.limit_in_bytes: 1G}"),
                        11,
                        19,
                        "the root cgroup's knobs cannot be set",
                        "/a, /a/b"),
                of(
                        "set undeclared",
                        steps("  - set: {cgroup: /z, memory.limit_in_bytes: 1G}"),
                        11,
                        19,
                        "the step names cgroup /z, which is not declared under cgroups",
                        "/a, /a/b"),
                of(
                        "set without knob",
                        steps("  - set: {cgroup: /a}"),
                        11,
                        10,
                        "set has no knob to write",
                        "cgroup v1 knobs: memory.limit_in_bytes"),
                of(
                        "set without cgroup",
                        steps("  - set: {memory.limit_in_bytes: 1G}"),
                        11,
                        10,
                        "set is missing cgroup",
                        "/a, /a/b"),
                of(
                        "set v2 knob in v1",
                        steps("  - set: {cgroup: /a, memory.max: 1G}"),
                        11,
                        23,
                        "memory.max is a cgroup v2 file; this scenario is cgroup: v1",
                        "cgroup v1 knobs"),
                of(
                        "set unknown key",
                        steps("  - set: {cgroup: /a, size: 1G}"),
                        11,
                        23,
                        "unknown knob \"size\"",
                        "cgroup v1 knobs"),
                of(
                        "set bad value",
                        steps("  - set: {cgroup: /a, memory.limit_in_bytes: lots}"),
                        11,
                        46,
                        "memory.limit_in_bytes: \"lots\" is not a size",
                        "or max or -1"),
                of(
                        "move to undeclared",
                        steps("  - move: {task: app, cgroup: /b}"),
                        11,
                        31,
                        "the step names cgroup /b, which is not declared under cgroups",
                        "/, /a, /a/b"),
                of(
                        "move without cgroup",
                        steps("  - move: {task: app}"),
                        11,
                        11,
                        "move is missing cgroup",
                        "/, /a, /a/b"),
                of(
                        "snapshot end",
                        steps("  - snapshot: end"),
                        11,
                        15,
                        "the snapshot label end is reserved",
                        "unique in the file, not end"),
                of(
                        "snapshot twice",
                        steps("  - snapshot: s", "  - snapshot: s"),
                        12,
                        15,
                        "the snapshot label s is already used by step 0 (line 11)",
                        "unique in the file"),
                of(
                        "snapshot uppercase",
                        steps("  - snapshot: After"),
                        11,
                        15,
                        "snapshot label \"After\" is not allowed",
                        "a label of a-z 0-9 -"),
                of(
                        "snapshot as a map",
                        steps("  - snapshot: {label: x}"),
                        11,
                        15,
                        "snapshot label must be a single value, not a map",
                        "a label of a-z 0-9 -"),
                of(
                        "snapshot without label",
                        steps("  - snapshot:"),
                        11,
                        14,
                        "snapshot label has no value",
                        "a label of a-z 0-9 -"));
    }

    static Stream<Arguments> sleepAndTogether() {
        return Stream.of(
                of(
                        "sleep without unit",
                        steps("  - sleep: {for: 30}"),
                        11,
                        18,
                        "sleep for: a duration needs a unit: write 30s, 30ms or 30us, not 30",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep fraction",
                        steps("  - sleep: {for: 1.5s}"),
                        11,
                        18,
                        "sleep for: a duration is a whole number: write \"1.5s\" in a smaller unit (1500ms, not 1.5s)",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep with a space",
                        steps("  - sleep: {for: 3 s}"),
                        11,
                        18,
                        "sleep for: write durations as 3s, without a space: \"3 s\"",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep in hours",
                        steps("  - sleep: {for: 1h}"),
                        11,
                        18,
                        "sleep for: hours are not a unit: write minutes (1h = 60m)",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep negative",
                        steps("  - sleep: {for: -1s}"),
                        11,
                        18,
                        "sleep for: a duration cannot be negative: \"-1s\"",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep uppercase unit",
                        steps("  - sleep: {for: 3S}"),
                        11,
                        18,
                        "sleep for: duration units are lowercase: write 3s, not 3S",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep 2M",
                        steps("  - sleep: {for: 2M}"),
                        11,
                        18,
                        "sleep for: 2M is a size (M = MiB); a duration in minutes is 2m",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep sec",
                        steps("  - sleep: {for: 3sec}"),
                        11,
                        18,
                        "sleep for: write seconds as s: 3s",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep in ns",
                        steps("  - sleep: {for: 100ns}"),
                        11,
                        18,
                        "sleep for: the smallest unit is us (1us = 1000ns), and 100ns is not a whole number of us",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep 0s",
                        steps("  - sleep: {for: 0s}"),
                        11,
                        18,
                        "sleep for 0s is out of range",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep over a day",
                        steps("  - sleep: {for: 1441m}"),
                        11,
                        18,
                        "sleep for 1441m is out of range",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep far too long",
                        steps("  - sleep: {for: 99999999999999999999s}"),
                        11,
                        18,
                        "sleep for: the duration \"99999999999999999999s\" is too long (over 2^62 ns)",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep not a duration",
                        steps("  - sleep: {for: soon}"),
                        11,
                        18,
                        "sleep for: \"soon\" is not a duration",
                        "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m), from 1us to 1440m"),
                of(
                        "sleep a word",
                        steps("  - sleep: 30s"),
                        11,
                        12,
                        "sleep must be a map, not a single value",
                        "sleep takes for, a duration: - sleep: {for: 30s}"),
                of(
                        "sleep without for",
                        steps("  - sleep: {}"),
                        11,
                        12,
                        "sleep is missing for",
                        "sleep takes for, a duration: - sleep: {for: 30s}"),
                of(
                        "sleep with a task",
                        steps("  - sleep: {for: 1s, task: app}"),
                        11,
                        22,
                        "unknown key \"task\" in sleep",
                        "for"),
                of(
                        "together a map",
                        steps("  - together: {anon: {task: app, size: 1M}}"),
                        11,
                        15,
                        "together must be a list of steps, not a map",
                        "a list of 2 or more steps, each of a different task and each one of anon, shmem, read, write, mmap, touch, free, with an optional rate (bytes per second)"),
                of(
                        "together empty",
                        steps("  - together: []"),
                        11,
                        15,
                        "together has no steps; it runs 2 or more steps at the same time (a single step needs no together)",
                        "a list of 2 or more steps, each of a different task and each one of anon, shmem, read, write, mmap, touch, free, with an optional rate (bytes per second)"),
                of(
                        "together without value",
                        steps("  - together:"),
                        11,
                        14,
                        "together must be a list of steps, not empty",
                        "a list of 2 or more steps, each of a different task and each one of anon, shmem, read, write, mmap, touch, free, with an optional rate (bytes per second)"),
                of(
                        "together of one step",
                        steps("  - together: [{anon: {task: app, size: 1M}}]"),
                        11,
                        15,
                        "together has one step; it runs 2 or more steps at the same time",
                        "a list of 2 or more steps, each of a different task and each one of anon, shmem, read, write, mmap, touch, free, with an optional rate (bytes per second)"),
                of(
                        "together of one task twice",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - write: {task: app, file: /data/x, size: 1M}"),
                        13,
                        23,
                        "task app already runs inner step 0 of this together (line 12); a task runs one step at a time",
                        "a different task for each step of a together: other"),
                of(
                        "together nested",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - together: [{anon: {task: other, size: 1M}}, {free: {task: other, size: 1M}}]"),
                        13,
                        9,
                        "together cannot be nested: list all the steps that run at the same time in one together",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "sleep inside together",
                        steps("  - together:", "      - anon: {task: app, size: 1M}", "      - sleep: {for: 1s}"),
                        13,
                        9,
                        "sleep cannot run inside together: it lets time pass with no task doing anything; put it before or after the together",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "set inside together",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - set: {cgroup: /a, memory.limit_in_bytes: 1G}"),
                        13,
                        9,
                        "set cannot run inside together: only steps that run as a task can; write the knobs before or after the together",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "snapshot inside together",
                        steps("  - together:", "      - anon: {task: app, size: 1M}", "      - snapshot: s1"),
                        13,
                        9,
                        "snapshot cannot run inside together: it records the moment between two steps; take it before or after the together",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "exit inside together",
                        steps("  - together:", "      - anon: {task: app, size: 1M}", "      - exit: {task: other}"),
                        13,
                        9,
                        "exit cannot run inside together: only anon, shmem, read, write, mmap, touch, free run at the same time",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "host inside together",
                        steps("  - together:", "      - host: {size: 1M}", "      - anon: {task: app, size: 1M}"),
                        12,
                        9,
                        "host cannot run inside together",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "unknown op inside together",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - alloc: {task: other, size: 1M}"),
                        13,
                        9,
                        "unknown step op \"alloc\"",
                        "anon, shmem, read, write, mmap, touch, free"),
                of(
                        "inner step a word",
                        steps("  - together:", "      - anon", "      - anon: {task: other, size: 1M}"),
                        12,
                        9,
                        "inner step 0 of step 0 must be a map with one op, like - anon: {task: app, size: 4M}, not a single value",
                        "ops: anon, shmem, read, write, mmap, touch, free"),
                of(
                        "inner step with two ops",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "        free: {task: app, size: 1M}",
                                "      - anon: {task: other, size: 1M}"),
                        13,
                        9,
                        "inner step 0 of step 0 has a second key \"free\" after its op \"anon\"",
                        "one op: anon, shmem, read, write, mmap, touch, free"),
                of(
                        "inner step of an exited task",
                        steps(
                                "  - exit: {task: other}",
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - anon: {task: other, size: 1M}"),
                        14,
                        22,
                        "task other exited at step 0 (line 11)",
                        "a task that has not exited: app"),
                of(
                        "inner step of an unknown task",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M}",
                                "      - anon: {task: nobody, size: 1M}"),
                        13,
                        22,
                        "unknown task \"nobody\"",
                        "a task declared under tasks: app, other"),
                of(
                        "inner step with an unknown key",
                        steps(
                                "  - together:",
                                "      - anon: {task: app, size: 1M, pattern: random}",
                                "      - anon: {task: other, size: 1M}"),
                        12,
                        37,
                        "unknown key \"pattern\" in anon",
                        "task, size, rate"),
                of(
                        "rate 0",
                        steps(
                                "  - together:",
                                "      - write: {task: app, file: /data/x, size: 1M, rate: 0}",
                                "      - anon: {task: other, size: 1M}"),
                        12,
                        59,
                        "write rate 0 is out of range: leave rate out for a step that runs unpaced",
                        "bytes per second: a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G), from 1 to 1T"),
                of(
                        "rate lowercase",
                        steps(
                                "  - together:",
                                "      - write: {task: app, file: /data/x, size: 1M, rate: 100m}",
                                "      - anon: {task: other, size: 1M}"),
                        12,
                        59,
                        "write rate: size suffixes are uppercase: write 100M, not 100m",
                        "bytes per second: a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G), from 1 to 1T"),
                of(
                        "rate 2T",
                        steps(
                                "  - together:",
                                "      - read: {task: app, file: /data/x, size: 1M, rate: 2T}",
                                "      - anon: {task: other, size: 1M}"),
                        12,
                        58,
                        "read rate 2T is out of range",
                        "bytes per second: a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G), from 1 to 1T"),
                of(
                        "rate per second spelled out",
                        steps(
                                "  - together:",
                                "      - read: {task: app, file: /data/x, size: 1M, rate: 100M/s}",
                                "      - anon: {task: other, size: 1M}"),
                        12,
                        58,
                        "read rate: \"100M/s\" is not a size",
                        "bytes per second: a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G), from 1 to 1T"),
                of(
                        "rate on a step on its own",
                        steps("  - write: {task: app, file: /data/x, size: 1M, rate: 1M}"),
                        11,
                        49,
                        "rate paces a step that runs inside together; a step on its own runs unpaced",
                        "write takes task, file, size; rate inside - together: [...]"),
                of(
                        "rate on exit",
                        steps("  - exit: {task: app, rate: 1M}"),
                        11,
                        23,
                        "unknown key \"rate\" in exit",
                        "task"));
    }

    @ParameterizedTest
    @MethodSource({"structure", "tasksAndSizes", "files", "cgroupsAndSnapshots", "sleepAndTogether"})
    void refusedWithPositionAndWhatIsAllowed(ScenarioErrorCase c) {
        c.check();
    }
}
