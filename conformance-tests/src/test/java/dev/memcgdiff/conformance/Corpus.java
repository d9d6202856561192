package dev.memcgdiff.conformance;

import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scenario files of golden/scenarios, each parsed once: a valid scenario, or the parser's
 * message (path:line:column: what is wrong (allowed: ...)). A file whose {@code name} is not its
 * file name is refused too, because golden outcomes are filed under the name.
 */
final class Corpus {
    /** One scenario file: its name (the file name without .yaml) and the scenario or the problem. */
    record Entry(Path file, String name, Scenario scenario, String problem) {
        boolean valid() {
            return scenario != null;
        }
    }

    private static Corpus shared;

    private final GoldenStore store;
    private final List<Entry> entries;

    private Corpus(GoldenStore store, List<Entry> entries) {
        this.store = store;
        this.entries = List.copyOf(entries);
    }

    /** The corpus the settings point at, loaded once per JVM; null when there is no golden/ directory. */
    static synchronized Corpus shared() {
        if (shared == null) {
            shared = Settings.store().map(Corpus::load).orElse(null);
        }
        return shared;
    }

    /** Why there is no corpus to run. */
    static String missing() {
        return "no golden/scenarios directory above " + Path.of("").toAbsolutePath()
                + " (the corpus lives in golden/scenarios/*.yaml at the repository root; -D" + Settings.DIR
                + "=PATH/golden points elsewhere)";
    }

    static Corpus load(GoldenStore store) {
        List<Entry> out = new ArrayList<>();
        for (Path file : store.scenarioFiles()) {
            out.add(entry(store, file));
        }
        return new Corpus(store, out);
    }

    private static Entry entry(GoldenStore store, Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        String shown = display(store, file);
        try {
            Scenario s = ScenarioParser.parse(file, Kernels.limits());
            if (!s.name().equals(stem)) {
                return new Entry(
                        file,
                        stem,
                        null,
                        AllureCategories.INVALID_SCENARIO + ": " + shown + ":"
                                + namePosition(file) + ": name " + s.name() + " is not the file's name (allowed: "
                                + stem
                                + ", the file name without .yaml, under which its golden outcomes are filed)");
            }
            return new Entry(file, stem, s, null);
        } catch (ScenarioException e) {
            return new Entry(
                    file, stem, null, AllureCategories.INVALID_SCENARIO + ": " + relative(store, e.getMessage()));
        }
    }

    /** line:column of the value of the top-level name key (1:1 if it cannot be found). */
    private static String namePosition(Path file) {
        String at = position(file, "name");
        return at == null ? "1:1" : at;
    }

    /** line:column of the value of a top-level key of a scenario file, or null if it cannot be found. */
    static String position(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(key + ":")) {
                    String rest = lines.get(i).substring(key.length() + 1);
                    return (i + 1) + ":"
                            + (key.length()
                                    + 2
                                    + rest.length()
                                    - rest.stripLeading().length());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        return null;
    }

    GoldenStore store() {
        return store;
    }

    /** The repository root: the directory holding golden/. */
    Path root() {
        return store.root().toAbsolutePath().getParent();
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entries to run: those golden.only names, or all when it names none. */
    List<Entry> selected(Set<String> only) {
        return only.isEmpty()
                ? entries
                : entries.stream().filter(e -> only.contains(e.name())).toList();
    }

    /** golden.only names that are not scenario files. */
    List<String> unknown(Set<String> only) {
        return only.stream()
                .filter(n -> entries.stream().noneMatch(e -> e.name().equals(n)))
                .toList();
    }

    /** A path as users write it: relative to the repository root. */
    String display(Path file) {
        return display(store, file);
    }

    private static String display(GoldenStore store, Path file) {
        Path root = store.root().toAbsolutePath().getParent();
        Path abs = file.toAbsolutePath();
        return root != null && abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    /** A message with the repository root's absolute path taken out of the file names in it. */
    String relative(String message) {
        return relative(store, message);
    }

    private static String relative(GoldenStore store, String message) {
        Path root = store.root().toAbsolutePath().getParent();
        return root == null ? message : message.replace(root + File.separator, "");
    }
}
