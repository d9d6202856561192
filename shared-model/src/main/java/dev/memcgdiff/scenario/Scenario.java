package dev.memcgdiff.scenario;

import java.util.List;

/**
 * A parsed, validated scenario: immutable. {@code kernels} is empty when the file does not
 * limit them. {@code cgroups} excludes the implied root and lists parents before children.
 */
public record Scenario(
        String file,
        String name,
        String title,
        String description,
        List<String> refs,
        List<String> kernels,
        long seed,
        HostSpec host,
        CgroupInterface cgroup,
        List<CgroupSpec> cgroups,
        List<TaskSpec> tasks,
        List<Step> steps,
        List<Expectation> expectations,
        String source) {
    public Scenario {
        refs = List.copyOf(refs);
        kernels = List.copyOf(kernels);
        cgroups = List.copyOf(cgroups);
        tasks = List.copyOf(tasks);
        steps = List.copyOf(steps);
        expectations = List.copyOf(expectations);
    }

    public boolean runsOn(String kernel) {
        return kernels.isEmpty() || kernels.contains(kernel);
    }
}
