package dev.memcgdiff.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of the outcome contract's JSON: every expected text here is written by hand, so
 * a change of writer (or of Jackson version or configuration) that changes one byte fails.
 */
class JsonTest {

    private static String compact(Object value) {
        return Json.write(value, false);
    }

    private static String pretty(Object value) {
        return Json.write(value, true);
    }

    /** A LinkedHashMap from alternating keys and values. */
    private static Map<Object, Object> map(Object... keysAndValues) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A list that may hold null, unlike List.of. */
    private static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    @Test
    void scalars() {
        assertThat(compact(null)).isEqualTo("null");
        assertThat(pretty(null)).isEqualTo("null");
        assertThat(compact(true)).isEqualTo("true");
        assertThat(compact(false)).isEqualTo("false");
        assertThat(compact("")).isEqualTo("\"\"");
        assertThat(pretty("x")).isEqualTo("\"x\"");
        assertThat(pretty(42L)).isEqualTo("42");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndSlashIsNot() {
        assertThat(compact("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(compact("\\\"")).isEqualTo("\"\\\\\\\"\"");
    }

    @Test
    void newlineReturnAndTabHaveShortEscapesOtherControlsLowerCaseUnicodeEscapes() {
        assertThat(compact("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        // \b and \f get no short form; hex digits are lower case
        assertThat(compact("\u0000\u0001\b\f\u000b\u001a\u001b\u001f"))
                .isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u000b\\u001a\\u001b\\u001f\"");
        // space and DEL are not control characters here
        assertThat(compact(" \u007f~")).isEqualTo("\" \u007f~\"");
    }

    @Test
    void everyControlCharacter() {
        StringBuilder in = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            in.append(c);
        }
        assertThat(compact(in.toString()))
                .isEqualTo("\""
                        + "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                        + "\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f"
                        + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                        + "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
                        + "\"");
    }

    @Test
    void nonAsciiIsWrittenAsItIs() {
        assertThat(compact("caf\u00e9 \u20ac \u00fc\u00df \u4e2d\u6587"))
                .isEqualTo("\"caf\u00e9 \u20ac \u00fc\u00df \u4e2d\u6587\"");
        // a supplementary character (a surrogate pair), the line separators JavaScript dislikes, a BOM
        assertThat(compact("\ud83d\ude00\u2028\u2029\ufeff")).isEqualTo("\"\ud83d\ude00\u2028\u2029\ufeff\"");
        // a lone surrogate is not validated, nor replaced
        assertThat(compact("x\ud800y\udc00")).isEqualTo("\"x\ud800y\udc00\"");
        assertThat(compact("\u0080\u009f\u00a0")).isEqualTo("\"\u0080\u009f\u00a0\"");
    }

    @Test
    void longStringsEscapeTheSameAsShortOnes() {
        // longer than the generator's buffers, so its segmented paths are taken
        String in = "\u00e9\"\u0001\\\n".repeat(5000);
        assertThat(compact(in)).isEqualTo("\"" + "\u00e9\\\"\\u0001\\\\\\n".repeat(5000) + "\"");
        String plain = "abcdefghij".repeat(10_000);
        assertThat(compact(plain)).isEqualTo("\"" + plain + "\"");
    }

    @Test
    void keysAreEscapedLikeValues() {
        assertThat(compact(map("k\"\\\n\u0002\u00e9", 1))).isEqualTo("{\"k\\\"\\\\\\n\\u0002\u00e9\":1}");
        assertThat(pretty(map("a\tb", "c\td"))).isEqualTo("{\n  \"a\\tb\": \"c\\td\"\n}");
    }

    @Test
    void keysAreWrittenAsStringValueOf() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(null, 1);
        m.put(7, 2);
        m.put(2.5, 3);
        m.put(true, 4);
        assertThat(compact(m)).isEqualTo("{\"null\":1,\"7\":2,\"2.5\":3,\"true\":4}");
    }

    @Test
    void integersAndLongs() {
        assertThat(compact(list(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE)))
                .isEqualTo("[0,-1,2147483647,-2147483648]");
        assertThat(compact(list(0L, 4096L, Long.MAX_VALUE, Long.MIN_VALUE)))
                .isEqualTo("[0,4096,9223372036854775807,-9223372036854775808]");
        assertThat(compact(list((short) -7, (byte) -128, Short.MAX_VALUE))).isEqualTo("[-7,-128,32767]");
        assertThat(compact(list(new BigInteger("123456789012345678901234567890"), new AtomicLong(-5))))
                .isEqualTo("[123456789012345678901234567890,-5]");
    }

