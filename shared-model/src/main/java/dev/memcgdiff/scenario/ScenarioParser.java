package dev.memcgdiff.scenario;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a scenario file (docs/scenario-format.md) into a {@link Scenario}, or refuses it with a
 * {@link ScenarioException} saying where, what is wrong and what is allowed. No other exception
 * leaves this class for any text; the same text always gives the same result.
 */
public final class ScenarioParser {
    static final List<String> KEYS = List.of(
            "name",
            "title",
            "description",
            "refs",
            "kernels",
            "seed",
            "host",
            "cgroup",
            "cgroups",
            "tasks",
            "steps",
            "expect");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final Pattern KERNEL = Pattern.compile("[0-9]+\\.[0-9]+");

    private static final String NAME_RULE = "a-z 0-9 -, starting with a letter or digit";
    private static final String TOP_RULE =
            "a map with keys " + String.join(", ", KEYS) + " (name, host, cgroup, tasks and steps required)";
    /** UTF-8 needs at most 4 bytes for each of the characters YamlTree accepts. */
    private static final long MAX_FILE_BYTES = 4L * YamlTree.MAX_CODE_POINTS;

    private final Source source;
    private final KernelLimits limits;

    private ScenarioParser(Source source, KernelLimits limits) {
        this.source = source;
        this.limits = limits;
    }

    /** Reads file as UTF-8, checking kernel-dependent ranges against what every kernel accepts. */
    public static Scenario parse(Path file) throws ScenarioException {
        return parse(file, KernelLimits.COMMON);
    }

