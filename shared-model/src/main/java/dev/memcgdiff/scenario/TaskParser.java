package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The {@code tasks:} map: processes by comm name, with the cgroup each starts in. */
final class TaskParser {
    static final List<String> KEYS = List.of("cgroup", "pid", "uid", "oom_score_adj", "parent", "caps");
    /** Capabilities the format knows; the model grows this list when it models another one. */
    static final List<String> CAPS = List.of(TaskSpec.CAP_SYS_ADMIN);

    static final String CAPS_RULE =
            "a list of capabilities, [" + String.join(", ", CAPS) + "] (the only one known), or []";
    private static final Pattern CAP_NAME = Pattern.compile("CAP_[A-Z0-9_]+");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    static final String NAME_RULE = "1 to 15 characters (a comm name) of A-Z a-z 0-9 _ . : -";
    static final int FIRST_DEFAULT_PID = 1000;
    static final int PID_MAX = 4194304;

    private TaskParser() {}

    /** Tasks in file order. cgroups: the declared cgroup paths (without "/"). */
    static List<TaskSpec> parse(Source source, Node node, Set<String> cgroups) throws ScenarioException {
        List<TaskSpec> tasks = new ArrayList<>();
        if (Scalars.isNull(node)) {
            return tasks;
        }
        YamlMap map = YamlMap.of(
                source,
                node,
                "tasks",
                null,
                "a map from task names (" + NAME_RULE
                        + ") to {cgroup, pid, uid, oom_score_adj, parent, caps}, or {} for none");
        Map<Integer, String> pids = new LinkedHashMap<>();
        Map<String, YamlMap.Entry> declared = new LinkedHashMap<>();
        for (YamlMap.Entry entry : map.entries()) {
            declared.put(entry.key(), entry);
        }
        List<String> earlier = new ArrayList<>();
        int index = 0;
        for (YamlMap.Entry entry : map.entries()) {
            String name = entry.key();
            if (!NAME.matcher(name).matches()) {
                throw source.error(
                        entry.keyNode(), "the task name " + Scalars.show(name) + " is not allowed", NAME_RULE);
            }
            String what = "task " + name;
            YamlMap task = YamlMap.of(
                    source,
                    entry.value(),
                    what,
                    KEYS,
                    "a map with keys " + String.join(", ", KEYS) + " (cgroup required)");
            String cgroupAllowed = declaredCgroups(cgroups);
            Node cgroupNode = task.require("cgroup", cgroupAllowed);
            String cgroup = Scalars.text(source, cgroupNode, what + " cgroup", cgroupAllowed);
            checkCgroup(source, cgroupNode, cgroup, cgroups, what + " is in cgroup ", cgroupAllowed);
            int pid;
            if (task.has("pid")) {
                Node pidNode = task.get("pid");
                long value = Scalars.integer(source, pidNode, what + " pid", Long.MIN_VALUE, Long.MAX_VALUE);
                if (value == 1) {
                    throw source.error(
                            pidNode, "pid 1 is init, which the OOM killer never kills", "a whole number 2.." + PID_MAX);
                }
                if (value < 2 || value > PID_MAX) {
                    throw source.error(
                            pidNode, what + " pid " + value + " is out of range", "a whole number 2.." + PID_MAX);
                }
                pid = (int) value;
                if (pids.containsKey(pid)) {
                    throw source.error(
                            pidNode,
                            "pid " + pid + " is already task " + pids.get(pid) + "'s",
                            "a pid no other task has");
                }
            } else {
                pid = FIRST_DEFAULT_PID + index;
                if (pids.containsKey(pid)) {
                    throw source.error(
                            entry.keyNode(),
                            "task " + name + "'s default pid " + pid + " (1000 + its index " + index
                                    + ") is already task " + pids.get(pid) + "'s",
                            "give " + name + " a pid: of its own");
                }
            }
            pids.put(pid, name);
            int uid = task.has("uid")
                    ? (int) Scalars.integer(source, task.get("uid"), what + " uid", 0, Integer.MAX_VALUE)
                    : 0;
            int adj = task.has("oom_score_adj")
                    ? (int) Scalars.integer(source, task.get("oom_score_adj"), what + " oom_score_adj", -1000, 1000)
                    : 0;
            String parent = task.has("parent") ? parent(source, task.get("parent"), name, earlier, declared) : null;
            Set<String> caps = task.has("caps") ? caps(source, task.get("caps"), what) : Set.of();
            tasks.add(new TaskSpec(name, cgroup, pid, uid, adj, parent, caps, source.at(entry.keyNode())));
            earlier.add(name);
            index++;
        }
        return tasks;
    }

    /**
     * The parent task: one declared before this one (so parents form no cycle); it may start in
     * any cgroup. earlier: the tasks declared before it; declared: every task of the file.
     */
    private static String parent(
            Source source, Node node, String name, List<String> earlier, Map<String, YamlMap.Entry> declared)
            throws ScenarioException {
        String allowed = earlier.isEmpty()
                ? "no parent: " + name + " is the first task declared"
                : "a task declared before " + name + ": " + String.join(", ", earlier);
        String parent = Scalars.text(source, node, "task " + name + " parent", allowed);
        if (parent.equals(name)) {
            throw source.error(node, "task " + name + " cannot be its own parent", allowed);
        }
        if (!earlier.contains(parent)) {
            YamlMap.Entry later = declared.get(parent);
            if (later != null) {
                throw source.error(
                        node,
                        "task " + name + "'s parent " + parent + " is declared after it (line "
                                + source.at(later.keyNode()).line() + "); a parent is declared before its children",
                        allowed);
            }
            throw source.error(
                    node, "task " + name + "'s parent " + Scalars.show(parent) + " is not a declared task", allowed);
        }
        return parent;
    }

    private static Set<String> caps(Source source, Node node, String what) throws ScenarioException {
        if (!(node instanceof SequenceNode)) {
            throw source.error(node, what + " caps must be a list, not " + Scalars.kind(node), CAPS_RULE);
        }
        Set<String> caps = new LinkedHashSet<>();
        for (Node item : ((SequenceNode) node).getValue()) {
            String cap = Scalars.text(source, item, "a capability of " + what, CAPS_RULE);
            if (!CAPS.contains(cap)) {
                String upper = cap.toUpperCase(Locale.ROOT);
                String named = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
                if (CAPS.contains(named)) {
                    throw source.error(
                            item,
                            "capabilities are written as the kernel names them: " + named + ", not " + cap,
                            CAPS_RULE);
                }
                throw source.error(
                        item,
                        (CAP_NAME.matcher(cap).matches()
                                ? "the capability " + cap + " is not modelled"
                                : "unknown capability " + Scalars.show(cap)),
                        CAPS_RULE);
            }
            if (!caps.add(cap)) {
                throw source.error(item, what + " lists " + cap + " twice", CAPS_RULE);
            }
        }
        return caps;
    }

    /** Refuses a cgroup reference that is malformed or names no declared cgroup. */
    static void checkCgroup(Source source, Node node, String cgroup, Set<String> cgroups, String prefix, String allowed)
            throws ScenarioException {
        String problem = PathRules.cgroupProblem(cgroup);
        if (problem != null) {
            throw source.error(node, problem, PathRules.CGROUP_SYNTAX);
        }
        if (!cgroup.equals("/") && !cgroups.contains(cgroup)) {
            throw source.error(node, prefix + cgroup + ", which is not declared under cgroups", allowed);
        }
    }

    static String declaredCgroups(Set<String> cgroups) {
        return cgroups.isEmpty() ? "/ (no cgroups are declared)" : "/, " + String.join(", ", cgroups);
    }
}
