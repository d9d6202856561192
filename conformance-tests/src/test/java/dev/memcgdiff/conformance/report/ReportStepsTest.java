package dev.memcgdiff.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memcgdiff.run.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStepsTest {
    @TempDir
    Path dir;

    private Path surefireReports(boolean failing) throws IOException {
        Path reports = dir.resolve("surefire-reports");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("TEST-a.BTest.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="a.BTest" tests="3" failures="%d" errors="0">
              <testcase classname="a.BTest" name="passes"/>
              %s
              <testcase classname="a.BTest" name="skipped"><skipped/></testcase>
            </testsuite>
            """.formatted(
                failing ? 1 : 0,
                failing
                        ? "<testcase classname=\"a.BTest\" name=\"fails\"><failure " + "message=\"x\"/></testcase>"
                        : ""));
        Files.writeString(reports.resolve("a.BTest.txt"), "not a report\n");
        return reports;
    }

    @Test
    void afterTheTestsAFailureFailsTheBuildUnlessTheReportFollows() throws IOException {
        Path reports = surefireReports(true);

        assertThatThrownBy(() -> ReportSteps.check(reports, "test", "goals=[test]", false))
                .hasMessageContaining("1 failed")
                .hasMessageContaining("a.BTest > fails");
        ReportSteps.check(reports, "test", "goals=[clean, verify]", false);
        ReportSteps.check(reports, "test", "goals=[install]", false);
        assertThatThrownBy(() -> ReportSteps.check(reports, "final", "goals=[clean, verify]", false))
                .hasMessageContaining("a.BTest > fails");
        ReportSteps.check(reports, "final", "goals=[verify]", true);
    }

    @Test
    void passingOrMissingReportsPass() throws IOException {
        ReportSteps.check(surefireReports(false), "final", "goals=[verify]", false);
        ReportSteps.check(dir.resolve("none"), "test", "goals=[test]", false);
        assertThat(ReportSteps.failedTests(surefireReports(false))).isEmpty();
    }

    @Test
    void prepareNamesEveryKernelWithItsRelease() throws IOException {
        ReportSteps.prepare(dir, "9.9.9");
        Properties env = new Properties();
        env.load(Files.newBufferedReader(dir.resolve("environment.properties")));

        assertThat(dir.resolve("categories.json")).exists();
        assertThat(env).containsEntry("model.version", "9.9.9");
        Kernels.all().forEach(k -> assertThat(env).containsEntry("kernel." + k.version(), k.release()));
        assertThat(env).hasSize(Kernels.all().size() + 1);
    }

    @Test
    void publishCopiesThePagesThatExist() throws IOException {
        Path from = dir.resolve("from");
        Path report = dir.resolve("report");
        Files.createDirectories(from);
        Files.writeString(from.resolve("differences.html"), "<p>x</p>");

        ReportSteps.publish(from, report);

        assertThat(report.resolve("differences.html")).hasContent("<p>x</p>");
        assertThat(report.resolve("differences.md")).doesNotExist();
        assertThat(report.resolve("charts")).doesNotExist();
    }

    @Test
    void publishCopiesTheChartPagesBesideThem() throws IOException {
        Path from = dir.resolve("from");
        Path report = dir.resolve("report");
        Files.createDirectories(from.resolve("charts"));
        Files.writeString(from.resolve("differences.html"), "<a href=\"charts/s.html\">x</a>");
        Files.writeString(from.resolve("charts").resolve("s.html"), "<p>chart</p>");

        ReportSteps.publish(from, report);

        assertThat(report.resolve("charts").resolve("s.html")).hasContent("<p>chart</p>");
    }
}
