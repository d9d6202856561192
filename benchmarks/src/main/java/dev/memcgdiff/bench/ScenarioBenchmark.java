package dev.memcgdiff.bench;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole scenarios at the seed's real sizes, one kernel at a time: how long a 32G container takes
 * to fill and OOM (the incident shape), and how the charge path alone scales.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx12g"})
public class ScenarioBenchmark {
    @Param({"3.10", "4.18", "5.18"})
    public String kernel;

    private Kernel k;
    private Scenario chargeOnly;
    private Scenario memswIncident;

    @Setup(Level.Trial)
    public void setup() throws ScenarioException {
        k = Kernels.byVersion(kernel).orElseThrow(() -> new IllegalStateException("no kernel " + kernel));
        chargeOnly = ScenarioParser.parse("charge-only.yaml", """
            name: charge-only
            host: {memory: 64G}
            cgroup: v1
            cgroups:
              /kubepods: {memory.use_hierarchy: 1}
              /kubepods/pod: {memory.limit_in_bytes: 40G}
            tasks:
              java: {cgroup: /kubepods/pod}
            steps:
              - anon: {task: java, size: 32G}
            """);
        memswIncident = ScenarioParser.parse("memsw-incident.yaml", """
            name: memsw-incident
            host: {memory: 64G, swap: 8G}
            cgroup: v1
            cgroups:
              /kubepods: {memory.use_hierarchy: 1}
              /kubepods/pod: {memory.limit_in_bytes: 32G, memory.memsw.limit_in_bytes: 34G}
            tasks:
              java: {cgroup: /kubepods/pod, pid: 7093, oom_score_adj: 916}
              writer: {cgroup: /kubepods/pod, pid: 48975, oom_score_adj: 916}
            steps:
              - anon: {task: java, size: 4G}
              - shmem: {task: writer, file: /dev/shm/cache, size: 28G}
              - anon: {task: writer, size: 3G}
            """);
    }

    /** 8M anonymous pages charged below the limit: the charge path and LRU adds only. */
    @Benchmark
    public Outcome anonFill32G() {
        return Runner.run(chargeOnly, k);
    }

    /** A 32G container with memsw 34G filled with anon and tmpfs until memsw OOMs (limit reclaim, swap). */
    @Benchmark
    public Outcome memswOom32G() {
        return Runner.run(memswIncident, k);
    }
}
