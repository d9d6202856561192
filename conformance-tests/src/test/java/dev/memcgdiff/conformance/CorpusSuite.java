package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.run.Kernels;
import io.qameta.allure.Allure;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The corpus as a whole: no stale golden file, every pair covered by an expectation, sane switches. */
@DisplayName("golden corpus")
class CorpusSuite {
    @BeforeEach
    void labels() {
        Allure.epic("corpus");
        Allure.feature("golden corpus");
    }

    @Test
    @DisplayName("no golden file is stale")
    void noStaleGoldenFiles() {
        Corpus corpus = present();
        List<String> registered = Kernels.all().stream().map(Kernel::version).toList();
        List<Path> stale = CorpusChecks.stale(corpus, registered);
        if (!stale.isEmpty()) {
            throw new AssertionFailedError(AllureCategories.GOLDEN_MISMATCH + ": stale golden files: no scenario, or "
                    + "no kernel found on the class path (" + String.join(", ", registered) + "), runs them any more; "
                    + "delete them or restore their scenario:\n"
                    + stale.stream().map(corpus::display).collect(Collectors.joining("\n")));
        }
    }

    @Test
    @DisplayName("every scenario/kernel pair has an expectation")
    void everyPairIsCovered() {
        Corpus corpus = present();
        List<String> uncovered = CorpusChecks.uncovered(corpus.selected(Settings.only()), Outcomes::of);
        if (!uncovered.isEmpty()) {
            throw new AssertionFailedError("not covered: " + uncovered.size() + " scenario/kernel pairs run with no "
                    + "hand-written expectation that applies to them (add one under \"all\" or the kernel's key, or "
                    + "\"unsupported\" for a kernel that must refuse the scenario):\n" + String.join("\n", uncovered));
        }
    }

    @Test
    @DisplayName("golden.only names scenarios of the corpus")
    void goldenOnlyNamesExistingScenarios() {
        Corpus corpus = present();
        assertThat(corpus.unknown(Settings.only()))
                .as(
                        "-D%s names files that are not in %s",
                        Settings.ONLY, corpus.display(corpus.store().scenarioDir()))
                .isEmpty();
    }

    @Test
    @DisplayName("the suites run with the heap the real-sized incidents need")
    void heapFromTheParentArgLine() {
        long gib = Runtime.getRuntime().maxMemory() >> 30;
        assertThat(gib)
                .as("max heap in GiB: run the suites with the parent's surefire.argLine (-Xmx8g); incident "
                        + "scenarios model hosts of up to ~170 GiB page by page, two kernels at a time")
                .isGreaterThanOrEqualTo(6);
    }

    private static Corpus present() {
        Corpus corpus = Corpus.shared();
        if (corpus == null) {
            throw new AssertionFailedError(Corpus.missing());
        }
        return corpus;
    }
}
