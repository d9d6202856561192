package dev.memcgdiff.cli;

/** Small scenario files for the command's tests; 64M hosts so every run takes milliseconds. */
final class Scenarios {
    private Scenarios() {}

    /**
     * A 4M container (1024 pages, no swap) where "big" faults 8M of anon after "small" took 1M.
     * Anon cannot be reclaimed without swap, so the charge ends in a memcg OOM kill in /a, and
     * oom_badness picks the task with the most pages, big (pid 200). Line 22 column 7 holds an
     * expectation that is false on purpose ("step 1 == ok": the step is killed).
     */
    static final String MEMCG_OOM = """
        name: small-oom
        title: A 4M container fills anon past its limit
        host: {memory: 64M, swap: 0}
        cgroup: v1
        cgroups:
          /a:
            memory.limit_in_bytes: 4M
        tasks:
          big: {cgroup: /a, pid: 200}
          small: {cgroup: /a, pid: 201}
        steps:
          - anon: {task: small, size: 1M}
          - anon: {task: big, size: 8M}
          - snapshot: after-kill
          - read: {task: small, file: /data/x, size: 1M}
        expect:
          all:
            - "kills == 1"
            - "victim 0 == big"
          "4.18":
            - "step 1 == killed"
            - "step 1 == ok"
        """;

    /** A cgroup v2 container well under its memory.max: no OOM, 2M of anon. */
    static final String V2_NO_PRESSURE = """
        name: v2-quiet
        host: {memory: 64M}
        cgroup: v2
        cgroups:
          /c:
            memory.max: 8M
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 2M}
        """;

    /**
     * memory.swap.high came in 5.8: 4.18 refuses the scenario with that reason, 5.18 runs it
     * (4.18.0-147 has no swap_high in memcontrol.c; 5.18's memory_files lists "swap.high").
     */
    static final String SWAP_HIGH = """
        name: swap-high
        host: {memory: 64M, swap: 64M}
        cgroup: v2
        cgroups:
          /c:
            memory.max: 8M
            memory.swap.high: 1M
        tasks:
          t: {cgroup: /c}
        steps:
          - anon: {task: t, size: 2M}
        """;

    /** Line 2 column 16: a lowercase size suffix. */
    static final String BAD_SIZE = """
        name: bad-size
        host: {memory: 4g}
        cgroup: v1
        tasks: {}
        steps:
          - host: {size: 1M}
        """;

    /** Line 2 column 1: a key the format does not have. */
    static final String BAD_KEY = """
        name: bad-key
        colour: red
        """;

    /** Only 3.10 may run it. */
    static final String ONLY_310 = """
        name: only-310
        kernels: ["3.10"]
        host: {memory: 64M}
        cgroup: v1
        tasks: {}
        steps:
          - host: {size: 1M}
        """;

    /** A scenario for one named kernel: the version is put in by the test. */
    static String onlyOn(String version) {
        return """
            name: only-one
            kernels: ["%s"]
            host: {memory: 64M}
            cgroup: v1
            tasks: {}
            steps:
              - host: {size: 1M}
            """.formatted(version);
    }
}
