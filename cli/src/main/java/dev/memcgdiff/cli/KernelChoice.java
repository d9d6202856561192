package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which registered kernels run which scenario: the {@code --kernel} list (every registered kernel
 * when absent), narrowed by each scenario's own {@code kernels:}. Columns always come in the
 * registered order (oldest version first), whatever order the option lists them in.
 */
final class KernelChoice {
    private final List<Kernel> registered;

    KernelChoice(List<Kernel> registered) {
        if (registered.isEmpty()) {
            throw new InternalFailure("no kernel module is on the class path (no META-INF/services/"
                    + Kernel.class.getName() + "): rebuild the jar");
        }
        this.registered = List.copyOf(registered);
    }

    List<Kernel> registered() {
        return registered;
    }

    String registeredVersions() {
        return registered.stream().map(Kernel::version).collect(Collectors.joining(", "));
    }

    /** The kernels --kernel names, or every registered one for null; an unknown version is bad input. */
    List<Kernel> select(List<String> requested) {
        if (requested == null) {
            return registered;
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (String v : requested) {
            String version = v.strip();
            if (registered.stream().noneMatch(k -> k.version().equals(version))) {
                errors.add("memcg-diff: unknown kernel '" + version + "' in --kernel (registered: "
                        + registeredVersions() + ")");
            }
            wanted.add(version);
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return registered.stream().filter(k -> wanted.contains(k.version())).toList();
    }

    /** The selected kernels the scenario allows, in registered order; may be empty. */
    static List<Kernel> allowedBy(Scenario s, List<Kernel> selection) {
        return selection.stream().filter(k -> s.runsOn(k.version())).toList();
    }

    /**
     * The kernels of each scenario, or a BadInput naming every scenario that none of them runs:
     * asking to run a scenario and getting no outcome at all is never what the user meant.
     */
    List<List<Kernel>> perScenario(List<Scenario> scenarios, List<Kernel> selection, boolean explicit) {
        List<List<Kernel>> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Scenario s : scenarios) {
            List<Kernel> ks = allowedBy(s, selection);
            if (ks.isEmpty()) {
                String chosen = selection.stream().map(Kernel::version).collect(Collectors.joining(", "));
                errors.add(s.file() + ": scenario " + s.name() + " runs only on kernels "
                        + String.join(", ", s.kernels()) + ", and none of them is "
                        + (explicit
                                ? "selected (--kernel " + chosen + ")"
                                : "registered (registered: " + chosen + ")"));
            }
            out.add(ks);
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return out;
    }
}
