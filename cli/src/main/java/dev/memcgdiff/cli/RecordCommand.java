package dev.memcgdiff.cli;

import dev.memcgdiff.expect.ExpectationChecker;
import dev.memcgdiff.expect.ExpectationResult;
import dev.memcgdiff.golden.GoldenStore;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memcg-diff record}: runs each scenario on every registered kernel it allows and writes
 * golden/outcomes/NAME/KERNEL.golden next to the golden/scenarios/ directory that holds it. Every
 * scenario runs before the first file is written, so a model failure writes nothing; each file is
 * replaced atomically by GoldenStore, and nothing is ever deleted.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = {
            "Record golden outcomes: run each scenario on every kernel it allows and write "
                    + "golden/outcomes/NAME/KERNEL.golden.",
            "Each FILE must be in a golden/scenarios/ directory; prints every file created, changed or unchanged, "
                    + "with the lines added and removed, and warns on stderr of every expectation the recorded outcome "
                    + "fails. Never deletes."
        },
        footer = {
            "",
            "A golden file records what the model did: it is written even when an expectation fails, and the "
                    + "command then says so and exits 3.",
            "",
            MemcgDiff.EXIT_CODES
        })
final class RecordCommand implements Callable<Integer> {
    private final List<Kernel> registered;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files in golden/scenarios/.")
    private List<Path> files;

    RecordCommand(List<Kernel> registered) {
        this.registered = List.copyOf(registered);
    }

    /** One golden file to write. */
    private record Recording(GoldenStore store, String scenario, String kernel, String text) {}

    @Override
    public Integer call() {
        KernelChoice choice = new KernelChoice(registered);
        List<Scenario> scenarios = ScenarioFiles.parseAll(files);
        List<GoldenStore> stores = stores(scenarios);
        List<List<Kernel>> perScenario = choice.perScenario(scenarios, choice.registered(), false);
        HeapBudget.refuseOversized(scenarios);

        List<Recording> recordings = new ArrayList<>();
        List<String> failedExpectations = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Scenario s = scenarios.get(i);
            for (Outcome o : ModelRun.outcomes(s, perScenario.get(i))) {
                recordings.add(new Recording(stores.get(i), s.name(), o.kernel(), GoldenText.render(o)));
                ExpectationChecker.check(s, o).stream()
                        .filter(ExpectationResult::failed)
                        .forEach(r -> failedExpectations.add(r.message()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Recording r : recordings) {
            try {
                out.print(r.store().write(r.scenario(), r.kernel(), r.text()).summary() + "\n");
            } catch (IOException | RuntimeException e) {
                out.flush();
                throw new InternalFailure("cannot write " + r.store().outcomeFile(r.scenario(), r.kernel()) + ": "
                        + InternalFailure.describe(e));
            }
        }
        out.flush();
        // A golden file only records what the model did; a failed hand-written expectation says the
        // recording disagrees with the kernel source or the incident, so the user must see it.
        failedExpectations.forEach(m -> err.print("memcg-diff: warning: " + m + "; recorded anyway\n"));
        if (!failedExpectations.isEmpty()) {
            err.print("memcg-diff: " + failedExpectations.size()
                    + (failedExpectations.size() == 1 ? " expectation fails" : " expectations fail")
                    + " on the recorded outcomes: the golden files are written (they record behaviour), exit status "
                    + MemcgDiff.EXPECTATION_FAILED + "\n");
        }
        err.flush();
        return failedExpectations.isEmpty() ? MemcgDiff.OK : MemcgDiff.EXPECTATION_FAILED;
    }

    /**
     * The golden store of each scenario: the golden/ directory whose scenarios/ holds the file.
     * A file elsewhere, or two files of the same name in one store, is bad input.
     */
    private static List<GoldenStore> stores(List<Scenario> scenarios) {
        List<GoldenStore> stores = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Path, String> firstFileOf = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            Path file = Path.of(s.file()).toAbsolutePath().normalize();
            Optional<GoldenStore> store = GoldenStore.find(file.getParent())
                    .filter(g -> g.scenarioDir().equals(file.getParent()));
            if (store.isEmpty()) {
                errors.add(
                        s.file() + ": not in a golden/scenarios/ directory, so there is no golden/outcomes/ to "
                                + "record into (move the file to golden/scenarios/, or use 'memcg-diff run' to only see outcomes)");
                stores.add(null);
                continue;
            }
            Path outcomes = store.get().outcomeDir().resolve(s.name());
            String earlier = firstFileOf.putIfAbsent(outcomes, s.file());
            if (earlier != null) {
                errors.add(s.file() + ": scenario " + s.name() + " is also the name in " + earlier
                        + "; both would record into " + outcomes);
            }
            stores.add(store.get());
        }
        if (!errors.isEmpty()) {
            throw new BadInput(errors);
        }
        return stores;
    }
}
