package dev.memcgdiff.scenario;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of a scenario file. A replacement character would let a broken file
 * parse into names nobody wrote, so a bad byte is an error that says where it is.
 */
final class Utf8Text {
    private Utf8Text() {}

    static String decode(Source source, byte[] bytes) throws ScenarioException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        String decoded = out.flip().toString();
        if (result.isError()) {
            SourcePos pos = source.at(decoded, decoded.length());
            throw new ScenarioException(
                    pos,
                    String.format(
                            "the byte 0x%02X at offset %d is not valid UTF-8",
                            bytes[in.position()] & 0xff, in.position()),
                    "UTF-8 text");
        }
        return decoded;
    }
}
