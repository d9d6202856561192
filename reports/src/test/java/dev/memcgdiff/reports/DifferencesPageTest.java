package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DifferencesPageTest {
    private static final DifferencesPage.Explanation ANON_LRU = new DifferencesPage.Explanation(
            "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18",
            "do_anonymous_page in each",
            Pattern.compile("memory\\.stat:(in)?active_anon$"),
            null);
    private static final DifferencesPage.Explanation SHMEM_KEY = new DifferencesPage.Explanation(
            "3.10 prints no shmem key",
            "mem_cgroup_stat_names",
            Pattern.compile("memory\\.stat:shmem$"),
            Pattern.compile("^-$"));
    private static final DifferencesPage.Explanation UNRELATED = new DifferencesPage.Explanation(
            "memory.events counts ancestors on 5.18 only",
            "memcg_memory_event",
            Pattern.compile("memory\\.events"),
            null);

    /** 3.10 refuses the scenario; 3.10.1 (a stand-in) lacks the shmem key; 4.18 and 5.18 differ on the anon lists. */
    private final Comparison mixed = Comparison.of(List.of(
            Outcomes.unsupported("3.10"),
            Outcomes.anon("3.11", 104857600, 0, List.of()),
            Outcomes.withShmemKey("4.18", 104857600, 0),
            Outcomes.withShmemKey("5.18", 0, 104857600)));

    private final List<DifferencesPage.Entry> entries = List.of(
            new DifferencesPage.Entry(
                    "new-anon",
                    "Where a new anon page | lands",
                    "One 100M anon step.\n",
                    List.of("notes §11"),
                    mixed,
                    null),
            new DifferencesPage.Entry(
                    "same",
                    "Nothing differs",
                    "",
                    List.of(),
                    Comparison.of(
                            List.of(Outcomes.anon("4.18", 1, 0, List.of()), Outcomes.anon("5.18", 1, 0, List.of()))),
                    null),
            new DifferencesPage.Entry(
                    "broken",
                    "broken",
                    "",
                    List.of(),
                    null,
                    "invalid scenario: golden/scenarios/broken.yaml:3:7: unknown key <x>"));

    @Test
    void valueAndVocabularyDifferencesAreToldApartAndARefusingKernelIsNamedOnce() {
        assertThat(DifferencesPage.valueDifferences(mixed))
                .extracting(Comparison.Row::observable)
                .containsExactly("status", "end /c memory.stat:inactive_anon", "end /c memory.stat:active_anon");
        assertThat(DifferencesPage.vocabularyDifferences(mixed))
                .extracting(Comparison.Row::observable)
                .containsExactly("end /c memory.stat:shmem");
        assertThat(DifferencesPage.refused(mixed)).isEqualTo("Not run by 3.10: unsupported (cgroup v2: not in 3.10)");
    }

    @Test
    void everyScenarioHasASectionWithItsDifferences() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of(ANON_LRU, SHMEM_KEY, UNRELATED)));
        List<Element> sections = Xml.withClass(d, "section", "scenario");

        assertThat(sections).extracting(s -> s.getAttribute("id")).containsExactly("s-new-anon", "s-same", "s-broken");
        Element values = Xml.all(sections.get(0), "table").get(0);
        assertThat(values.getAttribute("class")).isEqualTo("differences");
        assertThat(Xml.all(values, "tr").stream()
                        .skip(1)
                        .map(r -> Xml.all(r, "td").get(0).getTextContent()))
                .containsExactly("status", "end /c memory.stat:inactive_anon", "end /c memory.stat:active_anon");
        Element vocabulary = Xml.all(sections.get(0), "details").get(0);
        assertThat(Xml.all(vocabulary, "summary").get(0).getTextContent())
                .isEqualTo("1 observables printed by some kernels only");
        assertThat(Xml.all(vocabulary, "td").stream()
                        .map(Element::getTextContent)
                        .toList())
                .containsExactly("end /c memory.stat:shmem", "0", "4.18, 5.18", "3.10 prints no shmem key");
        assertThat(Xml.withClass(d, "p", "agree"))
                .extracting(Element::getTextContent)
                .containsExactly("The kernels agree on every observable.");
        assertThat(Xml.withClass(d, "p", "note"))
                .extracting(Element::getTextContent)
                .containsExactly(
                        "Not run by 3.10: unsupported (cgroup v2: not in 3.10)",
                        "invalid scenario: golden/scenarios/broken.yaml:3:7: unknown key <x>");
    }

    @Test
    void aRowIsExplainedByTheMatchingPredictedDifferenceOnly() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of(ANON_LRU, UNRELATED)));
        List<String> why = Xml.withClass(d, "table", "differences").stream()
                .flatMap(t -> Xml.all(t, "td").stream())
                .filter(td -> td.getAttribute("class").equals("why"))
                .map(Element::getTextContent)
                .toList();

        assertThat(why)
                .containsExactly(
                        "see the scenario's description and refs",
                        "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18",
                        "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18");
        assertThat(Xml.withClass(d, "td", "why").stream()
                        .flatMap(td -> Xml.all(td, "a").stream())
                        .map(a -> a.getAttribute("href")))
                .containsOnly("#predicted");
        assertThat(Xml.all(d, "li").get(0).getTextContent())
                .isEqualTo(
                        "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18 (do_anonymous_page in each)");
    }

    @Test
    void aValuePatternNarrowsWhichRowsAnExplanationCovers() {
        Comparison.Row active = DifferencesPage.valueDifferences(mixed).get(2);
        DifferencesPage.Explanation onlyWhenZero =
                new DifferencesPage.Explanation("x", "y", Pattern.compile("active_anon$"), Pattern.compile("^0$"));
        DifferencesPage.Explanation onlyWhenAbsent = new DifferencesPage.Explanation(
                "x", "y", Pattern.compile("active_anon$"), Pattern.compile("^unknown$"));

        assertThat(active.observable()).isEqualTo("end /c memory.stat:active_anon");
        assertThat(onlyWhenZero.explains(active)).isTrue();
        assertThat(onlyWhenAbsent.explains(active)).isFalse();
    }

    @Test
    void theIndexCountsBothKindsPerScenario() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of()));
        Element index = Xml.withClass(d, "table", "index").get(0);

        assertThat(Xml.all(index, "tr").stream()
                        .skip(1)
                        .map(r -> Xml.all(r, "td").get(3).getTextContent() + "/"
                                + Xml.all(r, "td").get(4).getTextContent()))
                .containsExactly("3/1", "0/0", "-/-");
    }

    @Test
    void markdownEscapesTableCellsAndListsThePredictedDifferences() {
        String md = DifferencesPage.markdown(entries, List.of(ANON_LRU, SHMEM_KEY));

        assertThat(md).contains("| new-anon | Where a new anon page \\| lands | 3.10, 3.11, 4.18, 5.18 | 3 | 1 |");
        assertThat(md)
                .contains(
                        "| end /c memory.stat:active_anon | - | 104857600 | 104857600 | 0 | "
                                + "3.10 \\| 3.11 = 4.18 \\| 5.18 | "
                                + "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18 (see Predicted differences) |");
        assertThat(md)
                .contains("\nPrinted by some kernels only (1): `end /c memory.stat:shmem` (4.18, 5.18; "
                        + "3.10 prints no shmem key)\n");
        assertThat(md).contains("\n> One 100M anon step.\n");
        assertThat(md).contains("\nNot run by 3.10: unsupported (cgroup v2: not in 3.10)\n");
        assertThat(md)
                .contains("\n## Predicted differences\n\n- a new anon page starts on active_anon on 4.18 and on "
                        + "inactive_anon on 5.18 (do_anonymous_page in each)\n");
        assertThat(md).contains("The kernels agree on every observable.");
    }

    @Test
    void aScenarioSaysWhereTheKernelsDifferInTimeAndLinksItsCharts() {
        DifferencesPage.Entry timed = new DifferencesPage.Entry(
                "timed",
                "Timed",
                "",
                List.of(),
                Comparison.of(List.of(Outcomes.anon("4.18", 1, 0, List.of()), Outcomes.anon("5.18", 1, 0, List.of()))),
                null,
                "In time: step 0 (anon t) takes 2 s on 5.18, 1 s on 4.18.",
                "charts/timed.html");

        Document d = Xml.parse(DifferencesPage.html(List.of(timed), List.of()));
        String md = DifferencesPage.markdown(List.of(timed), List.of());

        assertThat(Xml.withClass(d, "p", "time"))
                .extracting(Element::getTextContent)
                .containsExactly("In time: step 0 (anon t) takes 2 s on 5.18, 1 s on 4.18.");
        assertThat(Xml.withClass(d, "p", "chart").stream()
                        .flatMap(p -> Xml.all(p, "a").stream())
                        .map(a -> a.getAttribute("href")))
                .containsExactly("charts/timed.html");
        assertThat(md).contains("\nIn time: step 0 (anon t) takes 2 s on 5.18, 1 s on 4.18.\n");
        assertThat(md).contains("\n[usage over time on every kernel](charts/timed.html)\n");
        assertThat(Xml.withClass(Xml.parse(DifferencesPage.html(entries, List.of())), "p", "time"))
                .as("no sentence where there is nothing to say")
                .isEmpty();
    }
}