    /** Reads file as UTF-8; Scenario.file is file.toString(); kernel-dependent ranges per {@code limits}. */
    public static Scenario parse(Path file, KernelLimits limits) throws ScenarioException {
        Objects.requireNonNull(file, "file");
        Source source = new Source(file.toString());
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ScenarioException(
                        source.start(),
                        "the file is larger than " + MAX_FILE_BYTES + " bytes",
                        "a scenario of at most " + YamlTree.MAX_CODE_POINTS + " characters");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(source.start(), "cannot read the file: it does not exist", "a readable file");
        } catch (AccessDeniedException e) {
            throw new ScenarioException(source.start(), "cannot read the file: permission denied", "a readable file");
        } catch (IOException | SecurityException e) {
            throw new ScenarioException(
                    source.start(), "cannot read the file: " + YamlTree.clean(e.getMessage()), "a readable file");
        }
        return parse(file.toString(), Utf8Text.decode(source, bytes), limits);
    }

    /** Parses text as the scenario file called fileName (used only in positions and Scenario.file). */
    public static Scenario parse(String fileName, String text) throws ScenarioException {
        return parse(fileName, text, KernelLimits.COMMON);
    }

    /** As {@link #parse(String, String)}, with kernel-dependent ranges per {@code limits}. */
    public static Scenario parse(String fileName, String text, KernelLimits limits) throws ScenarioException {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(text, "text");
        Source source = new Source(fileName);
        try {
            return new ScenarioParser(source, limits).scenario(text);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug here must not crash a caller that reads a user's file; the text says it is ours.
            throw new ScenarioException(
                    source.start(),
                    "internal error in the scenario parser, please report it: " + YamlTree.clean(String.valueOf(e)),
                    "any file; this one exposed a bug");
        }
    }

    private Scenario scenario(String text) throws ScenarioException {
        Node root = YamlTree.compose(source, text);
        if (root == null) {
            throw source.error(source.start(), "the file holds no scenario", TOP_RULE);
        }
        YamlMap top = YamlMap.of(source, root, "the scenario", KEYS, TOP_RULE);
        String name = Scalars.matching(source, top.require("name", "name: " + NAME_RULE), "name", NAME, NAME_RULE);
        String title = top.has("title") ? nonEmpty(top.get("title"), "title") : name;
        String description =
                top.has("description") ? Scalars.text(source, top.get("description"), "description", "text") : "";
        List<String> refs = top.has("refs") ? refs(top.get("refs")) : List.of();
        List<String> kernels = top.has("kernels") ? kernels(top.get("kernels")) : List.of();
        long seed =
                top.has("seed") ? Scalars.integer(source, top.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        top.require("host", "host: {memory: 64G, ...}");
        SwappinessRange swappiness = SwappinessRange.of(limits, kernels);
        HostSpec host = HostParser.parse(source, top.entry("host"), swappiness);
        CgroupInterface iface = CgroupInterface.valueOf(
                Scalars.oneOf(source, top.require("cgroup", "cgroup: v1 | v2"), "cgroup", List.of("v1", "v2"))
                        .toUpperCase(java.util.Locale.ROOT));
        List<CgroupSpec> cgroups = CgroupTreeParser.parse(source, top.get("cgroups"), iface, swappiness);
        Set<String> cgroupPaths = new LinkedHashSet<>();
        cgroups.forEach(cgroup -> cgroupPaths.add(cgroup.path()));
        List<TaskSpec> tasks =
                TaskParser.parse(source, top.require("tasks", "tasks: a map of tasks, or {}"), cgroupPaths);
        Set<String> taskNames = new LinkedHashSet<>();
        tasks.forEach(task -> taskNames.add(task.name()));
        StepParser stepParser = new StepParser(source, iface, taskNames, cgroupPaths, swappiness);
        List<Step> steps = stepParser.parse(top.require("steps", "steps: a list of one or more steps"));
        List<Expectation> expectations = top.has("expect")
                ? new ExpectationParser(
                                source,
                                kernels,
                                steps.size(),
                                stepParser.labels(),
                                cgroupPaths,
                                iface,
                                host.psi().recorded())
                        .parse(top.get("expect"))
                : List.of();
        Scenario scenario = new Scenario(
                source.file(),
                name,
                title,
                description,
                refs,
                kernels,
                seed,
                host,
                iface,
                cgroups,
                tasks,
                steps,
                expectations,
                text);
        return scenario;
    }

    private String nonEmpty(Node node, String what) throws ScenarioException {
        String text = Scalars.text(source, node, what, "non-empty text");
        if (text.isBlank()) {
            throw source.error(node, what + " is blank", "non-empty text");
        }
        return text;
    }

    private List<String> refs(Node node) throws ScenarioException {
        String allowed =
                "a list of references, like [\"docs/QUESTIONS.md §9\", \"golden/incidents/x.log\", \"mm/vmscan.c:shrink_page_list (4.18.0-147)\"]";
        if (!(node instanceof SequenceNode)) {
            throw source.error(node, "refs must be a list, not " + Scalars.kind(node), allowed);
        }
        List<String> refs = new ArrayList<>();
        for (Node item : ((SequenceNode) node).getValue()) {
            refs.add(nonEmpty(item, "a ref"));
        }
        return refs;
    }

    private List<String> kernels(Node node) throws ScenarioException {
        String allowed = "a non-empty list of quoted kernel versions, like [\"3.10\", \"4.18\", \"5.18\"]";
        if (!(node instanceof SequenceNode)) {
            throw source.error(node, "kernels must be a list, not " + Scalars.kind(node), allowed);
        }
        List<Node> items = ((SequenceNode) node).getValue();
        if (items.isEmpty()) {
            throw source.error(node, "kernels is empty; leave it out to run every kernel", allowed);
        }
        List<String> kernels = new ArrayList<>();
        for (Node item : items) {
            String kernel = Scalars.text(source, item, "a kernel", allowed);
            if (Scalars.isUnquotedNumber(item)) {
                throw source.error(
                        item,
                        "the kernel " + kernel + " must be quoted: \"" + kernel
                                + "\" (YAML reads it as a number, and 3.10 as 3.1)",
                        allowed);
            }
            if (!KERNEL.matcher(kernel).matches()) {
                throw source.error(
                        item, "the kernel " + Scalars.show(kernel) + " is not a version like \"4.18\"", allowed);
            }
            if (kernels.contains(kernel)) {
                throw source.error(item, "the kernel " + kernel + " is listed twice", allowed);
            }
            kernels.add(kernel);
        }
        return kernels;
    }
}
