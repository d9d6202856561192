package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The {@code steps:} list. Steps are numbered from 0 in messages, as {@code step N} expectations
 * number them. Checks what can be known before running: tasks exist and have not exited, files
 * live on the right kind of filesystem, cgroups are declared, snapshot labels are unique, the
 * steps of a together are task steps of different tasks. A together is one step (one index);
 * its inner steps carry the together's index.
 */
final class StepParser {
    static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final String LABEL_RULE =
            "a label of a-z 0-9 -, starting with a letter or digit, unique in the file, not end";
    static final String END = "end";
    static final long MAX_STEP_BYTES = 4L << 40;

    private static final Map<String, List<String>> OPS = new LinkedHashMap<>();

    static {
        OPS.put("anon", List.of("task", "size"));
        OPS.put("shmem", List.of("task", "file", "size"));
        OPS.put("read", List.of("task", "file", "size", "offset"));
        OPS.put("write", List.of("task", "file", "size"));
        OPS.put("mmap", List.of("task", "file", "size", "offset"));
        OPS.put("touch", List.of("task", "what", "size", "pattern", "passes"));
        OPS.put("free", List.of("task", "size"));
        OPS.put("unlink", List.of("file"));
        OPS.put("set", List.of("cgroup"));
        OPS.put("move", List.of("task", "cgroup"));
        OPS.put("host", List.of("size"));
        OPS.put("exit", List.of("task"));
        OPS.put("snapshot", List.of());
        OPS.put("sleep", List.of("for"));
        OPS.put("together", List.of());
    }

    static final String OP_NAMES = String.join(", ", OPS.keySet());
    /** The steps that run as a task, and so may run inside together. */
    static final List<String> TOGETHER_OPS = List.of("anon", "shmem", "read", "write", "mmap", "touch", "free");

    static final String TOGETHER_RULE = "a list of 2 or more steps, each of a different task and each one of "
            + String.join(", ", TOGETHER_OPS) + ", with an optional rate (bytes per second)";
    static final long MIN_SLEEP_NS = Durations.NANOS_PER_US;
    static final long MAX_SLEEP_NS = 24 * 60 * Durations.NANOS_PER_MINUTE;
    /** A together step's rate: at least 1 byte per second, at most 1 TiB per second. */
    static final long MAX_RATE_BPS = 1L << 40;

    private final Source source;
    private final CgroupInterface iface;
    private final Set<String> tasks;
    private final Set<String> cgroups;
    private final Map<String, Step> exits = new LinkedHashMap<>();
    private final Map<String, Step> labels = new LinkedHashMap<>();

    private final SwappinessRange swappiness;

    StepParser(
            Source source, CgroupInterface iface, Set<String> tasks, Set<String> cgroups, SwappinessRange swappiness) {
        this.swappiness = swappiness;
        this.source = source;
        this.iface = iface;
        this.tasks = tasks;
        this.cgroups = cgroups;
    }

    /** Snapshot labels declared by the parsed steps, in order. */
    Set<String> labels() {
        return labels.keySet();
    }

    List<Step> parse(Node node) throws ScenarioException {
        String allowed = "a list of steps, like - anon: {task: app, size: 4G}; ops: " + OP_NAMES;
        if (!(node instanceof SequenceNode)) {
            throw source.error(node, "steps must be a list, not " + Scalars.kind(node), allowed);
        }
        List<Node> items = ((SequenceNode) node).getValue();
        if (items.isEmpty()) {
            throw source.error(node, "steps is empty", allowed);
        }
        List<Step> steps = new ArrayList<>();
        for (Node item : items) {
            steps.add(step(steps.size(), item));
        }
        return steps;
    }

    /** A step inside the together step {@code index}: its place k among the together's steps (from 0). */
    private record Inner(int index, int k) {
        String what() {
            return "inner step " + k + " of step " + index;
        }
    }

    /** A parsed inner step and the node of its task, for errors about the task. */
    private record InnerStep(Step.Paced paced, Node taskNode) {}

    private Step step(int index, Node item) throws ScenarioException {
        YamlMap.Entry op = op("step " + index, item, "- exit: {task: app}", OP_NAMES);
        SourcePos pos = source.at(op.keyNode());
        switch (op.key()) {
            case "snapshot":
                return snapshot(index, pos, op.value());
            case "together":
                return together(index, pos, op.value());
            case "sleep":
                YamlMap args = args(op, null);
                return new Step.Sleep(
                        index,
                        pos,
                        Durations.nanos(
                                source, args.require("for", takes("sleep")), "sleep for", MIN_SLEEP_NS, MAX_SLEEP_NS));
            default:
                return taskStep(index, pos, op, args(op, null));
        }
    }

