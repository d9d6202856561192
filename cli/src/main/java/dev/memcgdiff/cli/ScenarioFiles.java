package dev.memcgdiff.cli;

import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.scenario.KernelLimits;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses every file a command was given before anything runs, so one bad file stops them all. */
final class ScenarioFiles {
    private ScenarioFiles() {}

    /** One file: its scenario, or the parser's "path:line:column: what (allowed: ...)" message. */
    record Parsed(Path file, Scenario scenario, String error) {
        boolean ok() {
            return error == null;
        }
    }

    static List<Parsed> parseEach(List<Path> files) {
        List<Parsed> out = new ArrayList<>();
        KernelLimits limits = Kernels.limits();
        for (Path f : files) {
            try {
                out.add(new Parsed(f, ScenarioParser.parse(f, limits), null));
            } catch (ScenarioException e) {
                out.add(new Parsed(f, null, e.getMessage()));
            }
        }
        return out;
    }

    /** Every scenario, in the order given, or a BadInput carrying the error of each invalid file. */
    static List<Scenario> parseAll(List<Path> files) {
        List<Parsed> parsed = parseEach(files);
        List<String> errors =
                parsed.stream().filter(p -> !p.ok()).map(Parsed::error).toList();
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return parsed.stream().map(Parsed::scenario).toList();
    }
}
