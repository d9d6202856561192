package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML map checked once for what every map in a scenario must satisfy: text keys, each once,
 * and (when the keys are fixed) only known keys. Keeps file order, so errors and results do not
 * depend on hashing.
 */
final class YamlMap {
    /** One key: value pair, with the key's node for errors about the key. */
    record Entry(String key, Node keyNode, Node value) {}

    private final Source source;
    private final Node node;
    private final String what;
    private final Map<String, Entry> entries;

    private YamlMap(Source source, Node node, String what, Map<String, Entry> entries) {
        this.source = source;
        this.node = node;
        this.what = what;
        this.entries = entries;
    }

    /**
     * Checks node as the map called what. allowedKeys null means any text key (the caller checks
     * them); describe says what the map holds, for the error when node is not a map.
     */
    static YamlMap of(Source source, Node node, String what, List<String> allowedKeys, String describe)
            throws ScenarioException {
        if (!(node instanceof MappingNode)) {
            throw source.error(node, what + " must be a map, not " + Scalars.kind(node), describe);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode) || Scalars.isNull(keyNode)) {
                throw source.error(
                        keyNode, "a key in " + what + " must be plain text, not " + Scalars.kind(keyNode), describe);
            }
            String key = ((ScalarNode) keyNode).getValue();
            Entry earlier = entries.get(key);
            if (earlier != null) {
                throw source.error(
                        keyNode,
                        "duplicate key " + Scalars.show(key) + " in " + what + " (first at line "
                                + source.at(earlier.keyNode()).line() + ")",
                        "each key once");
            }
            if (allowedKeys != null && !allowedKeys.contains(key)) {
                throw source.error(
                        keyNode, "unknown key " + Scalars.show(key) + " in " + what, String.join(", ", allowedKeys));
            }
            entries.put(key, new Entry(key, keyNode, tuple.getValueNode()));
        }
        return new YamlMap(source, node, what, entries);
    }

    Node node() {
        return node;
    }

    int size() {
        return entries.size();
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value, or null when the key is absent. */
    Node get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    /** The value of a key that must be there; a missing key is reported at the map. */
    Node require(String key, String allowed) throws ScenarioException {
        Node value = get(key);
        if (value == null) {
            throw source.error(node, what + " is missing " + key, allowed);
        }
        return value;
    }
}
