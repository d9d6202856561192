package dev.memcgdiff.conformance.report;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.reports.AllureEnvironment;
import dev.memcgdiff.run.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report's two steps around {@code allure generate}, run by exec-maven-plugin after the
 * suites: {@code prepare RESULTS VERSION} writes categories.json and environment.properties into
 * the Allure results; {@code publish FROM REPORT} copies the differences pages (and their charts/
 * directory) the report step wrote beside the generated index.html (generate --clean empties the report directory first, so they
 * cannot be written there earlier).
 *
 * <p>{@code check REPORTS WHEN goals=GOALS IGNORE} fails the build when surefire's tests failed. Surefire runs
 * here with testFailureIgnore, so that a failing fast test does not stop the report from being
 * generated; this step gives the failure back: right after the tests when the build stops before
 * the report ({@code mvn test}), after the report otherwise. {@code -Dmaven.test.failure.ignore=true}
 * keeps its usual meaning.
 */
public final class ReportSteps {
    static final List<String> PAGES = List.of("differences.html", "differences.md", "known-gaps.json");
    /** The chart pages' directory, beside the differences pages (their links point into it). */
    static final String CHARTS = "charts";

    private ReportSteps() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), args[2]);
        } else if (args.length == 3 && args[0].equals("publish")) {
            publish(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 5 && args[0].equals("check")) {
            check(Path.of(args[1]), args[2], args[3], Boolean.parseBoolean(args[4]));
        } else {
            throw new IllegalArgumentException("usage: prepare RESULTS_DIR MODEL_VERSION | publish FROM_DIR REPORT_DIR"
                    + " | check SUREFIRE_REPORTS_DIR WHEN(test|final) GOALS IGNORE");
        }
    }

    /** Phases (and what follows them) that reach the report: a check after the tests leaves it to the final one. */
    private static final Set<String> REACH_REPORT =
            Set.of("integration-test", "post-integration-test", "verify", "install", "deploy");

    /**
     * Fail when surefire recorded failures or errors. At "test" the check stands aside if the build
     * goes on to the report (one of the goals, given as "goals=[a, b]", is integration-test or
     * later); at "final" it always acts.
     */
    public static void check(Path reports, String when, String goals, boolean ignore) throws IOException {
        boolean reportFollows = Stream.of(goals.replaceFirst("^goals=", "")
                        .replaceAll("[\\[\\]]", "")
                        .split("[,\\s]+"))
                .anyMatch(REACH_REPORT::contains);
        if (ignore || (when.equals("test") && reportFollows)) {
            return;
        }
        List<String> failed = failedTests(reports);
        if (!failed.isEmpty()) {
            throw new IllegalStateException("There are test failures (surefire ran with testFailureIgnore so that the "
                    + "report could still be written): " + failed.size() + " failed, see " + reports + "\n"
                    + String.join("\n", failed.subList(0, Math.min(20, failed.size())))
                    + (failed.size() > 20 ? "\n..." : ""));
        }
    }

    /** "Class > test" for every failed or erroneous test case in surefire's XML reports. */
    static List<String> failedTests(Path reports) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(reports)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
                    .sorted()
                    .toList();
        }
        for (Path f : files) {
            try {
                DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
                dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                NodeList cases = dbf.newDocumentBuilder().parse(f.toFile()).getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element c = (Element) cases.item(i);
                    if (c.getElementsByTagName("failure").getLength() > 0
                            || c.getElementsByTagName("error").getLength() > 0) {
                        out.add(c.getAttribute("classname") + " > " + c.getAttribute("name"));
                    }
                }
            } catch (Exception e) {
                throw new IOException("cannot read surefire report " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** categories.json, and environment.properties naming every kernel found with its release. */
    public static void prepare(Path results, String modelVersion) throws IOException {
        AllureCategories.write(results);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("model.version", modelVersion);
        for (Kernel k : Kernels.all()) {
            env.put("kernel." + k.version(), k.release());
        }
        AllureEnvironment.write(results, env);
        System.out.println("[memcg-diff] wrote categories.json and environment.properties to " + results);
    }

    /** Copy the differences pages and their chart pages into the report; say so when the suites did not write them. */
    public static void publish(Path from, Path report) throws IOException {
        Files.createDirectories(report);
        for (String page : PAGES) {
            Path src = from.resolve(page);
            if (Files.exists(src)) {
                Files.copy(src, report.resolve(page), StandardCopyOption.REPLACE_EXISTING);
                System.out.println("[memcg-diff] " + report.resolve(page));
            } else {
                System.out.println("[memcg-diff] no " + page + " in " + from + " (the differences step did not run)");
            }
        }
        Path charts = from.resolve(CHARTS);
        if (Files.isDirectory(charts)) {
            Path to = report.resolve(CHARTS);
            Files.createDirectories(to);
            List<Path> pages;
            try (Stream<Path> s = Files.list(charts)) {
                pages = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path page : pages) {
                Files.copy(page, to.resolve(page.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("[memcg-diff] " + to + " (" + pages.size() + " chart pages)");
        }
    }
}
