package dev.memcgdiff.conformance;

import dev.memcgdiff.golden.GoldenStore;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The suites' switches, from system properties that the pom passes to the test JVM. */
final class Settings {
    static final String UPDATE = "golden.update";
    static final String ONLY = "golden.only";
    static final String DIR = "golden.dir";
    static final String THREADS = "conformance.threads";
    static final String REPORT_DIR = "memcgdiff.report.dir";

    private Settings() {}

    /** -Dgolden.update=true: write golden files instead of failing on a mismatch. */
    static boolean update() {
        return Boolean.parseBoolean(property(UPDATE).orElse("false").trim());
    }

    /** -Dgolden.only=a,b: the scenarios to run; empty means every scenario. */
    static Set<String> only() {
        Set<String> names = new TreeSet<>();
        for (String n : property(ONLY).orElse("").split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** The golden/ directory: -Dgolden.dir when given, else found above the working directory. */
    static Optional<GoldenStore> store() {
        return property(DIR)
                .filter(d -> !d.isBlank())
                .map(d -> new GoldenStore(Path.of(d).toAbsolutePath()))
                .or(() -> GoldenStore.find(Path.of("")));
    }

    /** Threads that run one scenario's kernels side by side; 0 or unset: one per processor. */
    static int threads() {
        int n = property(THREADS)
                .filter(s -> s.matches("\\s*[0-9]+\\s*"))
                .map(s -> Integer.parseInt(s.trim()))
                .orElse(0);
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** Where the differences step writes differences.html and differences.md. */
    static Path reportDir() {
        return Path.of(property(REPORT_DIR).filter(d -> !d.isBlank()).orElse("target/memcg-diff"));
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name));
    }
}
