package dev.memcgdiff.outcome;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the outcome contract's JSON with Jackson's streaming generator: objects keep their
 * insertion order. The bytes are part of the contract (golden files, {@code run --format json}):
 *
 * <ul>
 *   <li>pretty: two spaces per level, {@code \n} line ends whatever the platform, {@code ": "}
 *       between a key and its value, {@code ","} at the end of a line, and {@code {}} / {@code []}
 *       for empty containers;</li>
 *   <li>compact: no whitespace at all;</li>
 *   <li>strings: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, every other control
 *       character as a lower-case <code>&#92;u00XX</code>; nothing else is escaped (non-ASCII, DEL and
 *       {@code /} are written as they are);</li>
 *   <li>numbers: as their {@code toString()} (NaN and infinities too, bare); map keys as
 *       {@code String.valueOf(key)}.</li>
 * </ul>
 *
 * <p>Values are null, String, Number, Boolean, Map and Collection; anything else is refused.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new ContractEscapes())
            // NaN and the infinities are written bare, as Double.toString gives them
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            // no depth limit other than the stack's, as before Jackson
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .build())
            .build();

    private static final DefaultPrettyPrinter PRETTY = prettyPrinter();

    private Json() {}

    /** The JSON text of {@code value}, pretty printed or compact. */
    public static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(PRETTY.createInstance()); // the printer counts nesting: one per text
            }
            value(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.NONE)
                .withArrayValueSpacing(Separators.Spacing.NONE)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("")
                .withRootSeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Number n) {
            number(g, n);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not JSON: " + v.getClass());
        }
    }

    private static void number(JsonGenerator g, Number n) throws IOException {
        if (n instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (n instanceof Integer i) {
            g.writeNumber(i.intValue());
        } else if (n instanceof Short s) {
            g.writeNumber(s.shortValue());
        } else if (n instanceof Byte b) {
            g.writeNumber(b.intValue());
        } else if (n instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (n instanceof Float f) {
            g.writeNumber(f.floatValue());
        } else if (n instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (n instanceof BigDecimal b) {
            g.writeNumber(b); // toString(), not toPlainString(): WRITE_BIGDECIMAL_AS_PLAIN stays off
        } else {
            g.writeNumber(n.toString()); // AtomicLong, LongAdder...: written as they print
        }
    }

    /**
     * The contract's escaping: Jackson's standard escapes for {@code "} and {@code \}, the short
     * forms for newline, carriage return and tab only (no {@code \b} or {@code \f}), and a
     * lower-case <code>&#92;u00XX</code> for the other control characters (Jackson's own is upper-case).
     */
    private static final class ContractEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;

        private final int[] ascii;
        private final SerializableString[] controls = new SerializableString[0x20];

        ContractEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            for (int c = 0; c < 0x20; c++) {
                ascii[c] = CharacterEscapes.ESCAPE_CUSTOM;
                String escaped = switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", c);
                };
                controls[c] = new SerializedString(escaped);
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch >= 0 && ch < 0x20 ? controls[ch] : null;
        }
    }
}
