package dev.memcgdiff.conformance;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/** Checks over the whole corpus: stale golden files, and scenario/kernel pairs nobody wrote an expectation for. */
final class CorpusChecks {
    private CorpusChecks() {}

    /**
     * Golden files no test compares any more: their scenario file is gone, or the scenario is no
     * longer run by that kernel (its kernels list changed, or no module provides the kernel).
     * A file the parser refuses keeps its golden files: they are not stale until it is fixed.
     */
    static List<Path> stale(Corpus corpus, List<String> registered) {
        Set<String> names = new LinkedHashSet<>();
        corpus.entries().forEach(e -> names.add(e.name()));
        List<Path> out = new ArrayList<>(corpus.store().staleOutcomes(names));
        for (Corpus.Entry e : corpus.entries()) {
            if (!e.valid()) {
                continue;
            }
            Path dir = corpus.store().outcomeDir().resolve(e.name());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String kernel = f.getFileName().toString().replaceFirst("\\.golden$", "");
                    if (!registered.contains(kernel) || !e.scenario().runsOn(kernel)) {
                        out.add(f);
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /**
     * "SCENARIO on KERNEL" for every pair where no expectation applies: none names the kernel and
     * none of "all" can be checked (all of them are not applicable on a kernel that refused the
     * scenario). A kernel model that threw counts as uncovered too: nothing was checked.
     */
    static List<String> uncovered(List<Corpus.Entry> entries, Function<Scenario, Map<String, Outcomes.Run>> runs) {
        List<String> out = new ArrayList<>();
        for (Corpus.Entry e : entries) {
            if (!e.valid()) {
                continue;
            }
            for (Outcomes.Run run : runs.apply(e.scenario()).values()) {
                if (!run.ok() || !covered(e.scenario(), run.outcome())) {
                    out.add(e.name() + " on " + run.kernel());
                }
            }
        }
        return out;
    }

    static boolean covered(Scenario s, Outcome o) {
        return ExpectationChecker.check(s, o).stream()
                .anyMatch(r -> r.verdict() != ExpectationResult.Verdict.NOT_APPLICABLE);
    }
}
