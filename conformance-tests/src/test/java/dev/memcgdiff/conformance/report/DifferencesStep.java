package dev.memcgdiff.conformance.report;

import dev.memcgdiff.conformance.Report;
import java.io.IOException;

/**
 * The report step that writes the differences pages (differences.html and differences.md) into
 * {@code -Dmemcgdiff.report.dir}, from which {@code ReportSteps publish} copies them beside the
 * Allure report. exec-maven-plugin runs it in {@code post-integration-test}, after the suites and
 * {@code allure generate}, whatever the suites' result, in a JVM of its own with the suites' heap
 * ({@code surefire.argLine}) and switches ({@code -Dgolden.dir}, {@code -Dgolden.only},
 * {@code -Dconformance.threads}). It runs the selected scenarios on every kernel again: the model
 * is deterministic, so these are the outcomes the suites checked.
 *
 * <p>It is not a test and fails only on its own errors (it cannot write the pages): differences
 * are findings, and a kernel model that throws is named on the page and fails GoldenSuite.
 */
public final class DifferencesStep {
    private DifferencesStep() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 0) {
            throw new IllegalArgumentException("usage: DifferencesStep, with -Dmemcgdiff.report.dir=DIR and the "
                    + "suites' -Dgolden.dir, -Dgolden.only and -Dconformance.threads");
        }
        for (String line : Report.differencesPages()) {
            System.out.println("[memcg-diff] " + line);
        }
    }
}
