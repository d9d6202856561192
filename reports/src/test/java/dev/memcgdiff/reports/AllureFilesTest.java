package dev.memcgdiff.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllureFilesTest {
    /** Allure's own rule: the whole message must match, with '.' crossing line breaks. */
    private static boolean allureMatches(AllureCategories.Category c, String message) {
        return Pattern.compile(c.messageRegex(), Pattern.DOTALL)
                .matcher(message)
                .matches();
    }

    @Test
    void eachCategoryCollectsMessagesCarryingItsMarkerAndNoOthers() {
        for (AllureCategories.Category c : AllureCategories.ALL) {
            assertThat(allureMatches(c, c.name() + ": /c memory.stat:cache\nsecond line"))
                    .isTrue();
            assertThat(allureMatches(c, "first line\nsee below. " + c.name() + ": x"))
                    .isTrue();
            for (AllureCategories.Category other : AllureCategories.ALL) {
                if (other != c) {
                    assertThat(allureMatches(other, c.name() + ": x"))
                            .as(other.name() + " vs " + c.name())
                            .isFalse();
                }
            }
        }
    }

    @Test
    void categoriesJsonNamesTheCategoriesWithTheirStatuses(@TempDir Path dir) throws IOException {
        AllureCategories.write(dir);
        String json = Files.readString(dir.resolve("categories.json"));

        assertThat(json)
                .startsWith("[")
                .contains(
                        "\"name\": \"behaviour difference\"",
                        "\"name\": \"golden mismatch\"",
                        "\"name\": \"invalid scenario\"",
                        "\"name\": \"failed expectation\"",
                        "\"name\": \"known gap closed\"",
                        "\"name\": \"known gap\"",
                        "\"messageRegex\": \".*\\\\Qgolden mismatch:\\\\E.*\"");
        assertThat(json.indexOf("\"passed\""))
                .isBetween(json.indexOf("behaviour difference"), json.indexOf("golden mismatch"));
        // a known gap is a passed test; a closed one fails
        assertThat(json.lastIndexOf("\"passed\"")).isGreaterThan(json.indexOf("\"name\": \"known gap\""));
    }

    @Test
    void environmentPropertiesReadBackAsWrittenInOrder(@TempDir Path dir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("kernel.4.18", "4.18.0-147.el8.x86_64");
        env.put("odd key: a=b", " leading space, tab\t, newline\n, é");
        env.put("model.version", "0.1.0-SNAPSHOT");
        AllureEnvironment.write(dir, env);
        String text = Files.readString(dir.resolve("environment.properties"));
        Properties p = new Properties();
        p.load(new StringReader(text));

        assertThat(text.lines()).hasSize(3);
        assertThat(text.lines().toList().get(0)).isEqualTo("kernel.4.18=4.18.0-147.el8.x86_64");
        assertThat(text.lines().toList().get(1)).startsWith("odd\\ key\\:\\ a\\=b=\\ leading");
        assertThat(text.lines().toList().get(2)).isEqualTo("model.version=0.1.0-SNAPSHOT");
        assertThat(p)
                .hasSize(3)
                .containsEntry("kernel.4.18", "4.18.0-147.el8.x86_64")
                .containsEntry("odd key: a=b", " leading space, tab\t, newline\n, é")
                .containsEntry("model.version", "0.1.0-SNAPSHOT");
        assertThat(text).doesNotContain("#");
    }
}
