package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.conformance.PredictedDifference.Check;
import dev.memcgdiff.conformance.PredictedDifference.Prediction;
import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.reports.AllureCategories;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The differences the kernel sources, the notes and the incidents predict. Each has a scenario file,
 * {@code golden/predicted/ID.yaml} (its title is the claim, its description the source, its
 * {@code expect:} each kernel's side), and here its {@link Prediction}: what the scenario language
 * cannot say. Expectations and checks were written from the cited functions before any model ran;
 * none is copied from an outcome. Sources: the trees of RHEL 7.9 (3.10.0-1160.el7), RHEL 8.1
 * (4.18.0-147.el8) and 5.18.12, read with git.
 *
 * <p>The files are read from the repository's golden/predicted (found above the working directory,
 * as golden/ is; {@code -Dgolden.dir} does not move it, since each file is paired with a prediction
 * here), in file name order. They are not golden scenarios: nothing records golden outcomes for
 * them, and the corpus checks do not look at them.
 */
final class PredictedDifferences {
    private PredictedDifferences() {}

    private static final Pattern ANON_LISTS = Pattern.compile(
            "memory\\.stat:(total_)?(in)?active_anon$|meminfo:(In)?[Aa]ctive\\(anon\\)|vmstat:nr_(in)?active_anon$");
    private static final Pattern STATUS = Pattern.compile("^status$");
    private static final Pattern KILL_LINE = Pattern.compile("^kill \\d+ dmesg kill line$");
    private static final Pattern V1_STAT_KEYS = Pattern.compile("memory\\.stat:(total_)?(shmem|dirty|writeback)$");