    /** The single op of a step item: checks it is a map with exactly one known op. */
    private YamlMap.Entry op(String what, Node item, String example, String ops) throws ScenarioException {
        if (!(item instanceof MappingNode)) {
            throw source.error(
                    item,
                    what + " must be a map with one op, like " + example + ", not " + Scalars.kind(item),
                    "ops: " + ops);
        }
        List<YamlMap.Entry> entries =
                YamlMap.of(source, item, what, null, "ops: " + ops).entries();
        if (entries.isEmpty()) {
            throw source.error(item, what + " has no op", "ops: " + ops);
        }
        if (entries.size() > 1) {
            throw source.error(
                    entries.get(1).keyNode(),
                    what + " has a second key " + Scalars.show(entries.get(1).key())
                            + " after its op " + Scalars.show(entries.get(0).key())
                            + "; a step has exactly one op (is the indentation right?)",
                    "one op: " + ops);
        }
        YamlMap.Entry op = entries.get(0);
        if (!OPS.containsKey(op.key())) {
            throw source.error(op.keyNode(), "unknown step op " + Scalars.show(op.key()), ops);
        }
        return op;
    }

    /**
     * The op's map of keys. Inside together (inner not null) a task step may also have rate; on
     * its own it may not, and says so rather than calling rate unknown.
     */
    private YamlMap args(YamlMap.Entry op, Inner inner) throws ScenarioException {
        String name = op.key();
        if (name.equals("set")) {
            return YamlMap.of(source, op.value(), name, null, takes(name));
        }
        List<String> keys = OPS.get(name);
        if (TOGETHER_OPS.contains(name)) {
            if (inner != null) {
                keys = new ArrayList<>(keys);
                keys.add("rate");
                return YamlMap.of(source, op.value(), name, keys, takes(name) + ", rate");
            }
            YamlMap.Entry rate =
                    YamlMap.of(source, op.value(), name, null, takes(name)).entry("rate");
            if (rate != null) {
                throw source.error(
                        rate.keyNode(),
                        "rate paces a step that runs inside together; a step on its own" + " runs unpaced",
                        takes(name) + "; rate inside - together: [...]");
            }
        }
        return YamlMap.of(source, op.value(), name, keys, takes(name));
    }

    /**
     * Every step but snapshot, together and sleep. Inside together only the task steps of
     * TOGETHER_OPS get here, and give the same records as on their own.
     */
    private Step taskStep(int index, SourcePos pos, YamlMap.Entry op, YamlMap args) throws ScenarioException {
        switch (op.key()) {
            case "anon":
                return new Step.Anon(index, pos, task(args), size(args, "size", 1));
            case "shmem":
                return new Step.Shmem(index, pos, task(args), file(args, true), size(args, "size", 1));
            case "read":
                return new Step.Read(index, pos, task(args), file(args, false), offset(args), size(args, "size", 1));
            case "write":
                return new Step.Write(index, pos, task(args), file(args, false), size(args, "size", 1));
            case "mmap":
                return new Step.Mmap(index, pos, task(args), file(args, false), offset(args), size(args, "size", 1));
            case "touch":
                return touch(index, pos, args);
            case "free":
                return new Step.Free(index, pos, task(args), size(args, "size", 1));
            case "unlink":
                return new Step.Unlink(index, pos, file(args, null));
            case "set":
                return set(index, pos, args);
            case "move":
                return new Step.Move(index, pos, task(args), cgroup(args, true));
            case "host":
                return new Step.Host(index, pos, size(args, "size", 1));
            default:
                Step.Exit exit = new Step.Exit(index, pos, task(args));
                exits.put(exit.task(), exit);
                return exit;
        }
    }

