package dev.memcgdiff.golden;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The golden corpus on disk: scenarios in {@code golden/scenarios/NAME.yaml}, recorded outcomes in
 * {@code golden/outcomes/NAME/KERNEL.golden}. Outcomes are written only on request, atomically
 * (a temporary file in the same directory, then a rename), and never deleted.
 */
public final class GoldenStore {
    /** How a write changed the corpus. */
    public enum Status {
        CREATED,
        CHANGED,
        UNCHANGED
    }

    /** One write: the file, what happened, and how many lines came and went. */
    public record WriteResult(Path file, Status status, int added, int removed) {
        /** e.g. "changed golden/outcomes/x/4.18.golden (+3 -1)". */
        public String summary() {
            return status.name().toLowerCase(java.util.Locale.ROOT) + " " + file + " (+" + added + " -" + removed + ")";
        }
    }

    private final Path root;

    public GoldenStore(Path root) {
        this.root = root;
    }

    /** The golden/ directory found from {@code start} or one of its parents, or empty. */
    public static Optional<GoldenStore> find(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("golden").resolve("scenarios"))) {
                return Optional.of(new GoldenStore(p.resolve("golden")));
            }
        }
        return Optional.empty();
    }

    public Path root() {
        return root;
    }

    public Path scenarioDir() {
        return root.resolve("scenarios");
    }

    public Path outcomeDir() {
        return root.resolve("outcomes");
    }

    /** Every scenario file, sorted by name. */
    public List<Path> scenarioFiles() {
        if (!Files.isDirectory(scenarioDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(scenarioDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path outcomeFile(String scenario, String kernel) {
        return outcomeDir().resolve(scenario).resolve(kernel + ".golden");
    }

    public Optional<String> read(String scenario, String kernel) {
        Path f = outcomeFile(scenario, kernel);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Write an outcome atomically; nothing is written when the text is unchanged. */
    public WriteResult write(String scenario, String kernel, String text) throws IOException {
        Path f = outcomeFile(scenario, kernel);
        Optional<String> old = read(scenario, kernel);
        if (old.isPresent() && old.get().equals(text)) {
            return new WriteResult(f, Status.UNCHANGED, 0, 0);
        }
        Files.createDirectories(f.getParent());
        Path tmp = Files.createTempFile(f.getParent(), "." + kernel + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            readableByAll(tmp);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        int[] counts = changeCounts(old.orElse(""), text);
        return new WriteResult(f, old.isPresent() ? Status.CHANGED : Status.CREATED, counts[0], counts[1]);
    }

    /** createTempFile makes the file private (rw-------); a golden file is as readable as any source file. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Recorded outcomes whose scenario no longer exists. */
    public List<Path> staleOutcomes(Set<String> scenarioNames) {
        if (!Files.isDirectory(outcomeDir())) {
            return List.of();
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(outcomeDir())) {
            for (Path d : dirs.sorted().toList()) {
                if (!scenarioNames.contains(d.getFileName().toString())) {
                    try (Stream<Path> files = Files.list(d)) {
                        files.sorted().forEach(stale::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stale;
    }

    /** A unified diff of the golden text against a new outcome, empty when they are equal. */
    public static String unifiedDiff(String golden, String actual, String name) {
        List<String> a = lines(golden);
        List<String> b = lines(actual);
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("golden/" + name, "actual/" + name, a, patch, 2))
                + "\n";
    }

    private static int[] changeCounts(String before, String after) {
        Patch<String> patch = DiffUtils.diff(lines(before), lines(after));
        int added = 0;
        int removed = 0;
        for (AbstractDelta<String> d : patch.getDeltas()) {
            added += d.getTarget().size();
            removed += d.getSource().size();
        }
        return new int[] {added, removed};
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n", -1));
    }
}
