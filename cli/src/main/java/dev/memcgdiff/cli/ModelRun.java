package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/** Runs a scenario on kernels; a failure of the model becomes one line naming the scenario and kernel. */
final class ModelRun {
    private ModelRun() {}

    static List<Outcome> outcomes(Scenario s, List<Kernel> kernels) {
        List<Outcome> out = new ArrayList<>();
        for (Kernel k : kernels) {
            out.add(outcome(s, k));
        }
        return out;
    }

    static Outcome outcome(Scenario s, Kernel k) {
        try {
            return Runner.run(s, k);
        } catch (OutOfMemoryError e) {
            // Page state is held for the whole host: a large host needs a large heap, not a bug report.
            throw new InternalFailure("out of memory running " + s.file() + " on " + k.version() + " (host memory "
                    + s.host().memoryBytes() + " bytes): give java more heap, e.g. MEMCG_DIFF_JAVA_OPTS=-Xmx16g");
        } catch (RuntimeException | StackOverflowError e) {
            throw new InternalFailure(
                    "internal error running " + s.file() + " on " + k.version() + ": " + InternalFailure.describe(e));
        }
    }
}