    private Step together(int index, SourcePos pos, Node node) throws ScenarioException {
        if (!(node instanceof SequenceNode)) {
            throw source.error(node, "together must be a list of steps, not " + Scalars.kind(node), TOGETHER_RULE);
        }
        List<Node> items = ((SequenceNode) node).getValue();
        if (items.size() < 2) {
            throw source.error(
                    node,
                    "together has " + (items.isEmpty() ? "no steps" : "one step")
                            + "; it runs 2 or more steps at the same time (a single step needs no together)",
                    TOGETHER_RULE);
        }
        List<Step.Paced> steps = new ArrayList<>();
        Map<String, Integer> byTask = new LinkedHashMap<>();
        for (Node item : items) {
            Inner inner = new Inner(index, steps.size());
            InnerStep parsed = inner(inner, item);
            Step step = parsed.paced().step();
            Integer other = byTask.get(step.task());
            if (other != null) {
                List<String> free = new ArrayList<>(tasks);
                free.removeAll(exits.keySet());
                free.removeAll(byTask.keySet());
                throw source.error(
                        parsed.taskNode(),
                        "task " + step.task() + " already runs inner step "
                                + other + " of this together (line "
                                + steps.get(other).step().pos().line()
                                + "); a task runs one step at a time",
                        free.isEmpty()
                                ? "a different task for each step of a together (every task that has not exited is used)"
                                : "a different task for each step of a together: " + String.join(", ", free));
            }
            byTask.put(step.task(), steps.size());
            steps.add(parsed.paced());
        }
        return new Step.Together(index, pos, steps);
    }

    private InnerStep inner(Inner inner, Node item) throws ScenarioException {
        String ops = String.join(", ", TOGETHER_OPS);
        YamlMap.Entry op = op(inner.what(), item, "- anon: {task: app, size: 4M}", ops);
        String name = op.key();
        if (!TOGETHER_OPS.contains(name)) {
            String why = switch (name) {
                case "together" ->
                    "together cannot be nested: list all the steps that run at the same time in one" + " together";
                case "sleep" ->
                    "sleep cannot run inside together: it lets time pass with no task doing anything;"
                            + " put it before or after the together";
                case "set" ->
                    "set cannot run inside together: only steps that run as a task can; write the knobs"
                            + " before or after the together";
                case "snapshot" ->
                    "snapshot cannot run inside together: it records the moment between two steps;"
                            + " take it before or after the together";
                default -> name + " cannot run inside together: only " + ops + " run at the same time";
            };
            throw source.error(op.keyNode(), why, ops);
        }
        YamlMap args = args(op, inner);
        Step step = taskStep(inner.index(), source.at(op.keyNode()), op, args);
        long rate = args.has("rate")
                ? HostParser.rate(
                        source,
                        args.get("rate"),
                        name + " rate",
                        MAX_RATE_BPS,
                        "leave rate out for a step that runs unpaced")
                : Step.Paced.UNPACED;
        return new InnerStep(new Step.Paced(step, rate), args.get("task"));
    }

    private static String takes(String op) {
        if (op.equals("set")) {
            return "set takes cgroup and one or more knob: value pairs";
        }
        if (op.equals("sleep")) {
            return "sleep takes for, a duration: - sleep: {for: 30s}";
        }
        return op + " takes " + String.join(", ", OPS.get(op));
    }

    private Step touch(int index, SourcePos pos, YamlMap args) throws ScenarioException {
        String task = task(args);
        String allowed = "anon, shmem:<file under /dev/shm/ or /tmp/>, file:<file elsewhere>";
        Node whatNode = args.require("what", takes("touch"));
        String what = Scalars.text(source, whatNode, "touch what", allowed);
        Step.TouchTarget target;
        if (what.equals("anon")) {
            target = new Step.TouchTarget(Step.TouchTarget.Kind.ANON, null);
        } else if (what.startsWith("shmem:")) {
            target = new Step.TouchTarget(
                    Step.TouchTarget.Kind.SHMEM, checkFile(whatNode, what.substring("shmem:".length()), true));
        } else if (what.startsWith("file:")) {
            target = new Step.TouchTarget(
                    Step.TouchTarget.Kind.FILE, checkFile(whatNode, what.substring("file:".length()), false));
        } else {
            throw source.error(whatNode, "touch what " + Scalars.show(what) + " is not allowed", allowed);
        }
        long pages = size(args, "size", 1);
        Step.Pattern pattern = args.has("pattern")
                ? Step.Pattern.valueOf(
                        Scalars.oneOf(source, args.get("pattern"), "touch pattern", List.of("sequential", "random"))
                                .toUpperCase(Locale.ROOT))
                : Step.Pattern.SEQUENTIAL;
        int passes = args.has("passes") ? (int) Scalars.integer(source, args.get("passes"), "touch passes", 1, 100) : 1;
        return new Step.Touch(index, pos, task, target, pages, pattern, passes);
    }

