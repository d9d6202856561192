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
        "do_anonymous_page in each", Pattern.compile("memory\\.stat:(in)?active_anon$"));
    private static final DifferencesPage.Explanation UNRELATED = new DifferencesPage.Explanation(
        "memory.events counts ancestors on 5.18 only", "memcg_memory_event", Pattern.compile("memory\\.events"));

    private final List<DifferencesPage.Entry> entries = List.of(
        new DifferencesPage.Entry("new-anon", "Where a new anon page | lands", "One 100M anon step.\n", List.of(
            "notes §11"), Comparison.of(List.of(Outcomes.anon("4.18", 104857600, 0, List.of()),
            Outcomes.anon("5.18", 0, 104857600, List.of()))), null),
        new DifferencesPage.Entry("same", "Nothing differs", "", List.of(), Comparison.of(List.of(
            Outcomes.anon("4.18", 1, 0, List.of()), Outcomes.anon("5.18", 1, 0, List.of()))), null),
        new DifferencesPage.Entry("broken", "broken", "", List.of(), null,
            "invalid scenario: golden/scenarios/broken.yaml:3:7: unknown key <x>"));

    @Test
    void everyScenarioHasASectionAndOnlyDifferingObservablesAreListed() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of(ANON_LRU, UNRELATED)));
        List<Element> sections = Xml.withClass(d, "section", "scenario");

        assertThat(sections).extracting(s -> s.getAttribute("id")).containsExactly("s-new-anon", "s-same", "s-broken");
        List<Element> rows = Xml.all(sections.get(0), "tr").stream()
            .filter(r -> r.getAttribute("class").equals("differs")).toList();
        assertThat(rows).extracting(r -> Xml.all(r, "td").get(0).getTextContent())
            .containsExactly("end /c memory.stat:inactive_anon", "end /c memory.stat:active_anon");
        assertThat(Xml.withClass(d, "p", "agree")).extracting(Element::getTextContent)
            .containsExactly("The kernels agree on every observable.");
        assertThat(Xml.withClass(d, "p", "note").get(0).getTextContent()).contains("unknown key <x>");
    }

    @Test
    void aRowIsExplainedByTheMatchingPredictedDifferenceOnly() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of(ANON_LRU, UNRELATED)));
        List<String> why = Xml.withClass(d, "td", "why").stream().map(Element::getTextContent).toList();

        assertThat(why).hasSize(2).allSatisfy(w -> assertThat(w).isEqualTo(
            "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18 (do_anonymous_page in each)"));
        Document unexplained = Xml.parse(DifferencesPage.html(entries, List.of(UNRELATED)));
        assertThat(Xml.withClass(unexplained, "td", "why")).extracting(Element::getTextContent)
            .containsOnly("see the scenario's description and refs");
    }

    @Test
    void theIndexCountsDifferingObservablesPerScenario() {
        Document d = Xml.parse(DifferencesPage.html(entries, List.of()));
        Element index = Xml.withClass(d, "table", "index").get(0);

        assertThat(Xml.all(index, "tr").stream().skip(1).map(r -> Xml.all(r, "td").get(3).getTextContent()))
            .containsExactly("2", "0", "-");
    }

    @Test
    void markdownEscapesTableCellsAndListsThePredictedDifferences() {
        String md = DifferencesPage.markdown(entries, List.of(ANON_LRU));

        assertThat(md).contains("| new-anon | Where a new anon page \\| lands | 4.18, 5.18 | 2 |");
        assertThat(md).contains("| end /c memory.stat:active_anon | 104857600 | 0 | 4.18 \\| 5.18 | "
            + "a new anon page starts on active_anon on 4.18 and on inactive_anon on 5.18 (do_anonymous_page in each) |");
        assertThat(md).contains("\n> One 100M anon step.\n");
        assertThat(md).contains("\n## Predicted differences\n\n- a new anon page starts on active_anon");
        assertThat(md).contains("The kernels agree on every observable.");
    }
}
