package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code cgroups:} map: the tree below the implied root, parents first, with initial knobs. */
final class CgroupTreeParser {
    private CgroupTreeParser() {}

    static List<CgroupSpec> parse(Source source, Node node, CgroupInterface iface, SwappinessRange swappiness)
            throws ScenarioException {
        List<CgroupSpec> cgroups = new ArrayList<>();
        if (node == null || Scalars.isNull(node)) {
            return cgroups;
        }
        YamlMap map = YamlMap.of(
                source,
                node,
                "cgroups",
                null,
                "a map from cgroup paths (" + PathRules.CGROUP_SYNTAX + ") to maps of knobs");
        Set<String> declared = new LinkedHashSet<>();
        for (YamlMap.Entry entry : map.entries()) {
            String path = entry.key();
            String problem = PathRules.cgroupProblem(path);
            if (problem != null) {
                throw source.error(entry.keyNode(), problem, PathRules.CGROUP_SYNTAX);
            }
            if (path.equals("/")) {
                throw source.error(
                        entry.keyNode(),
                        "the root cgroup / is implied and is not declared",
                        "cgroups below /, like /kubepods");
            }
            String parent = parentOf(path);
            if (!parent.equals("/") && !declared.contains(parent)) {
                throw source.error(
                        entry.keyNode(),
                        "parent " + parent + " is not declared before " + path,
                        "parents declared before their children: " + parent + " first");
            }
            declared.add(path);
            cgroups.add(new CgroupSpec(path, knobs(source, entry, iface, swappiness), source.at(entry.keyNode())));
        }
        return cgroups;
    }

    /** A cgroup's knobs; an empty value ({@code /a:}) is read as {@code {}}. */
    private static List<Knob> knobs(
            Source source, YamlMap.Entry entry, CgroupInterface iface, SwappinessRange swappiness)
            throws ScenarioException {
        List<Knob> knobs = new ArrayList<>();
        if (Scalars.isNull(entry.value())) {
            return knobs;
        }
        YamlMap map = YamlMap.of(
                source,
                entry.value(),
                "cgroup " + entry.key(),
                null,
                "a map of knobs, or {} for none; " + KnobRules.describe(iface));
        for (YamlMap.Entry knob : map.entries()) {
            knobs.add(KnobRules.parse(source, iface, knob.keyNode(), knob.key(), knob.value(), swappiness));
        }
        return knobs;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
