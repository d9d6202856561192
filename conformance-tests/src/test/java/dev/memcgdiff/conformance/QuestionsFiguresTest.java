package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.golden.GoldenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The figures docs/QUESTIONS.md quotes from golden outcomes are the golden outcomes' numbers: each
 * such figure carries a marker ({@link DocFigures}), and a figure that no longer matches its golden
 * file fails the build. Re-recording a golden file therefore shows which sentences of the page
 * must change with it.
 */
class QuestionsFiguresTest {
    private static final String DOC = "docs/QUESTIONS.md";

    @Test
    void everyMarkedFigureOfQuestionsMatchesItsGoldenOutcome() {
        GoldenStore store = GoldenStore.find(Path.of("")).orElseThrow(() -> new AssertionError(Corpus.missing()));
        Path root = store.root().getParent();
        String doc = read(root.resolve(DOC));

        assertThat(DocFigures.parse(doc).markers())
                .as("figures of " + DOC + " marked <!-- golden ... -->")
                .hasSizeGreaterThanOrEqualTo(20);
        assertThat(DocFigures.check(DOC, doc, goldens(store)))
                .as("figures of " + DOC + " that do not match golden/outcomes (fix the figure, or the marker: "
                        + DocFigures.SYNTAX + ")")
                .isEmpty();
    }

    private static final String Q17B = "snapshot: q17b\n";

    /** Two kernels' golden files of a scenario q17b, and one of a v2 scenario that 3.10 refuses. */
    private static final DocFigures.Goldens TOY = toy(Map.of(
            "q17b/3.10",
            Q17B + "kernel: 3.10\nstatus: ok\nsnapshot filled /proc/meminfo:Shmem = 409600\n"
                    + "snapshot end /kubepods.slice/pod-a memory.stat:cache = 524288000\n"
                    + "snapshot end /proc/vmstat:pgactivate = 16500\n"
                    + "trace step 1: mem_cgroup_oom /pod: not in a user fault, no OOM x33\n",
            "q17b/4.18",
            Q17B + "kernel: 4.18\nstatus: ok\nsnapshot filled /proc/meminfo:Shmem = 409600\n"
                    + "snapshot end /kubepods.slice/pod-a memory.stat:cache = 524288000\n"
                    + "snapshot end /proc/vmstat:pgactivate = 16384\n"
                    + "trace step 1: try_charge /pod: __GFP_NORETRY charge fails x32 reclaimed=0\n",
            "v2/3.10",
            "scenario: v2\nkernel: 3.10\nstatus: unsupported (cgroup v2: not in 3.10)\n",
            "v2/4.18",
            "scenario: v2\nkernel: 4.18\nstatus: ok\nsnapshot end /pod memory.stat:file = 419430400\n"));

    @Test
    void aFigureWithAUnitIsComparedInBytesAndMeminfoIsPrintedInKilobytes() {
        String doc = "Shmem is 409600 kB<!-- golden q17b all /proc/meminfo:Shmem@filled --> and 400M"
                + "<!-- golden q17b 4.18 /proc/meminfo:Shmem@filled -->; cache 500M<!-- golden q17b all"
                + " /kubepods.slice/pod-a memory.stat:cache -->.";

        assertThat(DocFigures.parse(doc).markers()).hasSize(3);
        assertThat(DocFigures.check("Q.md", doc, TOY)).isEmpty();
    }

    @Test
    void aFigureThatNoLongerMatchesNamesTheLineTheFigureAndTheGoldenValue() {
        String doc = "intro\ncache is 450M<!-- golden q17b 3.10 /kubepods.slice/pod-a memory.stat:cache -->\n";

        assertThat(DocFigures.check("Q.md", doc, TOY))
                .containsExactly("Q.md:2: the figure 450M (471859200 bytes) but golden/outcomes/q17b/3.10.golden has"
                        + " snapshot end /kubepods.slice/pod-a memory.stat:cache = 524288000");
    }

