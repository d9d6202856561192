package dev.memcgdiff.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The cgroup files a scenario may write, per interface, and the values each accepts. This is the
 * union over the modelled kernels: whether one kernel has a file is that kernel's business
 * (an unsupported outcome), not a format error.
 */
final class KnobRules {
    private enum Kind {
        LIMIT,
        NUMBER
    }

    private record Rule(CgroupInterface iface, Kind kind, long min, long max) {
        String allowed() {
            if (kind == Kind.NUMBER) {
                return min == 0 && max == 1 ? "0 or 1" : "a whole number " + min + ".." + max;
            }
            return "a size (" + SizeParser.SYNTAX + "), or max" + (iface == CgroupInterface.V1 ? " or -1" : "");
        }
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    /** memory.swappiness: its range depends on the kernels ({@link SwappinessRange}). */
    private static final String SWAPPINESS = "memory.swappiness";

    static {
        limit("memory.limit_in_bytes", CgroupInterface.V1);
        limit("memory.memsw.limit_in_bytes", CgroupInterface.V1);
        limit("memory.soft_limit_in_bytes", CgroupInterface.V1);
        limit("memory.kmem.limit_in_bytes", CgroupInterface.V1);
        number(SWAPPINESS, CgroupInterface.V1, 0, KernelLimits.ANY_SWAPPINESS_MAX);
        number("memory.use_hierarchy", CgroupInterface.V1, 0, 1);
        number("memory.oom_control", CgroupInterface.V1, 0, 1);
        number("memory.move_charge_at_immigrate", CgroupInterface.V1, 0, 3);
        limit("memory.max", CgroupInterface.V2);
        limit("memory.high", CgroupInterface.V2);
        limit("memory.low", CgroupInterface.V2);
        limit("memory.min", CgroupInterface.V2);
        limit("memory.swap.max", CgroupInterface.V2);
        limit("memory.swap.high", CgroupInterface.V2);
        number("memory.oom.group", CgroupInterface.V2, 0, 1);
    }

    private KnobRules() {}

    private static void limit(String name, CgroupInterface iface) {
        RULES.put(name, new Rule(iface, Kind.LIMIT, 0, SizeParser.LIMIT));
    }

    private static void number(String name, CgroupInterface iface, long min, long max) {
        RULES.put(name, new Rule(iface, Kind.NUMBER, min, max));
    }

    static List<String> names(CgroupInterface iface) {
        List<String> names = new ArrayList<>();
        RULES.forEach((name, rule) -> {
            if (rule.iface() == iface) {
                names.add(name);
            }
        });
        return names;
    }

    static String describe(CgroupInterface iface) {
        return "cgroup " + iface.text() + " knobs: " + String.join(", ", names(iface));
    }

    /**
     * The knob written as name: value. Sizes keep the exact bytes written: each kernel module
     * rounds a written limit to pages as its page_counter_memparse does (all three modelled kernels
     * round down), so the parser does not round.
     */
    static Knob parse(
            Source source, CgroupInterface iface, Node keyNode, String name, Node valueNode, SwappinessRange swappiness)
            throws ScenarioException {
        Rule rule = RULES.get(name);
        if (rule == null) {
            throw source.error(keyNode, "unknown knob " + Scalars.show(name), describe(iface));
        }
        if (rule.iface() != iface) {
            throw source.error(
                    keyNode,
                    name + " is a cgroup " + rule.iface().text() + " file; this scenario is cgroup: " + iface.text(),
                    describe(iface));
        }
        String text = Scalars.text(source, valueNode, name, rule.allowed());
        SourcePos pos = source.at(keyNode);
        if (name.equals(SWAPPINESS)) {
            return new Knob(name, text, swappiness.parse(source, valueNode, name), pos);
        }
        if (rule.kind() == Kind.NUMBER) {
            return new Knob(name, text, Scalars.integer(source, valueNode, name, rule.min(), rule.max()), pos);
        }
        if (text.equals("max") || (iface == CgroupInterface.V1 && text.equals("-1"))) {
            return new Knob(name, text, Sizes.MAX, pos);
        }
        SizeParser.Parsed parsed = SizeParser.parse(text);
        if (!parsed.ok()) {
            throw source.error(valueNode, name + ": " + parsed.problem(), rule.allowed());
        }
        return new Knob(name, text, parsed.bytes(), pos);
    }
}