    /** The predictions by id, each paired with golden/predicted/ID.yaml. */
    static final Map<String, Prediction> PREDICTIONS = byId(
            new Prediction(
                    "new-anon-page-lru", NotesQuestions.LRU_BALANCE, "11", ANON_LISTS, ANON_LISTS, null, Check.NONE),
            new Prediction(
                    "cgroup-v2-memory-min",
                    NotesQuestions.PROTECTION,
                    "8",
                    STATUS,
                    STATUS,
                    Pattern.compile("^unsupported.*cgroup v2"),
                    Check.NONE),
            new Prediction(
                    "tmpfs-write-at-memsw",
                    NotesQuestions.OOM,
                    "15",
                    Pattern.compile("^step 1 shmem|^oom kills$"),
                    Pattern.compile("^step \\d+ shmem"),
                    Pattern.compile("^enomem"),
                    Check.NONE),
            new Prediction(
                    "memory-events-propagation",
                    NotesQuestions.OOM,
                    null,
                    Pattern.compile("memory\\.events(\\.local)?:"),
                    Pattern.compile("memory\\.events\\.local:"),
                    null,
                    byKernel -> assertThat(PredictedDifference.files(byKernel.get("4.18"), "/p"))
                            .as("4.18 has no memory.events.local (added in 5.2)")
                            .doesNotContainKey("memory.events.local")),
            new Prediction("oom-kill-line-formats", NotesQuestions.OOM, null, KILL_LINE, KILL_LINE, null, byKernel -> {
                List<String> r310 = PredictedDifference.report(byKernel.get("3.10"), 0);
                assertThat(r310)
                        .anyMatch(l ->
                                l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+, order=0, " + "oom_score_adj=0"));
                assertThat(r310)
                        .anyMatch(l -> l.matches("Memory cgroup out of memory: Kill process 1000 \\(t\\) score "
                                + "-?[0-9]+ or sacrifice child"));
                assertThat(r310)
                        .anyMatch(l -> l.matches("Killed process 1000 \\(t\\), UID 0, total-vm:[0-9]+kB, "
                                + "anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB"));

                List<String> r418 = PredictedDifference.report(byKernel.get("4.18"), 0);
                assertThat(r418)
                        .anyMatch(l -> l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+\\([A-Z_|]+\\), "
                                + "nodemask=\\(null\\), order=0, oom_score_adj=0"));
                assertThat(r418)
                        .anyMatch(l -> l.matches("Memory cgroup out of memory: Killed process 1000 \\(t\\) "
                                + "total-vm:[0-9]+kB, anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB"));
                assertThat(r418).noneMatch(l -> l.contains("sacrifice child") || l.startsWith("oom-kill:"));

                List<String> r518 = PredictedDifference.report(byKernel.get("5.18"), 0);
                assertThat(r518)
                        .anyMatch(l -> l.matches("t invoked oom-killer: gfp_mask=0x[0-9a-f]+\\([A-Z_|]+\\), "
                                + "order=0, oom_score_adj=0"));
                assertThat(r518)
                        .anyMatch(l -> l.matches("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=\\(null\\),.*"
                                + "oom_memcg=/c,task_memcg=/c,task=t,pid=1000,uid=0"));
                assertThat(r518)
                        .anyMatch(l -> l.matches("Memory cgroup out of memory: Killed process 1000 \\(t\\) "
                                + "total-vm:[0-9]+kB, anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB, UID:0 "
                                + "pgtables:[0-9]+kB oom_score_adj:0"));
            }),
            new Prediction(
                    "v1-stat-shmem-key",
                    NotesQuestions.PAGE_CACHE,
                    "17b",
                    V1_STAT_KEYS,
                    V1_STAT_KEYS,
                    Pattern.compile("^-$"),
                    byKernel -> assertThat(PredictedDifference.keys(byKernel.get("3.10"), "/c", "memory.stat"))
                            .as("3.10 memory.stat keys")
                            .doesNotContain("shmem", "dirty", "writeback", "total_shmem")),
            new Prediction(
                    "oom-lock-held-by-sleeper",
                    NotesQuestions.OOM,
                    "15",
                    Pattern.compile("^oom kills$|^step [01] anon"),
                    null,
                    null,
                    Check.NONE),
            new Prediction(
                    "oom-badness-root-bonus",
                    NotesQuestions.OOM,
                    null,
                    Pattern.compile("^kill \\d+ (victim|step)$|^step 1 anon"),
                    null,
                    null,
                    Check.NONE),
            new Prediction(
                    "v1-use-hierarchy-default",
                    NotesQuestions.RECLAIM,
                    "17a",
                    Pattern.compile("memory\\.use_hierarchy$|^oom kills$|^step 0 anon"),
                    Pattern.compile("memory\\.use_hierarchy$"),
                    null,
                    Check.NONE),
            new Prediction(
                    "refault-distance-scope",
                    NotesQuestions.LRU_BALANCE,
                    "1",
                    Pattern.compile("workingset_activate"),
                    Pattern.compile("vmstat:workingset_activate$"),
                    null,
                    Check.NONE),
            new Prediction(
                    "anon-refaults-counted",
                    NotesQuestions.LRU_BALANCE,
                    "1",
                    Pattern.compile("memory\\.stat:workingset_refault"),
                    Pattern.compile("workingset_refault_anon$"),
                    null,
                    byKernel -> assertThat(PredictedDifference.keys(byKernel.get("4.18"), "/c", "memory.stat"))
                            .as("4.18 v2 memory.stat keys")
                            .doesNotContain("workingset_refault_anon")));

