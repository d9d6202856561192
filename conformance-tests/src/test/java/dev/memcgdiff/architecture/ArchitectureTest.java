package dev.memcgdiff.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.run.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of ArchitectureRules over the project's production classes (tests excluded). */
class ArchitectureTest {
    static final String[] SHARED_MODEL = {
        "dev.memcgdiff.scenario..",
        "dev.memcgdiff.mm..",
        "dev.memcgdiff.kernel..",
        "dev.memcgdiff.run..",
        "dev.memcgdiff.outcome..",
        "dev.memcgdiff.golden..",
        "dev.memcgdiff.expect.."
    };
    static final String[] VERSIONS = {"dev.memcgdiff.linux310..", "dev.memcgdiff.linux418..", "dev.memcgdiff.linux518.."
    };
    static final String[] BUILT_ON_TOP = {
        "dev.memcgdiff.reports..", "dev.memcgdiff.cli..", "dev.memcgdiff.conformance..", "dev.memcgdiff.bench.."
    };

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // test-jars: shared-model's test fixtures
            .importPackages("dev.memcgdiff");

    static String[] modelPackages() {
        return Stream.concat(Arrays.stream(SHARED_MODEL), Arrays.stream(VERSIONS))
                .toArray(String[]::new);
    }

    static Stream<String> versions() {
        return Arrays.stream(VERSIONS);
    }

    @Test
    void theImportSeesTheModelAndNoTestClass() {
        assertThat(PRODUCTION.contain("dev.memcgdiff.mm.Machine")).isTrue();
        assertThat(PRODUCTION.contain("dev.memcgdiff.linux418.Linux418")).isTrue();
        assertThat(PRODUCTION.contain(ArchitectureTest.class)).isFalse();
        assertThat(PRODUCTION.contain("dev.memcgdiff.testing.ScenarioHarness"))
                .as("shared-model's test-jar")
                .isFalse();
    }

    @Test
    void everyRegisteredKernelLivesInAVersionModuleTheseRulesGuard() {
        List<Kernel> kernels = Kernels.all();
        assertThat(kernels).isNotEmpty();
        for (Kernel k : kernels) {
            String pkg = k.getClass().getPackageName();
            assertThat(Arrays.stream(VERSIONS).map(v -> v.substring(0, v.length() - 2)))
                    .as(
                            "linux %s (%s) must be one of the guarded version packages",
                            k.version(), k.getClass().getName())
                    .contains(pkg);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aVersionModuleDependsOnlyOnTheSharedModel(String version) {
        ArchitectureRules.versionModuleDependsOnlyOn(version, SHARED_MODEL).check(PRODUCTION);
    }

    @Test
    void theSharedModelDependsOnNoVersionReportsOrCli() {
        String[] forbidden = Stream.concat(Arrays.stream(VERSIONS), Arrays.stream(BUILT_ON_TOP))
                .toArray(String[]::new);
        ArchitectureRules.sharedModelDependsOnNoneOf(SHARED_MODEL, forbidden).check(PRODUCTION);
    }

    @Test
    void modelCodeHasNoUnseededRandomness() {
        ArchitectureRules.noUnseededRandomness(modelPackages()).check(PRODUCTION);
    }

    @Test
    void modelCodeNeverReadsTheWallClock() {
        ArchitectureRules.noWallClock(modelPackages()).check(PRODUCTION);
    }

    @Test
    void splittableRandomOnlyInTheRunner() {
        ArchitectureRules.splittableRandomOnlyIn("dev.memcgdiff.run", "dev.memcgdiff..")
                .check(PRODUCTION);
    }
}
