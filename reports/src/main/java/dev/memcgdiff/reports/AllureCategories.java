package dev.memcgdiff.reports;

import dev.memcgdiff.outcome.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's categories.json. A test joins a category when its status message contains the
 * category's marker (Allure matches the whole message, across lines); the suites start their
 * messages with these markers, so the two can never drift apart.
 */
public final class AllureCategories {
    public static final String BEHAVIOUR_DIFFERENCE = "behaviour difference";
    public static final String GOLDEN_MISMATCH = "golden mismatch";
    public static final String INVALID_SCENARIO = "invalid scenario";
    public static final String FAILED_EXPECTATION = "failed expectation";
    /** A known-gap expectation that now passes: the build fails until its marker is removed. */
    public static final String CLOSED_KNOWN_GAP = "known gap closed";
    /** A known-gap expectation that still fails: reported, the test passes. */
    public static final String KNOWN_GAP = "known gap";

    /** A category: its name, the marker its messages carry, and which statuses it collects. */
    public record Category(String name, String description, List<String> statuses) {
        /** Allure's messageRegex: the marker anywhere in the message. */
        public String messageRegex() {
            return ".*\\Q" + name + ":\\E.*";
        }
    }

    public static final List<Category> ALL = List.of(
            new Category(
                    BEHAVIOUR_DIFFERENCE,
                    "Kernels give different results for the same scenario (passed tests: "
                            + "the difference is the finding, see differences.html)",
                    List.of("passed", "failed")),
            new Category(
                    GOLDEN_MISMATCH,
                    "An outcome differs from its recorded golden file, a golden file is " + "missing, or one is stale",
                    List.of("failed")),
            new Category(INVALID_SCENARIO, "A scenario file the parser refuses", List.of("failed", "broken")),
            new Category(
                    FAILED_EXPECTATION,
                    "A hand-written expectation from the kernel source, the questions of docs/QUESTIONS.md or an "
                            + "incident does not hold",
                    List.of("failed")),
            new Category(
                    CLOSED_KNOWN_GAP,
                    "An expectation marked known-gap now holds: the model closed the gap, so the marker must be "
                            + "removed (the test fails until it is)",
                    List.of("failed")),
            new Category(
                    KNOWN_GAP,
                    "An expectation marked known-gap still fails: what the model cannot reproduce yet, with the "
                            + "reason and where possible the docs/FIDELITY.md entry (passed tests)",
                    List.of("passed")));

    private AllureCategories() {}

    public static String json() {
        List<Object> out = new ArrayList<>();
        for (Category c : ALL) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("description", c.description());
            m.put("messageRegex", c.messageRegex());
            m.put("matchedStatuses", c.statuses());
            out.add(m);
        }
        return Json.write(out, true) + "\n";
    }

    public static void write(Path resultsDir) throws IOException {
        Files.createDirectories(resultsDir);
        Files.writeString(resultsDir.resolve("categories.json"), json(), StandardCharsets.UTF_8);
    }
}