    private Step set(int index, SourcePos pos, YamlMap args) throws ScenarioException {
        String cgroup = cgroup(args, false);
        List<Knob> knobs = new ArrayList<>();
        for (YamlMap.Entry entry : args.entries()) {
            if (!entry.key().equals("cgroup")) {
                knobs.add(KnobRules.parse(source, iface, entry.keyNode(), entry.key(), entry.value(), swappiness));
            }
        }
        if (knobs.isEmpty()) {
            throw source.error(args.node(), "set has no knob to write", KnobRules.describe(iface));
        }
        return new Step.Set(index, pos, cgroup, knobs);
    }

    private Step snapshot(int index, SourcePos pos, Node node) throws ScenarioException {
        String label = Scalars.matching(source, node, "snapshot label", LABEL, LABEL_RULE);
        if (label.equals(END)) {
            throw source.error(
                    node, "the snapshot label end is reserved for the state at the end of the run", LABEL_RULE);
        }
        Step earlier = labels.get(label);
        if (earlier != null) {
            throw source.error(
                    node,
                    "the snapshot label " + label + " is already used by step " + earlier.index() + " (line "
                            + earlier.pos().line() + ")",
                    LABEL_RULE);
        }
        Step.Snapshot snapshot = new Step.Snapshot(index, pos, label);
        labels.put(label, snapshot);
        return snapshot;
    }

    private String task(YamlMap args) throws ScenarioException {
        String allowed = tasks.isEmpty()
                ? "a task declared under tasks (none are)"
                : "a task declared under tasks: " + String.join(", ", tasks);
        Node node = args.require("task", allowed);
        String name = Scalars.text(source, node, "task", allowed);
        if (!tasks.contains(name)) {
            throw source.error(node, "unknown task " + Scalars.show(name), allowed);
        }
        Step exit = exits.get(name);
        if (exit != null) {
            List<String> running = new ArrayList<>(tasks);
            running.removeAll(exits.keySet());
            throw source.error(
                    node,
                    "task " + name + " exited at step " + exit.index() + " (line "
                            + exit.pos().line() + ")",
                    running.isEmpty()
                            ? "no task: every task has exited"
                            : "a task that has not exited: " + String.join(", ", running));
        }
        return name;
    }

    /** Pages for a size of min..4T bytes, rounded up. */
    private long size(YamlMap args, String key, long minBytes) throws ScenarioException {
        Node node = args.require(key, "size: " + SizeParser.SYNTAX);
        return Sizes.pages(SizeParser.bytes(source, node, key, minBytes, MAX_STEP_BYTES));
    }

    private long offset(YamlMap args) throws ScenarioException {
        return args.has("offset") ? size(args, "offset", 0) : 0;
    }

    /** tmpfs: true for a file that must be on tmpfs, false for one that must not be, null for either. */
    private String file(YamlMap args, Boolean tmpfs) throws ScenarioException {
        String allowed = tmpfs == null ? PathRules.FILE_SYNTAX : tmpfs ? PathRules.TMPFS_FILE : PathRules.REGULAR_FILE;
        Node node = args.require("file", allowed);
        return checkFile(node, Scalars.text(source, node, "file", allowed), tmpfs);
    }

    private String checkFile(Node node, String path, Boolean tmpfs) throws ScenarioException {
        String problem = PathRules.fileProblem(path);
        if (problem != null) {
            throw source.error(node, problem, PathRules.FILE_SYNTAX);
        }
        if (PathRules.isMountPoint(path)) {
            throw source.error(node, path + " is a tmpfs mount point, not a file", PathRules.TMPFS_FILE);
        }
        if (Boolean.TRUE.equals(tmpfs) && !PathRules.isTmpfs(path)) {
            throw source.error(node, path + " is not on tmpfs; shmem pages live in tmpfs files", PathRules.TMPFS_FILE);
        }
        if (Boolean.FALSE.equals(tmpfs) && PathRules.isTmpfs(path)) {
            throw source.error(
                    node,
                    path + " is on tmpfs; use shmem (or touch what: shmem:" + path + ") for tmpfs files",
                    PathRules.REGULAR_FILE);
        }
        return path;
    }

    private String cgroup(YamlMap args, boolean rootAllowed) throws ScenarioException {
        String allowed = rootAllowed
                ? TaskParser.declaredCgroups(cgroups)
                : cgroups.isEmpty() ? "a declared cgroup (none are)" : String.join(", ", cgroups);
        Node node = args.require("cgroup", allowed);
        String cgroup = Scalars.text(source, node, "cgroup", allowed);
        if (!rootAllowed && cgroup.equals("/")) {
            throw source.error(node, "the root cgroup's knobs cannot be set", allowed);
        }
        TaskParser.checkCgroup(source, node, cgroup, cgroups, "the step names cgroup ", allowed);
        return cgroup;
    }
}
