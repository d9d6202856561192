package dev.memcgdiff.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memcgdiff.conformance.Report;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DifferencesStepTest {
    @TempDir
    Path dir;

    /** A copy of the fixture corpus (src/test/resources/fixture-corpus/golden). */
    private Path golden() throws IOException, URISyntaxException {
        Path from = Path.of(
                DifferencesStepTest.class.getResource("/fixture-corpus/golden").toURI());
        Path to = dir.resolve("golden");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    @Test
    void bothPagesListEveryScenarioAndThePredictedDifferencesWithoutFailingOnWhatCannotBeCompared()
            throws IOException, URISyntaxException {
        Path out = dir.resolve("out");

        List<String> said = Report.differencesPages(golden(), Set.of(), out);

        String md = Files.readString(out.resolve("differences.md"), StandardCharsets.UTF_8);
        String html = Files.readString(out.resolve("differences.html"), StandardCharsets.UTF_8);
        assertThat(md)
                .contains("\n## no-expectations\n", "\n## small-anon\n", "\n## unknown-key\n", "\n## wrong-name\n");
        assertThat(md).contains("Runs on 4.18 only: nothing to compare it with.");
        assertThat(md).contains("invalid scenario: golden/scenarios/unknown-key.yaml:8:1: ");
        assertThat(md).contains("\n## Predicted differences\n\n- ");
        assertThat(html).contains("<h2 id=\"predicted\">Predicted differences</h2>");
        assertThat(said.get(0)).startsWith("differences pages: 4 scenarios, 0 where the kernels differ, ");
        assertThat(said).anyMatch(l -> l.startsWith("unknown-key: not compared: invalid scenario: "));
    }

    @Test
    void goldenOnlySelectsTheScenarios() throws IOException, URISyntaxException {
        Path out = dir.resolve("out");

        Report.differencesPages(golden(), Set.of("small-anon"), out);

        String md = Files.readString(out.resolve("differences.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("\n## small-anon\n").doesNotContain("\n## no-expectations\n");
    }

    @Test
    void eachComparedScenarioGetsAChartPageOverTimeThatThePagesLinkTo() throws IOException, URISyntaxException {
        Path out = dir.resolve("out");

        Report.differencesPages(golden(), Set.of("small-anon"), out);

        Path chart = out.resolve("charts").resolve("small-anon.html");
        String html = Files.readString(out.resolve("differences.html"), StandardCharsets.UTF_8);
        String md = Files.readString(out.resolve("differences.md"), StandardCharsets.UTF_8);
        assertThat(chart).exists();
        assertThat(Files.readString(chart, StandardCharsets.UTF_8))
                .contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-cgroup=\"/\"");
        assertThat(html).contains("<a href=\"charts/small-anon.html\">");
        assertThat(md).contains("(charts/small-anon.html)");
    }

    @Test
    void theStepTakesItsSwitchesAsSystemProperties() {
        assertThatThrownBy(() -> DifferencesStep.main(new String[] {"target/memcg-diff"}))
                .hasMessageStartingWith("usage: DifferencesStep, with -Dmemcgdiff.report.dir=DIR");
    }
}
