package dev.memcgdiff.conformance;

import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.reports.AllureCategories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One outcome against its golden file, golden/outcomes/NAME/KERNEL.golden. Without update a
 * missing or different file is a problem whose message says how to record it; with update the
 * file is written (atomically, only when it changed) and nothing is a problem.
 */
final class GoldenCheck {
    /** What the check found: a problem (null if none), the diff (empty if equal), what update wrote. */
    record Result(String problem, String diff, GoldenStore.WriteResult written) {}

    private GoldenCheck() {}

    static Result check(Corpus corpus, Outcome outcome, boolean update) {
        GoldenStore store = corpus.store();
        String name = outcome.scenario();
        String file = corpus.display(store.outcomeFile(name, outcome.kernel()));
        String actual = GoldenText.render(outcome);
        Optional<String> golden = store.read(name, outcome.kernel());
        String diff = golden.map(g -> GoldenStore.unifiedDiff(g, actual, name + "/" + outcome.kernel() + ".golden"))
                .orElse("");
        if (update) {
            try {
                return new Result(null, diff, store.write(name, outcome.kernel(), actual));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
        if (golden.isEmpty()) {
            return new Result(
                    AllureCategories.GOLDEN_MISMATCH + ": " + file + " does not exist; record it with: "
                            + recordCommand(name),
                    "",
                    null);
        }
        if (!diff.isEmpty()) {
            return new Result(
                    AllureCategories.GOLDEN_MISMATCH + ": the outcome differs from " + file
                            + " (- golden, + actual); if the change is intended, record it with: " + recordCommand(name)
                            + "\n"
                            + diff,
                    diff,
                    null);
        }
        return new Result(null, "", null);
    }

    static String recordCommand(String name) {
        return "mvn verify -D" + Settings.UPDATE + "=true -D" + Settings.ONLY + "=" + name
                + " (or ./memcg-diff record golden/scenarios/" + name + ".yaml)";
    }
}