    @Test
    void doublesAndFloatsAsJavaPrintsThem() {
        assertThat(compact(list(0.0, -0.0, 1.0, 0.1, 2.5, -3.75, 100.0, 1e7, 1.0e-3, 1e-4)))
                .isEqualTo("[0.0,-0.0,1.0,0.1,2.5,-3.75,100.0,1.0E7,0.001,1.0E-4]");
        assertThat(compact(list(1e20, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE, 1.0 / 3)))
                .isEqualTo("[1.0E20,1.23456789125E8,1.7976931348623157E308,4.9E-324,0.3333333333333333]");
        // NaN and the infinities bare, as Double.toString prints them (not valid JSON, but the old writer's bytes)
        assertThat(compact(list(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN)))
                .isEqualTo("[NaN,Infinity,-Infinity,NaN]");
        assertThat(compact(list(1.5f, 0.1f, 1e10f, -0.0f))).isEqualTo("[1.5,0.1,1.0E10,-0.0]");
        assertThat(compact(list(new BigDecimal("1E+3"), new BigDecimal("0.000001"), new BigDecimal("1.50"))))
                .isEqualTo("[1E+3,0.000001,1.50]");
    }

    @Test
    void objectsKeepTheirInsertionOrder() {
        assertThat(compact(map("z", 1, "a", 2, "m", 3))).isEqualTo("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(pretty(map("z", 1, "a", 2, "m", 3))).isEqualTo("{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": 3\n}");
    }

    @Test
    void emptyContainersAreClosedOnTheSameLine() {
        assertThat(compact(map())).isEqualTo("{}");
        assertThat(pretty(map())).isEqualTo("{}");
        assertThat(compact(List.of())).isEqualTo("[]");
        assertThat(pretty(List.of())).isEqualTo("[]");
        assertThat(pretty(map("a", map(), "b", List.of()))).isEqualTo("{\n  \"a\": {},\n  \"b\": []\n}");
    }

    @Test
    void nestedMapsAndListsCompact() {
        Object v =
                map("a", list(1L, map("b", List.of()), map()), "c", map("d", null, "e", list(true, false)), "f", "x");
        assertThat(compact(v)).isEqualTo("{\"a\":[1,{\"b\":[]},{}],\"c\":{\"d\":null,\"e\":[true,false]},\"f\":\"x\"}");
    }

    @Test
    void nestedMapsAndListsPretty() {
        Object v = map(
                "a",
                list(1L, map("b", List.of()), map()),
                "c",
                map("d", null, "e", list(true, false)),
                "f",
                "x",
                "g",
                list(list(0.5, null), "s\n"));
        assertThat(pretty(v))
                .isEqualTo(String.join(
                        "\n",
                        "{",
                        "  \"a\": [",
                        "    1,",
                        "    {",
                        "      \"b\": []",
                        "    },",
                        "    {}",
                        "  ],",
                        "  \"c\": {",
                        "    \"d\": null,",
                        "    \"e\": [",
                        "      true,",
                        "      false",
                        "    ]",
                        "  },",
                        "  \"f\": \"x\",",
                        "  \"g\": [",
                        "    [",
                        "      0.5,",
                        "      null",
                        "    ],",
                        "    \"s\\n\"",
                        "  ]",
                        "}"));
    }

    @Test
    void topLevelArrayOfObjectsPretty() {
        Object v = list(map("scenario", "a", "kernels", map()), map("scenario", "b"));
        assertThat(pretty(v))
                .isEqualTo(String.join(
                        "\n",
                        "[",
                        "  {",
                        "    \"scenario\": \"a\",",
                        "    \"kernels\": {}",
                        "  },",
                        "  {",
                        "    \"scenario\": \"b\"",
                        "  }",
                        "]"));
    }

    @Test
    void anyCollectionIsAnArray() {
        assertThat(compact(new LinkedHashSet<>(List.of("b", "a")))).isEqualTo("[\"b\",\"a\"]");
    }

    @Test
    void theSameWriterServesManyTextsInTurn() {
        // the pretty printer counts nesting: an exception or an earlier text must not leave it indented
        assertThatThrownBy(() -> pretty(map("a", list(map("b", new Object())))));
        assertThat(pretty(map("a", list(1)))).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}");
        assertThat(pretty(map("a", list(1)))).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}");
    }

    @Test
    void deepNestingHasNoLimitOfItsOwn() {
        Object v = List.of();
        for (int i = 1; i < 1500; i++) {
            v = List.of(v);
        }
        assertThat(compact(v)).isEqualTo("[".repeat(1500) + "]".repeat(1500));
    }

    @Test
    void otherTypesAreRefused() {
        assertThatThrownBy(() -> compact(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not JSON: class java.lang.Object");
        assertThatThrownBy(() -> compact(map("c", 'c')))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not JSON: class java.lang.Character");
        assertThatThrownBy(() -> compact(new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not JSON: class [I");
    }
}
