package dev.memcgdiff.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every seed of the fuzz test through the parser without Jazzer: read as a file (strict UTF-8)
 * and as text (lenient decoding, as a fuzzer's bytes would be). Seeds named valid-* must parse;
 * every other seed must be refused with a usable error, except that text decoded leniently from
 * bytes that are not UTF-8 may well be a valid scenario.
 */
class ScenarioParserSeedCorpusTest {
    static List<Path> seeds() throws URISyntaxException, IOException {
        Path dir = Path.of(ScenarioParserSeedCorpusTest.class
                .getResource("ScenarioParserFuzzTestInputs/parseAnything")
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void seedGivesAScenarioOrARefusal(Path seed) throws IOException {
        boolean valid = seed.getFileName().toString().startsWith("valid-");
        String text = new String(Files.readAllBytes(seed), StandardCharsets.UTF_8);

        Throwable fromFile = catchThrowable(() -> ScenarioParser.parse(seed));
        Throwable fromText = catchThrowable(() -> ScenarioParser.parse("fuzz.yaml", text));

        if (!isUtf8(Files.readAllBytes(seed))) {
            assertThat(fromFile).isInstanceOf(ScenarioException.class).hasMessageContaining("is not valid UTF-8");
            if (fromText != null) {
                assertThat(fromText).isInstanceOf(ScenarioException.class);
                ScenarioParserFuzzTest.checkRefusal((ScenarioException) fromText);
            }
        } else if (valid) {
            assertThat(fromFile).isNull();
            assertThat(fromText).isNull();
        } else {
            assertThat(fromFile).isInstanceOf(ScenarioException.class);
            assertThat(fromText).isInstanceOf(ScenarioException.class);
            ScenarioParserFuzzTest.checkRefusal((ScenarioException) fromText);
        }
    }
}
