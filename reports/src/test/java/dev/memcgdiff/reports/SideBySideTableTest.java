package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SideBySideTableTest {
    private final Comparison comparison = Comparison.of(List.of(
            Outcomes.anon("3.10", 104857600, 0, List.of()),
            Outcomes.anon("4.18", 104857600, 0, List.of()),
            Outcomes.anon("5.18", 0, 104857600, List.of(Outcomes.kill("<b>&\"evil'", "Killed process 1000 (<b>)")))));
    private final Document page = Xml.parse(SideBySideTable.render(comparison, "new-anon <on> every kernel"));

    @Test
    void differingRowsCarryTheHighlightClassAndOthersDoNot() {
        List<String> differing = Xml.withClass(page, "tr", "differs").stream()
                .map(SideBySideTableTest::observable)
                .toList();
        List<String> same = Xml.withClass(page, "tr", "same").stream()
                .map(SideBySideTableTest::observable)
                .toList();

        assertThat(differing)
                .contains(
                        "end /c memory.stat:active_anon",
                        "end /c memory.stat:inactive_anon",
                        "oom kills",
                        "kill 0 victim")
                .doesNotContain("end /c memory.stat:rss");
        assertThat(same)
                .contains("end /c memory.stat:rss", "end /c memory.limit_in_bytes")
                .doesNotContainAnyElementsOf(differing);
        assertThat(differing.size() + same.size()).isEqualTo(comparison.rows().size());
    }

    @Test
    void eachKernelHasAColumnAndEqualValuesShareAGroupClass() {
        Element row = Xml.withClass(page, "tr", "differs").stream()
                .filter(r -> observable(r).equals("end /c memory.stat:active_anon"))
                .findFirst()
                .orElseThrow();
        List<Element> cells = Xml.all(row, "td");

        assertThat(Xml.all(page, "th").stream().limit(5).map(Element::getTextContent))
                .containsExactly("observable", "3.10", "4.18", "5.18", "agreement");
        assertThat(cells.get(1).getAttribute("class")).isEqualTo("value g0");
        assertThat(cells.get(2).getAttribute("class")).isEqualTo("value g0");
        assertThat(cells.get(3).getAttribute("class")).isEqualTo("value g1");
        assertThat(cells.get(4).getTextContent()).isEqualTo("3.10 = 4.18 | 5.18");
    }

    @Test
    void valuesAndTitleAreEscaped() {
        Element victim = Xml.withClass(page, "tr", "differs").stream()
                .filter(r -> observable(r).equals("kill 0 victim"))
                .findFirst()
                .orElseThrow();

        assertThat(Xml.all(victim, "td").get(3).getTextContent()).isEqualTo("<b>&\"evil' (1000)");
        assertThat(Xml.all(page, "title").get(0).getTextContent()).isEqualTo("new-anon <on> every kernel");
        assertThat(Xml.all(page, "b")).isEmpty();
    }

    @Test
    void sectionsWithADifferenceAreOpenAndOthersFolded() {
        List<Element> details = Xml.all(page, "details");
        Element steps = details.stream()
                .filter(d -> summary(d).startsWith("steps "))
                .findFirst()
                .orElseThrow();
        Element end = details.stream()
                .filter(d -> summary(d).startsWith("snapshot end "))
                .findFirst()
                .orElseThrow();

        assertThat(summary(steps)).isEqualTo("steps (1 of 1 differ)");
        assertThat(end.getAttribute("open")).isEqualTo("open");
        assertThat(summary(end)).isEqualTo("snapshot end (2 of 5 differ)");
    }

    @Test
    void aSectionWhereAllKernelsAgreeIsFolded() {
        Comparison agreeing =
                Comparison.of(List.of(Outcomes.anon("4.18", 1, 0, List.of()), Outcomes.anon("5.18", 1, 0, List.of())));
        Document d = Xml.parse(SideBySideTable.render(agreeing, "t"));

        assertThat(Xml.all(d, "details"))
                .allSatisfy(e -> assertThat(e.hasAttribute("open")).isFalse());
        assertThat(Xml.withClass(d, "p", "summary").get(0).getTextContent())
                .isEqualTo("0 of " + agreeing.rows().size() + " observables differ between kernels 4.18, 5.18");
    }

    private static String observable(Element row) {
        return Xml.all(row, "td").get(0).getTextContent();
    }

    private static String summary(Element details) {
        return Xml.all(details, "summary").get(0).getTextContent();
    }
}
