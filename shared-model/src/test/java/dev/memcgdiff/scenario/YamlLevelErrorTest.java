package dev.memcgdiff.scenario;

import static dev.memcgdiff.scenario.ScenarioErrorCase.doc;
import static dev.memcgdiff.scenario.ScenarioErrorCase.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Files that are not plain, single-document YAML, or not text at all. */
class YamlLevelErrorTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                of(
                        "over-indented key",
                        doc("name: t", "host:", "  memory: 1G", "   swap: 0"),
                        4,
                        8,
                        "YAML syntax error: mapping values are not allowed here",
                        "indented with spaces"),
                of(
                        "tab indentation",
                        doc("name: t", "host:", "\tmemory: 1G"),
                        3,
                        1,
                        "YAML syntax error: found character '\\t(TAB)' that cannot start any token",
                        "indented with spaces"),
                of(
                        "unclosed flow map",
                        doc("name: t", "host: {memory: 1G", "cgroup: v1"),
                        3,
                        7,
                        "YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping that "
                                + "starts at line 2 column 7)",
                        "flow style"),
                of(
                        "second document",
                        doc("name: t", "---", "name: u"),
                        2,
                        1,
                        "this is a second one",
                        "one YAML document"),
                of(
                        "anchor",
                        doc("name: t", "host: &h {memory: 1G}"),
                        2,
                        7,
                        "anchors (&h) are not allowed",
                        "without anchors (&), aliases (*)"),
                of("alias", doc("name: *n"), 1, 7, "aliases (*n) are not allowed", "without anchors (&), aliases (*)"),
                of(
                        "alias bomb",
                        doc("a: &a [x, x]", "b: [*a, *a, *a]", "c: [*b, *b, *b]"),
                        1,
                        4,
                        "anchors (&a) are not allowed",
                        "aliases"),
                of(
                        "duplicate key",
                        doc("name: t", "name: u"),
                        2,
                        1,
                        "duplicate key \"name\" in the scenario (first at line 1)",
                        "each key once"),
                of("binary tag", doc("name: !!binary dA=="), 1, 7, "the tag !!binary is not allowed", "!!str, !!int"),
                of("local tag", doc("name: !t x"), 1, 7, "the tag !t is not allowed", "!!str"),
                of(
                        "tag on a map",
                        doc("name: t", "host: !!map {memory: 1G}"),
                        2,
                        7,
                        "the tag !!map is not allowed on a map or list",
                        "!!str"),
                of(
                        "nesting too deep",
                        doc("name: " + "[".repeat(60) + "]".repeat(60)),
                        1,
                        57,
                        "YAML error: Nesting Depth exceeded max 50",
                        "nested at most 50 deep"),
                of("empty file", "", 1, 1, "the file holds no scenario", "name, title, description"),
                of(
                        "only comments",
                        doc("# nothing yet"),
                        1,
                        1,
                        "the file holds no scenario",
                        "name, title, description"),
                of(
                        "a scalar document",
                        doc("just text"),
                        1,
                        1,
                        "the scenario must be a map, not a single value",
                        "name, title"),
                of("a list document", doc("- name: t"), 1, 1, "the scenario must be a map, not a list", "name, title"),
                of(
                        "control character",
                        doc("name: t\u0007"),
                        1,
                        8,
                        "the character U+0007 cannot appear in YAML",
                        "printable Unicode"),
                of(
                        "lone surrogate",
                        doc("name: t", "title: a\ud800b"),
                        2,
                        9,
                        "the character U+D800 cannot appear in YAML",
                        "printable Unicode"),
                of(
                        "complex key",
                        doc("name: t", "? [a]", ": b"),
                        2,
                        3,
                        "a key in the scenario must be plain text, not a list",
                        "name, title"),
                of(
                        "null key",
                        doc("name: t", "~: b"),
                        2,
                        1,
                        "a key in the scenario must be plain text, not empty",
                        "name, title"),
                of(
                        "too long",
                        "#" + "x".repeat(YamlTree.MAX_CODE_POINTS),
                        1,
                        1,
                        "the file is longer than 4194304 characters",
                        "at most 4194304 characters"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedWithPositionAndWhatIsAllowed(ScenarioErrorCase c) {
        c.check();
    }

    @Test
    void explicitStandardScalarTagsAreAccepted() throws ScenarioException {
        Scenario s = ScenarioParser.parse(
                "t.yaml",
                doc(
                        "name: !!str t",
                        "kernels: [!!str 3.10]",
                        "seed: !!int \"7\"",
                        "host: {memory: 1G}",
                        "cgroup: v1",
                        "tasks: {}",
                        "steps: [{host: {size: 1M}}]"));
        assertThat(s.kernels()).containsExactly("3.10");
        assertThat(s.seed()).isEqualTo(7);
    }

    @Test
    void aFileIsReadAsUtf8(@TempDir Path dir) throws IOException, ScenarioException {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(
                file,
                doc(
                        "name: t",
                        "title: Grüße ✓",
                        "host: {memory: 1G}",
                        "cgroup: v1",
                        "tasks: {}",
                        "steps: [{host: {size: 1M}}]"),
                StandardCharsets.UTF_8);
        Scenario s = ScenarioParser.parse(file);
        assertThat(s.title()).isEqualTo("Grüße ✓");
        assertThat(s.file()).isEqualTo(file.toString());
    }

    @Test
    void invalidUtf8IsRefusedWhereItIs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        byte[] bytes = "name: t\ntitle: ab\u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, broken, 0, bytes.length);
        broken[bytes.length] = (byte) 0xff;
        Files.write(file, broken);
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioParser.parse(file));
        assertThat(e.pos()).isEqualTo(new SourcePos(file.toString(), 2, 11));
        assertThat(e.problem()).isEqualTo("the byte 0xFF at offset 19 is not valid UTF-8");
        assertThat(e.allowed()).isEqualTo("UTF-8 text");
    }

    @Test
    void aMissingFileIsRefusedAtItsStart(@TempDir Path dir) {
        Path file = dir.resolve("missing.yaml");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioParser.parse(file));
        assertThat(e.pos()).isEqualTo(new SourcePos(file.toString(), 1, 1));
        assertThat(e.problem()).isEqualTo("cannot read the file: it does not exist");
        assertThat(e.allowed()).isEqualTo("a readable file");
    }

    @Test
    void aDirectoryIsRefusedAtItsStart(@TempDir Path dir) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioParser.parse(dir));
        assertThat(e.pos()).isEqualTo(new SourcePos(dir.toString(), 1, 1));
        assertThat(e.problem()).startsWith("cannot read the file");
        assertThat(e.allowed()).isEqualTo("a readable file");
    }
}
