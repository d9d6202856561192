package dev.memcgdiff.cli;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expectations of a scenario as the commands report them: whether any failed (the exit
 * status), which kernels the scenario runs on with no expectation that applies (a warning, as the
 * corpus suite refuses such a pair), and the results in the JSON output.
 */
final class Coverage {
    private Coverage() {}

    /** Whether an expectation failed on any kernel (a closed known gap counts; an open one does not). */
    static boolean anyFailed(Scenario s, List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (ExpectationChecker.check(s, o).stream().anyMatch(ExpectationResult::failed)) {
                return true;
            }
        }
        return false;
    }

    /** After a run: one warning per kernel where every expectation was not applicable, or none was written. */
    static List<String> uncoveredWarnings(Scenario s, List<Outcome> outcomes) {
        List<String> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            boolean covered = ExpectationChecker.check(s, o).stream()
                    .anyMatch(r -> r.verdict() != ExpectationResult.Verdict.NOT_APPLICABLE);
            if (!covered) {
                out.add(warning(s, o.kernel(), !o.supported()));
            }
        }
        return out;
    }

    /**
     * Without running: the registered kernels the scenario allows where no expectation applies. A
     * kernel that refuses the scenario (Kernel.unsupported) is covered only by its own key, since
     * "all" expectations are not applicable there.
     */
    static List<String> uncoveredBeforeRunning(Scenario s, List<Kernel> registered) {
        List<String> out = new ArrayList<>();
        for (Kernel k : registered) {
            if (!s.runsOn(k.version())) {
                continue;
            }
            boolean refuses = refuses(k, s);
            boolean covered = false;
            for (Expectation e : s.expectations()) {
                if (e.kernel().equals(k.version()) || (!refuses && e.kernel().equals("all"))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                out.add(warning(s, k.version(), refuses));
            }
        }
        return out;
    }

    private static boolean refuses(Kernel k, Scenario s) {
        try {
            return k.unsupported(s).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String warning(Scenario s, String kernel, boolean refused) {
        return "memcg-diff: warning: " + s.file() + ": no expectation applies on " + kernel
                + (refused
                        ? " (it refuses the scenario, so \"all\" does not apply): add \"unsupported\" under \"" + kernel
                                + "\" if it must refuse it"
                        : ": add one under \"all\" or \"" + kernel + "\", written from that kernel's source")
                + " (the golden corpus suite refuses a scenario/kernel pair without one)";
    }

    /** JsonOutcome's object with each kernel's expectation results added as "expectations". */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withExpectations(Map<String, Object> scenario, Scenario s, List<Outcome> outcomes) {
        Map<String, Object> root = new LinkedHashMap<>(scenario);
        Map<String, Object> kernels = new LinkedHashMap<>((Map<String, Object>) root.get("kernels"));
        for (Outcome o : outcomes) {
            Map<String, Object> k = new LinkedHashMap<>((Map<String, Object>) kernels.get(o.kernel()));
            k.put(
                    "expectations",
                    ExpectationChecker.check(s, o).stream()
                            .map(ExpectationResult::json)
                            .toList());
            kernels.put(o.kernel(), k);
        }
        root.put("kernels", kernels);
        return root;
    }
}
