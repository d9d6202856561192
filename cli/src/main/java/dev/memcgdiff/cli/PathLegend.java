package dev.memcgdiff.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long cgroup paths abbreviated for the text table: each path longer than {@link #MAX} characters
 * becomes {@code [1]}, {@code [2]}, ... in the scenario's declaration order, and the legend at the
 * top of the table gives the full path of each. Only whole paths are replaced (a row's cgroup, a
 * value such as an oom memcg, a token of an expectation), never part of a word.
 */
final class PathLegend {
    static final int MAX = 32;

    private final Map<String, String> aliases = new LinkedHashMap<>();

    PathLegend(List<String> cgroupPaths) {
        for (String p : cgroupPaths) {
            if (p.length() > MAX && !aliases.containsKey(p)) {
                aliases.put(p, "[" + (aliases.size() + 1) + "]");
            }
        }
    }

    boolean isEmpty() {
        return aliases.isEmpty();
    }

    /** The alias of a whole path, or the path itself. */
    String path(String p) {
        return aliases.getOrDefault(p, p);
    }

    /** A text with every whitespace-separated token that is an abbreviated path replaced. */
    String text(String t) {
        if (aliases.isEmpty()) {
            return t;
        }
        String[] parts = t.split(" ", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = path(parts[i]);
        }
        return String.join(" ", parts);
    }

    /** "cgroups: [1] /full/path", then one line per further alias; empty without aliases. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        String head = "cgroups: ";
        for (Map.Entry<String, String> e : aliases.entrySet()) {
            out.add((out.isEmpty() ? head : " ".repeat(head.length())) + e.getValue() + " " + e.getKey());
        }
        return out;
    }
}