    @Test
    void aPlainNumberIsComparedAsPrintedAndApproximateFiguresNeedATolerance() {
        String exact = "pgactivate 16384<!-- golden q17b 4.18 /proc/vmstat:pgactivate -->";
        String approx = "pgactivate ~16384<!-- golden q17b all /proc/vmstat:pgactivate ~1% -->";
        String tooFar = "pgactivate ~16384<!-- golden q17b 3.10 /proc/vmstat:pgactivate ~0.5% -->";
        String noTolerance = "pgactivate ~16384<!-- golden q17b 4.18 /proc/vmstat:pgactivate -->";
        String needless = "pgactivate 16384<!-- golden q17b 4.18 /proc/vmstat:pgactivate ~1% -->";

        assertThat(DocFigures.check("Q.md", exact, TOY)).isEmpty();
        assertThat(DocFigures.check("Q.md", approx, TOY)).isEmpty();
        assertThat(DocFigures.check("Q.md", tooFar, TOY))
                .singleElement()
                .asString()
                .contains("16500");
        assertThat(DocFigures.check("Q.md", noTolerance, TOY))
                .singleElement()
                .asString()
                .contains("is approximate: give the marker a tolerance");
        assertThat(DocFigures.check("Q.md", needless, TOY))
                .singleElement()
                .asString()
                .contains("is exact: write it ~N or drop the tolerance");
    }

    @Test
    void traceCountsAndMarkersInARowShareTheFigure() {
        String doc = "there are 32<!-- golden q17b 4.18 trace \"__GFP_NORETRY charge fails\" -->"
                + " <!-- golden q17b 4.18 /proc/vmstat:pgactivate --> failures; 3.10 has 33"
                + "<!-- golden q17b 3.10 trace \"not in a user fault\" -->";

        List<String> problems = DocFigures.check("Q.md", doc, TOY);

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("the figure 32 (32) but")
                .contains("= 16384");
    }

    @Test
    void allSkipsKernelsThatRefuseTheScenario() {
        assertThat(DocFigures.check("Q.md", "file 400M<!-- golden v2 all /pod memory.stat:file -->", TOY))
                .isEmpty();
        assertThat(DocFigures.check("Q.md", "file 400M<!-- golden v2 3.10 /pod memory.stat:file -->", TOY))
                .singleElement()
                .asString()
                .contains("has no line for snapshot end /pod memory.stat:file");
    }

    @Test
    void unreadableMarkersMissingFiguresAndUnknownScenariosAreReported() {
        assertThat(DocFigures.check("Q.md", "x 1<!-- golden q17b -->", TOY))
                .singleElement()
                .asString()
                .startsWith("Q.md:1: cannot read the marker");
        assertThat(DocFigures.check("Q.md", "x 1<!-- golden q17b all memory.stat:cache -->", TOY))
                .singleElement()
                .asString()
                .contains("unknown observable memory.stat:cache");
        assertThat(DocFigures.check("Q.md", "the cache<!-- golden q17b all /proc/vmstat:pgactivate -->", TOY))
                .singleElement()
                .asString()
                .contains("no figure right before");
        assertThat(DocFigures.check("Q.md", "x 1<!-- golden q99 all /proc/vmstat:pgactivate -->", TOY))
                .singleElement()
                .asString()
                .contains("no golden outcome of q99");
        assertThat(DocFigures.check("Q.md", "x3.10<!-- golden q17b all /proc/vmstat:pgactivate -->", TOY))
                .singleElement()
                .asString()
                .contains("no figure right before");
    }

    @Test
    void aMarkerQuotedAsCodeIsNotChecked() {
        String doc = "write `<!-- golden SCENARIO KERNELS OBSERVABLE [~P%] -->` after a figure";

        assertThat(DocFigures.parse(doc).markers()).isEmpty();
        assertThat(DocFigures.check("Q.md", doc, TOY)).isEmpty();
    }

    private static DocFigures.Goldens toy(Map<String, String> files) {
        return new DocFigures.Goldens() {
            @Override
            public List<String> kernels(String scenario) {
                return files.keySet().stream()
                        .filter(k -> k.startsWith(scenario + "/"))
                        .map(k -> k.substring(scenario.length() + 1))
                        .sorted()
                        .toList();
            }

            @Override
            public Optional<String> text(String scenario, String kernel) {
                return Optional.ofNullable(files.get(scenario + "/" + kernel));
            }
        };
    }

    private static DocFigures.Goldens goldens(GoldenStore store) {
        return new DocFigures.Goldens() {
            @Override
            public List<String> kernels(String scenario) {
                Path dir = store.outcomeDir().resolve(scenario);
                if (!Files.isDirectory(dir)) {
                    return List.of();
                }
                try (Stream<Path> files = Files.list(dir)) {
                    return files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".golden"))
                            .map(n -> n.substring(0, n.length() - ".golden".length()))
                            .sorted()
                            .toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Optional<String> text(String scenario, String kernel) {
                return store.read(scenario, kernel);
            }
        };
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
