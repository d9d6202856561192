package dev.memcgdiff.conformance;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Kernels;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every (scenario, kernel) outcome, computed once per JVM: in the suites' JVM the golden suite, the
 * corpus suite and the predicted differences read them from here; the report step that writes the
 * differences pages, in a JVM of its own, computes them again. A scenario's kernels run side by
 * side on {@link Settings#threads()} threads; each run is independent, so the outcomes are the same
 * bytes whatever the thread count. The runs are sampled over time for the report's charts
 * ({@code Runner.runSampled}), which changes nothing else in the outcome.
 */
final class Outcomes {
    /** One kernel's run: its outcome, or what the kernel model threw. */
    record Run(String kernel, Outcome outcome, Throwable failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private static final Map<String, Map<String, Run>> CACHE = new ConcurrentHashMap<>();

    private Outcomes() {}

    /** The kernels found on the class path that run this scenario, oldest first. */
    static List<Kernel> kernels(Scenario s) {
        return Kernels.all().stream().filter(k -> s.runsOn(k.version())).toList();
    }

    /** The scenario's runs by kernel version, oldest kernel first. */
    static Map<String, Run> of(Scenario s) {
        return CACHE.computeIfAbsent(s.file() + "\n" + s.name(), key -> runAll(s));
    }

    /** The outcomes of the kernels that ran without an exception, oldest kernel first. */
    static List<Outcome> successful(Scenario s) {
        return of(s).values().stream().filter(Run::ok).map(Run::outcome).toList();
    }

    private static Map<String, Run> runAll(Scenario s) {
        List<Kernel> kernels = kernels(s);
        Map<String, Run> out = new LinkedHashMap<>();
        if (kernels.isEmpty()) {
            return Collections.unmodifiableMap(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(Settings.threads(), kernels.size()), r -> {
            Thread t = new Thread(r, "scenario-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Kernel k : kernels) {
                // sampled over time: the report's charts ask for it; the outcome is the same
                futures.add(pool.submit(() -> Runner.runSampled(s, k)));
            }
            for (int i = 0; i < kernels.size(); i++) {
                out.put(kernels.get(i).version(), await(kernels.get(i).version(), futures.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        return Collections.unmodifiableMap(out);
    }

    private static Run await(String kernel, Future<Outcome> f) {
        try {
            return new Run(kernel, f.get(), null);
        } catch (ExecutionException e) {
            return new Run(kernel, null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(kernel, null, e);
        }
    }
}
