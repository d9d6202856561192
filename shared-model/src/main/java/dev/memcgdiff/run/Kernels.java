package dev.memcgdiff.run;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.scenario.KernelLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every kernel module on the class path, found with ServiceLoader, oldest version first. */
public final class Kernels {
    private Kernels() {}

    public static List<Kernel> all() {
        List<Kernel> list = new ArrayList<>();
        ServiceLoader.load(Kernel.class).forEach(list::add);
        list.sort(Comparator.comparing(Kernels::versionKey));
        return List.copyOf(list);
    }

    /** The kernel-dependent value ranges of the kernels on the class path, for the scenario parser. */
    public static KernelLimits limits() {
        List<Kernel> kernels = all();
        List<String> versions = kernels.stream().map(Kernel::version).toList();
        return new KernelLimits() {
            @Override
            public List<String> versions() {
                return versions;
            }

            @Override
            public int swappinessMax(String version) {
                return kernels.stream()
                        .filter(k -> k.version().equals(version))
                        .findFirst()
                        .map(k -> k.traits().swappinessMax())
                        .orElse(KernelLimits.COMMON_SWAPPINESS_MAX);
            }
        };
    }

    public static Optional<Kernel> byVersion(String version) {
        return all().stream().filter(k -> k.version().equals(version)).findFirst();
    }

    /** Sort "3.10" before "4.18" before "5.18" (numerically, not as text). */
    static long versionKey(Kernel k) {
        String[] parts = k.version().split("\\.");
        long key = 0;
        for (String p : parts) {
            key = key * 1000 + Long.parseLong(p);
        }
        return key;
    }
}
