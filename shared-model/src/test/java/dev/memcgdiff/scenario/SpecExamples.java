package dev.memcgdiff.scenario;

/** The examples of docs/scenario-format.md, as tests read them. */
final class SpecExamples {
    /** The format's main example, verbatim. */
    static final String EXAMPLE = """
            name: memsw-swap-past-2g            # required; [a-z0-9][a-z0-9-]*; unique in the corpus
            title: Container swap grows past memsw minus limit
            description: |
              32G container, memsw = limit + 2G, fills tmpfs and anon until memsw is hit.
            refs: ["docs/QUESTIONS.md §9", "golden/incidents/4.18-memcg-shmem-write-memsw.log", "mm/memcontrol.c:mem_cgroup_swapout (4.18.0-147)"]
            kernels: ["3.10", "4.18", "5.18"]   # optional; default: every kernel module found
            seed: 42                            # optional; the only source of randomness (pattern: random)
            host:
              memory: 64G                       # RAM; 4 KiB pages
              swap: 8G                          # 0 or absent: no swap device
              nodes: 1                          # NUMA nodes, RAM split evenly (optional, default 1)
              min_free_kbytes: 67584            # optional; default: the kernel's own formula
              thp: never                        # always | madvise | never (default never)
            cgroup: v1                          # v1 | v2: which interface the knobs below belong to
            cgroups:                            # parents before children; "/" is the root and is implied
              /kubepods:
                memory.limit_in_bytes: 60G
                memory.use_hierarchy: 1
              /kubepods/pod:
                memory.limit_in_bytes: 32G
                memory.memsw.limit_in_bytes: 34G
              /kubepods/pod/app: {}
            tasks:
              java: {cgroup: /kubepods/pod/app, pid: 7093, oom_score_adj: 916, uid: 1000}
              sidecar: {cgroup: /kubepods/pod/app, pid: 7100}
            steps:
              - anon:   {task: java, size: 4G}                          # write-fault private anonymous memory
              - shmem:  {task: java, file: /dev/shm/cache, size: 28G}   # write to a tmpfs file (appends)
              - read:   {task: sidecar, file: /data/app.log, size: 1G}  # buffered read through the page cache
              - write:  {task: java, file: /data/out, size: 512M}       # buffered write: dirty page cache
              - mmap:   {task: java, file: /data/lib.so, size: 64M}     # map a file and fault it in (read)
              - touch:  {task: java, what: anon, size: 1G, pattern: random, passes: 2}  # re-access resident memory
              - free:   {task: java, size: 1G}                          # munmap anonymous memory (newest first)
              - unlink: {file: /dev/shm/cache}                          # delete a file: tmpfs pages and page cache go
              - set:    {cgroup: /kubepods/pod, memory.limit_in_bytes: 16G}   # write a knob while running
              - move:   {task: sidecar, cgroup: /kubepods}              # migrate a task (charges stay, as in v1 default)
              - host:   {size: 10G}                                     # a process outside every container allocates anon
              - exit:   {task: sidecar}                                 # task exits; its anon and swap are freed
              - snapshot: after-fill                                    # record every observable under this label
            """;

    /**
     * The format's expectation example made into a whole file: its cgroups (/pod, /c, /A/B), its
     * labels (filled, pressure) and its step 3 exist. Line 31 holds the first expectation.
     */
    static final String EXPECT_EXAMPLE = """
            name: expect-example
            kernels: ["3.10", "4.18", "5.18"]
            host: {memory: 1G}
            cgroup: v2
            cgroups:
              /pod: {memory.max: 700M}
              /c: {memory.max: 100M}
              /A: {}
              /A/B: {memory.high: 100M}
            tasks:
              a: {cgroup: /pod}
              b: {cgroup: /pod}
              c: {cgroup: /c}
            steps:
              - shmem: {task: a, file: /dev/shm/x, size: 690M}
              - anon: {task: b, size: 10M}
              - anon: {task: c, size: 95M}
              - anon: {task: b, size: 100M}
              - snapshot: filled
              - move: {task: a, cgroup: /A/B}
              - anon: {task: a, size: 60M}
              - snapshot: pressure
            expect:
              all:                                        # every kernel that supports the scenario
                - "kills == 2"
                - "victim 0 == b"                         # the first OOM kill's victim
                - "step 3 == killed"                      # a step's result
                - "/pod memory.stat:cache >= 690M"        # a cgroup file, or file:key, at the end
              "5.18":
                - "/c memory.stat:inactive_anon@filled >= 95M"   # @label: at that snapshot
                - "/A/B memory.current@pressure ~ 50M 3%"        # ~ target tolerance-percent
              "3.10":
                - "unsupported"                           # this kernel must refuse the scenario
            """;

    private SpecExamples() {}
}
