package dev.memcgdiff.scenario;

import java.util.List;

/**
 * The value ranges that differ by kernel, for the parser to check a scenario against every
 * kernel it runs on. The parser's own rules accept the union over the modelled kernels; a value
 * only some kernels accept is an error unless the scenario's {@code kernels:} leave the others out.
 */
public interface KernelLimits {
    /** The kernels a scenario without {@code kernels:} runs on. */
    List<String> versions();

    /** The largest vm.swappiness / memory.swappiness the kernel accepts (100; 200 from 5.8). */
    int swappinessMax(String version);

    /** Without the kernel modules: every kernel is taken to accept only what all of them accept. */
    KernelLimits COMMON = new KernelLimits() {
        @Override
        public List<String> versions() {
            return List.of();
        }

        @Override
        public int swappinessMax(String version) {
            return COMMON_SWAPPINESS_MAX;
        }
    };

    /** The swappiness range every modelled kernel accepts: 0..100. */
    int COMMON_SWAPPINESS_MAX = 100;

    /** The widest swappiness range of any modelled kernel (5.8+: 0..200); the parser's own bound. */
    int ANY_SWAPPINESS_MAX = 200;
}