    /**
     * One predicted difference as loaded: its id (the file name without .yaml), its file (path, and
     * as users write it), and the difference, or what is wrong (a message that names the file, and
     * its line and column when the file exists).
     */
    record Entry(String id, Path path, String file, PredictedDifference difference, String problem) {
        boolean valid() {
            return difference != null;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static List<Entry> loaded;

    /** The repository's golden/predicted, read once per JVM, in id order. */
    static synchronized List<Entry> entries() {
        if (loaded == null) {
            Path dir = GoldenStore.find(Path.of(""))
                    .map(s -> s.root().resolve("predicted"))
                    .orElse(null);
            loaded = dir != null
                    ? load(dir, PREDICTIONS)
                    : List.of(
                            invalid(
                                    "golden/predicted",
                                    null,
                                    "golden/predicted",
                                    "no golden/ directory above " + Path.of("").toAbsolutePath() + " (allowed: run "
                                            + "from the repository, whose golden/predicted/*.yaml hold the predicted differences' scenarios)"));
        }
        return loaded;
    }

    /** The predicted differences whose files are valid, in id order. */
    static List<PredictedDifference> all() {
        return entries().stream().filter(Entry::valid).map(Entry::difference).toList();
    }

    /**
     * Every ID.yaml of {@code dir} paired with its prediction, and every prediction without a file,
     * sorted by id. Paths in messages are relative to the directory above golden/.
     */
    static List<Entry> load(Path dir, Map<String, Prediction> predictions) {
        Path d = dir.toAbsolutePath().normalize();
        Path root = d.getParent() == null ? null : d.getParent().getParent();
        if (!Files.isDirectory(d)) {
            String shown = display(root, d);
            return List.of(invalid(
                    shown,
                    d,
                    shown,
                    shown + ": no such directory (allowed: a directory of scenario "
                            + "files ID.yaml, one for each prediction of PredictedDifferences: "
                            + String.join(", ", predictions.keySet()) + ")"));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(d)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        for (Path f : files) {
            out.add(entry(root, f, predictions));
        }
        for (String id : predictions.keySet()) {
            if (out.stream().noneMatch(e -> e.id().equals(id))) {
                Path missing = d.resolve(id + ".yaml");
                String shown = display(root, missing);
                out.add(invalid(
                        id,
                        missing,
                        shown,
                        shown + ": no such file, and PredictedDifferences predicts " + id
                                + " from it (allowed: the scenario file " + shown + ", or no prediction " + id + ")"));
            }
        }
        out.sort(Comparator.comparing(Entry::id));
        return Collections.unmodifiableList(out);
    }

    private static Entry entry(Path root, Path file, Map<String, Prediction> predictions) {
        String id = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        String shown = display(root, file);
        Scenario s;
        try {
            s = ScenarioParser.parse(file, Kernels.limits());
        } catch (ScenarioException e) {
            return invalid(
                    id,
                    file,
                    shown,
                    root == null ? e.getMessage() : e.getMessage().replace(root + File.separator, ""));
        }
        String name = shown + ":" + Objects.requireNonNullElse(Corpus.position(file, "name"), "1:1");
        if (!s.name().equals(id)) {
            return invalid(
                    id,
                    file,
                    shown,
                    name + ": name " + s.name() + " is not the file's name (allowed: " + id
                            + ", the file name without .yaml, under which PredictedDifferences holds its prediction)");
        }
        Prediction p = predictions.get(id);
        if (p == null) {
            return invalid(
                    id,
                    file,
                    shown,
                    name + ": no prediction " + id + " in PredictedDifferences, so nothing "
                            + "says which observables must differ (allowed: a file named after a prediction: "
                            + String.join(", ", predictions.keySet()) + "; or a new prediction " + id + ")");
        }
        if (s.title().equals(s.name())) {
            return invalid(
                    id,
                    file,
                    shown,
                    name + ": title is missing (allowed: title: the claim, what differs " + "between which kernels)");
        }
        if (s.description().isBlank()) {
            String description = Corpus.position(file, "description");
            return invalid(
                    id,
                    file,
                    shown,
                    (description == null
                                    ? name + ": description is missing"
                                    : shown + ":" + description + ": description is blank")
                            + " (allowed: description: where the claim "
                            + "comes from: the kernel functions and their versions, the notes, an incident)");
        }
        return new Entry(id, file, shown, new PredictedDifference(p, shown, s), null);
    }

    private static Entry invalid(String id, Path path, String shown, String message) {
        return new Entry(id, path, shown, null, AllureCategories.INVALID_SCENARIO + ": " + message);
    }

    private static String display(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return root != null && abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    private static Map<String, Prediction> byId(Prediction... predictions) {
        Map<String, Prediction> out = new TreeMap<>();
        for (Prediction p : predictions) {
            if (out.put(p.id(), p) != null) {
                throw new IllegalStateException("two predictions are called " + p.id());
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
