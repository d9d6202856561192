package dev.memcgdiff.scenario;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reading single values. Values are taken as the text written, whatever type YAML would give
 * them, so {@code title: yes} is the word "yes" and {@code size: 4G} and {@code size: "4G"} are
 * the same; only an absent value ({@code key:}, {@code ~}, {@code null}) is refused as empty.
 */
final class Scalars {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

    private Scalars() {}

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** A value YAML itself types as a number: how 3.10 silently becomes 3.1 in other tools. */
    static boolean isUnquotedNumber(Node node) {
        return node instanceof ScalarNode
                && ((ScalarNode) node).getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && (Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag()));
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "empty" : "a single value";
    }

    static String text(Source source, Node node, String what, String allowed) throws ScenarioException {
        if (!(node instanceof ScalarNode)) {
            throw source.error(node, what + " must be a single value, not " + kind(node), allowed);
        }
        if (isNull(node)) {
            throw source.error(node, what + " has no value", allowed);
        }
        return ((ScalarNode) node).getValue();
    }

    /** A text that must match pattern; describe says in words what the pattern allows. */
    static String matching(Source source, Node node, String what, Pattern pattern, String describe)
            throws ScenarioException {
        String text = text(source, node, what, describe);
        if (!pattern.matcher(text).matches()) {
            throw source.error(node, what + " " + show(text) + " is not allowed", describe);
        }
        return text;
    }

    /** One of a fixed set of words, written exactly. */
    static String oneOf(Source source, Node node, String what, java.util.List<String> words) throws ScenarioException {
        String allowed = String.join(" | ", words);
        String text = text(source, node, what, allowed);
        if (!words.contains(text)) {
            throw source.error(node, what + " " + show(text) + " is not allowed", allowed);
        }
        return text;
    }

    static long integer(Source source, Node node, String what, long min, long max) throws ScenarioException {
        String allowed = "a whole number " + min + ".." + max;
        String text = text(source, node, what, allowed);
        if (!INTEGER.matcher(text).matches()) {
            throw source.error(node, what + " " + show(text) + " is not a whole number", allowed);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException tooManyDigits) {
            throw source.error(node, what + " " + show(text) + " is out of range", allowed);
        }
        if (value < min || value > max) {
            throw source.error(node, what + " " + text + " is out of range", allowed);
        }
        return value;
    }

    /** User text inside a message: quoted, on one line, and short even when the input is not. */
    static String show(String text) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(text.length(), 60);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
