package dev.memcgdiff.conformance;

import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.reports.DifferencesPage;
import dev.memcgdiff.scenario.Scenario;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A difference between kernels that the sources (or the notes, or an incident) say must show up,
 * written by hand before looking at any outcome. It has two halves:
 *
 * <ul>
 *   <li>the scenario, in its own file {@code golden/predicted/ID.yaml}: a small scenario whose
 *       {@code title} is the claim, whose {@code description} is where the claim comes from, and
 *       whose hand-written expectations state each kernel's side;</li>
 *   <li>the {@link Prediction}, in {@link PredictedDifferences}: what the scenario language cannot
 *       say: its area and the notes question it answers (null if none), the observables (Comparison
 *       rows) on which the kernels must then differ ({@code shows}), and, where the expectation
 *       language cannot say it (a memory.stat key a kernel does not print, a dmesg format), a check
 *       in Java.</li>
 * </ul>
 *
 * <p>{@code explains} and {@code value} say which differing rows of the corpus the claim explains on
 * the differences page (null: it explains none by itself); they are narrower than {@code shows},
 * because a row such as "oom kills" can differ for many reasons.
 *
 * @param file the scenario file as users write it, relative to the repository root
 */
record PredictedDifference(Prediction prediction, String file, Scenario scenario) {
    /** The half of a predicted difference that is not a scenario, for the file golden/predicted/ID.yaml. */
    record Prediction(
            String id, String area, String question, Pattern shows, Pattern explains, Pattern value, Check check) {}

    /** What the expectations cannot state, asserted on the outcomes by kernel version. */
    @FunctionalInterface
    interface Check {
        void verify(Map<String, Outcome> byKernel);

        Check NONE = byKernel -> {};
    }

    String id() {
        return prediction.id();
    }

    /** What differs between which kernels: the scenario's title. */
    String claim() {
        return scenario.title();
    }

    /** Where the claim comes from: the scenario's description. */
    String source() {
        return scenario.description().strip();
    }

    String area() {
        return prediction.area();
    }

    String question() {
        return prediction.question();
    }

    Pattern shows() {
        return prediction.shows();
    }

    Pattern explains() {
        return prediction.explains();
    }

    Pattern value() {
        return prediction.value();
    }

    Check check() {
        return prediction.check();
    }

    DifferencesPage.Explanation explanation() {
        return new DifferencesPage.Explanation(claim(), source(), explains(), value());
    }

    /** Where the report files it: the area, and the question's feature or "no question of the notes". */
    NotesQuestions.Placement placement() {
        return placement(prediction);
    }

    static NotesQuestions.Placement placement(Prediction p) {
        NotesQuestions.Question q = p.question() == null ? null : NotesQuestions.QUESTIONS.get(p.question());
        return new NotesQuestions.Placement(p.area(), q == null ? "no question of the notes" : q.feature(), List.of());
    }

    /** A cgroup's files in the outcome's final snapshot. */
    static Map<String, Object> files(Outcome o, String cgroup) {
        Snapshot end = o.snapshot(Outcome.END);
        CgroupFiles files = end == null ? null : end.cgroups().get(cgroup);
        if (files == null) {
            throw new AssertionError(o.kernel() + ": no cgroup " + cgroup + " in the final snapshot");
        }
        return files.files();
    }

    /** The keys a keyed cgroup file (memory.stat, memory.events) prints in the final snapshot. */
    static List<String> keys(Outcome o, String cgroup, String file) {
        Object v = files(o, cgroup).get(file);
        if (!(v instanceof Map<?, ?> m)) {
            throw new AssertionError(o.kernel() + ": " + cgroup + " has no keyed file " + file);
        }
        return m.keySet().stream().map(String::valueOf).toList();
    }

    /** The dmesg lines of the n-th OOM kill. */
    static List<String> report(Outcome o, int n) {
        if (o.oomKills().size() <= n) {
            throw new AssertionError(o.kernel() + ": no OOM kill " + n + " (there were "
                    + o.oomKills().size() + ")");
        }
        return o.oomKills().get(n).report();
    }
}
