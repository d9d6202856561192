package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.outcome.SeriesPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class UsageChartTest {
    /** A limited memcg filling up to its limit of 100 pages and swapping, and an unlimited one. */
    private static Map<String, List<SeriesPoint>> series() {
        Map<String, List<SeriesPoint>> s = new LinkedHashMap<>();
        s.put(
                "/pod<1>&\"x\"",
                List.of(
                        new SeriesPoint(0, 40, 100, 0, new long[] {0, 40, 0, 0, 0}),
                        new SeriesPoint(1, 80, 100, 0, new long[] {10, 70, 0, 0, 0}),
                        new SeriesPoint(2, 100, 100, 20, new long[] {30, 60, 5, 5, 0})));
        s.put(
                "/free",
                List.of(
                        new SeriesPoint(0, 1, PageCounter.MAX, 0, new long[] {0, 1, 0, 0, 0}),
                        new SeriesPoint(1, 2, PageCounter.MAX, 0, new long[] {0, 2, 0, 0, 0}),
                        new SeriesPoint(2, 3, PageCounter.MAX, 0, new long[] {0, 3, 0, 0, 0})));
        return s;
    }

    private final Document svg = Xml.parse(UsageChart.render("4.18 <run>", series()));

    @Test
    void onePanelPerMemcgWithOnePolylinePerSeries() {
        List<Element> panels = Xml.withClass(svg, "g", "panel");

        assertThat(panels).extracting(p -> p.getAttribute("data-memcg")).containsExactly("/pod<1>&\"x\"", "/free");
        assertThat(Xml.all(panels.get(0), "polyline"))
                .extracting(p -> p.getAttribute("data-series"))
                .containsExactly(
                        "usage",
                        "limit",
                        "swap",
                        "inactive_anon",
                        "active_anon",
                        "inactive_file",
                        "active_file",
                        "unevictable");
        assertThat(Xml.all(panels.get(1), "polyline"))
                .extracting(p -> p.getAttribute("data-series"))
                .containsExactly(
                        "usage", "swap", "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable");
        assertThat(legend(panels.get(1))).contains("limit: none");
    }

    @Test
    void eachPolylineHasAPointPerStepAndHigherValuesAreDrawnHigher() {
        Element panel = Xml.withClass(svg, "g", "panel").get(0);
        List<double[]> usage = points(series(panel, "usage"));
        List<double[]> limit = points(series(panel, "limit"));

        assertThat(usage).hasSize(3);
        assertThat(usage.get(0)[0]).isLessThan(usage.get(1)[0]);
        assertThat(usage.get(0)[1]).isGreaterThan(usage.get(1)[1]);
        assertThat(usage.get(1)[1]).isGreaterThan(usage.get(2)[1]);
        assertThat(usage.get(2)[1])
                .as("usage at the limit is drawn at the limit's height")
                .isEqualTo(limit.get(2)[1]);
    }

    @Test
    void aLimitFarAboveEverythingElseIsLeftOffAndSaidSo() {
        Map<String, List<SeriesPoint>> s = new LinkedHashMap<>();
        s.put("/big", List.of(new SeriesPoint(0, 10, 10 * UsageChart.LIMIT_OFF_SCALE + 1, 0, new long[] {0, 10, 0, 0, 0
        })));
        Element panel = Xml.withClass(Xml.parse(UsageChart.render("t", s)), "g", "panel")
                .get(0);

        assertThat(Xml.all(panel, "polyline"))
                .extracting(p -> p.getAttribute("data-series"))
                .doesNotContain("limit");
        assertThat(legend(panel)).contains("limit off scale (164K)");
    }

    @Test
    void aSingleStepStillShowsAMarkerPerSeries() {
        Map<String, List<SeriesPoint>> s = new LinkedHashMap<>();
        s.put("/one", List.of(new SeriesPoint(0, 10, 20, 0, new long[] {0, 10, 0, 0, 0})));
        Element panel = Xml.withClass(Xml.parse(UsageChart.render("t", s)), "g", "panel")
                .get(0);

        assertThat(Xml.all(panel, "circle")).hasSize(Xml.all(panel, "polyline").size());
    }

    @Test
    void titlesAreEscapedAndAxisLabelsAreBytes() {
        assertThat(Xml.all(svg, "title").get(0).getTextContent()).isEqualTo("4.18 <run>");
        assertThat(UsageChart.bytes(0)).isEqualTo("0");
        assertThat(UsageChart.bytes(128)).isEqualTo("512K");
        assertThat(UsageChart.bytes(256 * 1024)).isEqualTo("1G");
        assertThat(UsageChart.bytes(384 * 1024)).isEqualTo("1.5G");
    }

    @Test
    void everyStepIsLabelledOnTheTimeAxis() {
        Element panel = Xml.withClass(svg, "g", "panel").get(0);

        assertThat(Xml.all(panel, "text").stream()
                        .filter(t -> t.getAttribute("class").equals("step"))
                        .map(Element::getTextContent))
                .containsExactly("step 0", "1", "2");
    }

    @Test
    void theSameSeriesGiveTheSameBytes() {
        assertThat(UsageChart.render("x", series())).isEqualTo(UsageChart.render("x", series()));
    }

    private static Element series(Element panel, String name) {
        return Xml.all(panel, "polyline").stream()
                .filter(p -> p.getAttribute("data-series").equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<double[]> points(Element polyline) {
        return List.of(polyline.getAttribute("points").split(" ")).stream()
                .map(xy -> new double[] {Double.parseDouble(xy.split(",")[0]), Double.parseDouble(xy.split(",")[1])})
                .toList();
    }

    private static List<String> legend(Element panel) {
        return Xml.all(panel, "text").stream()
                .filter(t -> t.getAttribute("class").equals("legend"))
                .map(Element::getTextContent)
                .toList();
    }
}
