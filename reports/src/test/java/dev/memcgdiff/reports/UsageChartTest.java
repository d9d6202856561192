package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.TimeSamples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class UsageChartTest {
    private static final long MS = 1_000_000L;
    private static final List<String> SERIES = List.of(
            "usage",
            "limit",
            "swap",
            "dirty",
            "writeback",
            "inactive_anon",
            "active_anon",
            "inactive_file",
            "active_file");

    /** 4.18 kills java at 60 ms and ends at 62 ms; 5.18 kills nobody and ends at 80 ms; 3.10 refuses. */
    private static List<Outcome> outcomes() {
        return List.of(
                Outcomes.unsupported("3.10"),
                Outcomes.timed("4.18", 62 * MS, 60 * MS),
                Outcomes.timed("5.18", 80 * MS, 0));
    }

    private final String html = UsageChart.page("timed <run>", outcomes(), "In time: something.");
    private final Document page = Xml.parse(html);

    @Test
    void theSameOutcomesGiveTheSameBytes() {
        assertThat(UsageChart.page("timed <run>", outcomes(), "In time: something."))
                .isEqualTo(html);
    }

    @Test
    void oneChartPerKeyCgroupWithOnePolylinePerKernelPerSeries() {
        List<Element> charts = Xml.withClass(page, "svg", "chart");

        assertThat(charts).extracting(c -> c.getAttribute("data-cgroup")).containsExactly("/", "/pod", "/other");
        Element pod = charts.get(1);
        List<Element> kernels = Xml.all(pod, "g").stream()
                .filter(g -> g.getAttribute("class").startsWith("kernel "))
                .toList();
        assertThat(kernels).extracting(g -> g.getAttribute("data-kernel")).containsExactly("4.18", "5.18");
        for (Element k : kernels) {
            assertThat(Xml.all(k, "polyline"))
                    .extracting(p -> p.getAttribute("data-series"))
                    .containsExactlyElementsOf(SERIES);
        }
        // /other has no limit: no limit line, and the chart says so
        Element other = charts.get(2);
        assertThat(Xml.all(other, "polyline"))
                .noneMatch(p -> p.getAttribute("data-series").equals("limit"));
        assertThat(texts(other, "note")).containsExactly("no limit");
    }

    @Test
    void aKillIsMarkedWithItsKernelAndVictimOnTheChartsOfTheCgroupsItConcerns() {
        List<Element> charts = Xml.withClass(page, "svg", "chart");
        List<Element> kills = kills(charts.get(1));

        assertThat(kills).hasSize(1);
        Element kill = kills.get(0);
        assertThat(kill.getAttribute("data-kernel")).isEqualTo("4.18");
        assertThat(kill.getAttribute("data-victim")).isEqualTo("java");
        assertThat(kill.getAttribute("data-time")).isEqualTo(Long.toString(60 * MS));
        assertThat(Xml.all(kill, "title").get(0).getTextContent())
                .isEqualTo("4.18 OOM-kills java (7093) at 60 ms in step 1 (limit of /pod)");
        assertThat(Xml.all(kill, "text").get(0).getTextContent()).isEqualTo("4.18 kills java");
        assertThat(kills(charts.get(0))).as("the host chart shows every kill").hasSize(1);
        assertThat(kills(charts.get(2)))
                .as("a cgroup the victim was not charged to")
                .isEmpty();
    }

    @Test
    void timeRunsLeftToRightAndUsageUpwardsOnHumanAxes() {
        Element pod = Xml.withClass(page, "svg", "chart").get(1);
        List<double[]> usage = points(polyline(pod, "5.18", "usage"));
        double[] limit = points(polyline(pod, "5.18", "limit")).get(0);

        for (int i = 1; i < usage.size(); i++) {
            assertThat(usage.get(i)[0]).isGreaterThan(usage.get(i - 1)[0]);
            assertThat(usage.get(i)[1]).isLessThan(usage.get(i - 1)[1]);
        }
        assertThat(usage.get(usage.size() - 1)[1])
                .as("80 pages is below the limit of 100")
                .isGreaterThan(limit[1]);
        // 80 ms in 8 ticks of 10 ms; 100 pages (400K) in ticks of 32 pages (128K) up to 512K
        assertThat(texts(pod, "xtick"))
                .containsExactly("0", "10 ms", "20 ms", "30 ms", "40 ms", "50 ms", "60 ms", "70 ms", "80 ms");
        assertThat(texts(pod, "ytick")).containsExactly("0", "128K", "256K", "384K", "512K");
    }

    @Test
    void everyKernelsStepsAreShownInItsBand() {
        Element pod = Xml.withClass(page, "svg", "chart").get(1);
        List<Element> bands = Xml.all(pod, "g").stream()
                .filter(g -> g.getAttribute("class").startsWith("steps "))
                .toList();

        assertThat(bands).extracting(g -> g.getAttribute("data-kernel")).containsExactly("4.18", "5.18");
        assertThat(Xml.all(bands.get(0), "rect"))
                .extracting(r -> r.getAttribute("data-step"))
                .containsExactly("0", "1");
        assertThat(Xml.all(Xml.all(bands.get(0), "rect").get(1), "title").get(0).getTextContent())
                .isEqualTo("4.18: step 1 anon java, killed, 50 ms to 62 ms (12 ms)");
    }

    @Test
    void usageLimitAndSwapAreTickedAndTheRestCanBe() {
        List<Element> boxes = Xml.all(page, "input");

        assertThat(boxes)
                .filteredOn(i -> i.hasAttribute("checked"))
                .extracting(i -> i.getAttribute("id"))
                .containsExactly("show-usage", "show-limit", "show-swap", "show-k0", "show-k1");
        assertThat(boxes).hasSize(SERIES.size() + 2);
        assertThat(html).contains("#show-dirty:checked ~ .charts .s-dirty { display: inline; }");
        assertThat(html).contains("#show-k1:not(:checked) ~ .charts .k1 { display: none; }");
        assertThat(html).contains("Not run by 3.10: unsupported (cgroup v2: not in 3.10)");
        assertThat(html).contains("<p class=\"time\">In time: something.</p>");
        assertThat(html).doesNotContain("<script", "src=", "url(", "@import");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .as("nothing is fetched: the only address is the SVG namespace")
                .doesNotContain("http:", "https:");
    }

    @Test
    void aLimitFarAboveEverythingElseIsLeftOffAndSaidSo() {
        Element host = Xml.withClass(page, "svg", "chart").get(0);

        // the host's limit of 1000 pages is more than four times its highest usage (100)
        assertThat(Xml.all(host, "polyline"))
                .noneMatch(p -> p.getAttribute("data-series").equals("limit"));
        assertThat(texts(host, "note")).containsExactly("limit off scale (3.9M)");
    }

    @Test
    void manySamplesBecomeAtMostFourPointsAPixelAndFlatRunsTwo() {
        List<double[]> wiggle = new ArrayList<>();
        List<double[]> flat = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            wiggle.add(new double[] {i / 100.0, i % 2 == 0 ? 10 : 20});
            flat.add(new double[] {i / 100.0, 5});
        }

        assertThat(UsageChart.simplify(wiggle)).hasSizeLessThanOrEqualTo(4 * 1000);
        assertThat(UsageChart.simplify(flat)).hasSize(2);
    }

    @Test
    void pointsOnTheLineDrawnWithoutThemGoAndCornersStay() {
        List<double[]> ramp = new ArrayList<>();
        for (int i = 0; i <= 500; i++) {
            // a ramp with noise well under a pixel, then a flat top: three corners
            ramp.add(new double[] {i, i <= 300 ? 200 - i * 0.5 + (i % 2) * 0.1 : 50});
        }

        assertThat(UsageChart.simplify(ramp))
                .extracting(p -> p[0] + "," + p[1])
                .containsExactly("0.0,200.0", "300.0,50.0", "500.0,50.0");
    }

    @Test
    void aKillShowsOnTheHostTheOomMemcgAndTheVictimsAncestors() {
        TimeSamples.Kill k = new TimeSamples.Kill(1, 0, "java", 1, "/a/b/c", "/a/b");

        assertThat(UsageChart.concerns("/", k)).isTrue();
        assertThat(UsageChart.concerns("/a", k)).isTrue();
        assertThat(UsageChart.concerns("/a/b", k)).isTrue();
        assertThat(UsageChart.concerns("/a/b/c", k)).isTrue();
        assertThat(UsageChart.concerns("/a/bc", k)).isFalse();
        assertThat(UsageChart.concerns("/x", k)).isFalse();
    }

    private static List<Element> kills(Element chart) {
        return Xml.all(chart, "g").stream()
                .filter(g -> g.getAttribute("class").startsWith("kill "))
                .toList();
    }

    private static Element polyline(Element chart, String kernel, String series) {
        return Xml.all(chart, "polyline").stream()
                .filter(p -> p.getAttribute("data-kernel").equals(kernel)
                        && p.getAttribute("data-series").equals(series))
                .findFirst()
                .orElseThrow();
    }

    private static List<double[]> points(Element polyline) {
        return List.of(polyline.getAttribute("points").split(" ")).stream()
                .map(xy -> new double[] {Double.parseDouble(xy.split(",")[0]), Double.parseDouble(xy.split(",")[1])})
                .toList();
    }

    private static List<String> texts(Element chart, String cls) {
        return Xml.all(chart, "text").stream()
                .filter(t -> t.getAttribute("class").equals(cls))
                .map(Element::getTextContent)
                .toList();
    }
}
