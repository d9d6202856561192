package dev.memcgdiff.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One broken file and the error it must give: where (line, column), a fragment of what is wrong,
 * and a fragment of what is allowed there. Builds the files from a small valid scenario so each
 * case shows only what it breaks.
 */
record ScenarioErrorCase(String yaml, int line, int column, String problem, String allowed) {
    static final String FILE = "case.yaml";

    /** Lines 1-10 of every steps/expect case: a v1 scenario with cgroups /a, /a/b and tasks app, other. */
    static final List<String> HEAD = List.of(
            "name: t",
            "host: {memory: 1G}",
            "cgroup: v1",
            "cgroups:",
            "  /a: {memory.limit_in_bytes: 512M}",
            "  /a/b: {}",
            "tasks:",
            "  app: {cgroup: /a/b}",
            "  other: {cgroup: /a}",
            "steps:");

    static String doc(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** HEAD, then these lines from line 11. */
    static String steps(String... lines) {
        List<String> all = new ArrayList<>(HEAD);
        all.addAll(Arrays.asList(lines));
        return doc(all.toArray(String[]::new));
    }

    /** HEAD, an anon step (line 11), a snapshot s1 (line 12), "expect:" (line 13), then these lines from 14. */
    static String expect(String... lines) {
        List<String> all = new ArrayList<>(HEAD);
        all.add("  - anon: {task: app, size: 4M}");
        all.add("  - snapshot: s1");
        all.add("expect:");
        all.addAll(Arrays.asList(lines));
        return doc(all.toArray(String[]::new));
    }

    static Arguments of(String name, String yaml, int line, int column, String problem, String allowed) {
        return Arguments.of(Named.of(name, new ScenarioErrorCase(yaml, line, column, problem, allowed)));
    }

    /** The line an error points into, with a caret under the column, for failure messages. */
    private String pointAt(SourcePos pos) {
        String[] lines = yaml.split("\n", -1);
        if (pos.line() > lines.length) {
            return "(past the end)";
        }
        String text = lines[pos.line() - 1];
        return (text.length() > 120 ? text.substring(0, 120) : text) + "\n" + " ".repeat(pos.column() - 1) + "^";
    }

    void check() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioParser.parse(FILE, yaml));
        assertThat(e).as("refused:%n%s", yaml).isNotNull();
        assertThat(e.pos()).as("%s%n%s", e.getMessage(), pointAt(e.pos())).isEqualTo(new SourcePos(FILE, line, column));
        assertThat(e.problem()).as(e.getMessage()).contains(problem);
        assertThat(e.allowed()).as(e.getMessage()).isNotBlank().contains(allowed);
        assertThat(e.getMessage())
                .isEqualTo(FILE + ":" + line + ":" + column + ": " + e.problem() + " (allowed: " + e.allowed() + ")");
        assertThat(e.problem()).doesNotStartWith("internal error");
    }
}
