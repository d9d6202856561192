package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The project stands alone: users clone it without any sibling folder, so what golden/, docs/
 * and the READMEs cite must be checkable from the repository or the kernel source alone.
 *
 * <ul>
 *   <li>No such file mentions material that lives outside the repository: the per-version kernel
 *       notes ({@code kernel-reference/}), the user's notes file ({@code 000_7d63...txt}) or the
 *       sibling folder ({@code ../shared}).</li>
 *   <li>Every {@code refs} entry of a golden scenario is either a repository path that exists,
 *       optionally followed by text ({@code golden/incidents/NAME.log},
 *       {@code docs/QUESTIONS.md §9}; a {@code §N} after a .md file must be one of its headings),
 *       or a kernel function as {@code path:function (version)} with a version of a modelled
 *       kernel ({@code mm/memcontrol.c:try_charge (4.18.0-147)}).</li>
 * </ul>
 */
class CitationsTest {
    /** Words that point outside the repository. */
    static final List<String> OUTSIDE = List.of("kernel-reference", "000_7d63", "../shared", "/work/shared");

    /** path:function (version...), the version one of the modelled kernels. */
    static final Pattern KERNEL_FUNCTION =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*(/[A-Za-z0-9_.+-]+)*\\.[chS]:[A-Za-z_][A-Za-z0-9_]*"
                    + " \\((3\\.10|4\\.18|5\\.18)(?![0-9])[^()]*\\)(\\s.*)?");

    private static final Pattern SECTION = Pattern.compile("§\\s*([0-9]+[a-z]?)");

    @Test
    void noDocumentMentionsMaterialOutsideTheRepository() {
        Path root = root();
        List<String> found = new ArrayList<>();
        for (Path file : documents(root)) {
            found.addAll(outsideMentions(root.relativize(file).toString(), read(file)));
        }
        assertThat(found)
                .as("mentions of material outside the repository (cite a repo path,"
                        + " docs/QUESTIONS.md §N or path:function (version) instead)")
                .isEmpty();
    }

    @Test
    void everyScenarioRefIsARepositoryPathOrAKernelFunction() {
        Path root = root();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path file : new GoldenStore(root.resolve("golden")).scenarioFiles()) {
            Scenario s;
            try {
                s = ScenarioParser.parse(file);
            } catch (ScenarioException e) {
                continue; // CorpusSuite reports files the parser refuses
            }
            for (String ref : s.refs()) {
                checked++;
                refProblem(root, ref).ifPresent(p -> problems.add(root.relativize(file) + ": " + p));
            }
        }
        assertThat(checked).as("refs checked").isPositive();
        assertThat(problems).isEmpty();
    }

    @Test
    void theChecksRefuseWhatCannotBeCheckedFromTheRepository() {
        Path root = root();
        List<String> bad = List.of(
                "000_7d63c11bd1458e52.txt §9",
                "kernel-reference/linux-4.18.md §1",
                "../shared/incidents/4.18-memcg-shmem-write-memsw.log",
                "incidents/4.18-memcg-shmem-write-memsw.log",
                "golden/incidents/no-such-report.log",
                "/etc/hostname",
                "docs/QUESTIONS.md §99",
                "docs/QUESTIONS.md §16",
                "mm/memcontrol.c:try_charge",
                "mm/memcontrol.c:try_charge (4.19)",
                "mm/memcontrol.c:try_charge (4.180)",
                "mm/memcontrol.c: try_charge (4.18.0-147)",
                "try_charge (4.18.0-147)",
                "the notes §9");
        for (String ref : bad) {
            assertThat(refProblem(root, ref)).as(ref).isPresent();
        }
        List<String> good = List.of(
                "docs/QUESTIONS.md §9",
                "docs/QUESTIONS.md §16b",
                "golden/incidents/4.18-memcg-shmem-write-memsw.log",
                "golden/incidents/4.18-global-oom-filemap-fault.log (the Mem-Info lines)",
                "mm/memcontrol.c:try_charge (4.18.0-147)",
                "mm/vmscan.c:shrink_page_list (3.10.0-1160)",
                "mm/workingset.c:workingset_refault (5.18)",
                "include/linux/memcontrol.h:memcg_memory_event (4.18.0-147, 5.18)");
        for (String ref : good) {
            assertThat(refProblem(root, ref)).as(ref).isEmpty();
        }

        assertThat(outsideMentions(
                        "x.md",
                        "see ../shared/kernel-reference/linux-4.18.md §6\n"
                                + "the notes (000_7d63c11bd1458e52.txt §9)\n"))
                .containsExactly("x.md:1: kernel-reference", "x.md:1: ../shared", "x.md:2: 000_7d63");
        assertThat(outsideMentions("y.md", "docs/QUESTIONS.md §9, mm/vmscan.c:shrink_node (4.18.0-147)\n"))
                .isEmpty();
    }

    /** Why {@code ref} cannot be checked from the repository at {@code root}, or empty if it can. */
    static Optional<String> refProblem(Path root, String ref) {
        String r = ref.strip();
        if (KERNEL_FUNCTION.matcher(r).matches()) {
            return Optional.empty();
        }
        for (String word : OUTSIDE) {
            if (r.contains(word)) {
                return Optional.of("\"" + ref + "\" cites " + word + ", which is not in the repository");
            }
        }
        String first = r.split("\\s+", 2)[0];
        String rest = r.substring(first.length()).strip();
        Path target = root.resolve(first).normalize();
        if (first.isEmpty() || Path.of(first).isAbsolute() || !target.startsWith(root) || !Files.exists(target)) {
            return Optional.of("\"" + ref + "\" is neither a repository path that exists"
                    + " nor path:function (version) with version 3.10, 4.18 or 5.18");
        }
        Matcher m = SECTION.matcher(rest);
        if (first.endsWith(".md") && m.find()) {
            Pattern heading = Pattern.compile("(?m)^#+ .*§" + Pattern.quote(m.group(1)) + "(?![0-9a-z])");
            if (!heading.matcher(read(target)).find()) {
                return Optional.of("\"" + ref + "\": " + first + " has no heading §" + m.group(1));
            }
        }
        return Optional.empty();
    }

    /** "name:line: word" for each word of {@link #OUTSIDE} in {@code text}. */
    static List<String> outsideMentions(String name, String text) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (String word : OUTSIDE) {
                if (lines[i].contains(word)) {
                    found.add(name + ":" + (i + 1) + ": " + word);
                }
            }
        }
        return found;
    }

    /** Every file under golden/ and docs/, and every README.md outside build output and dot-directories. */
    static List<Path> documents(Path root) {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("golden", "docs")) {
            out.addAll(files(root.resolve(dir)));
        }
        for (Path p : files(root)) {
            if (p.getFileName().toString().equals("README.md") && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String n = d.getFileName() == null ? "" : d.getFileName().toString();
                    boolean skip =
                            !d.equals(dir) && (n.equals("target") || n.equals("node_modules") || n.startsWith("."));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(".")) {
                        out.add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the directory holding golden/scenarios, found above the working directory. */
    private static Path root() {
        return GoldenStore.find(Path.of(""))
                .orElseThrow(() -> new AssertionError(Corpus.missing()))
                .root()
                .getParent()
                .toAbsolutePath()
                .normalize();
    }
}
