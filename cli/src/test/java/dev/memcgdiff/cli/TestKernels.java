package dev.memcgdiff.cli;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.Scenario;
import java.util.Optional;

/**
 * Kernel doubles for testing the command itself (columns, difference marks, error paths) without
 * depending on which version modules are complete: a kernel that refuses every scenario, a real
 * kernel under another version name, and one whose boot fails.
 */
final class TestKernels {
    private TestKernels() {}

    static final String REFUSAL = "refuses every scenario (a test double)";

    static Kernel refusing(String version) {
        return new Kernel() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public String release() {
                return version + ".0-test";
            }

            @Override
            public KernelTraits traits() {
                throw new AssertionError("a refusing kernel has no traits");
            }

            @Override
            public Optional<String> unsupported(Scenario scenario) {
                return Optional.of(REFUSAL);
            }

            @Override
            public KernelOps boot(Machine machine) {
                throw new AssertionError("a refused scenario must not boot");
            }
        };
    }

    /** The same behaviour as {@code real}, reported as another version: every row must compare equal. */
    static Kernel renamed(Kernel real, String version) {
        return new Kernel() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public String release() {
                return real.release();
            }

            @Override
            public KernelTraits traits() {
                return real.traits();
            }

            @Override
            public Optional<String> unsupported(Scenario scenario) {
                return real.unsupported(scenario);
            }

            @Override
            public KernelOps boot(Machine machine) {
                return real.boot(machine);
            }
        };
    }

    static Kernel failingBoot(String version) {
        return new Kernel() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public String release() {
                return version + ".0-broken";
            }

            @Override
            public KernelTraits traits() {
                throw new IllegalStateException("boot failed on purpose");
            }

            @Override
            public Optional<String> unsupported(Scenario scenario) {
                return Optional.empty();
            }

            @Override
            public KernelOps boot(Machine machine) {
                throw new IllegalStateException("boot failed on purpose\nsecond line");
            }
        };
    }
}
