package dev.memcgdiff.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.memcgdiff.architecture.fixture.model.Clean;
import dev.memcgdiff.architecture.fixture.model.HoldsAClock;
import dev.memcgdiff.architecture.fixture.model.NewDate;
import dev.memcgdiff.architecture.fixture.model.ReadsCurrentTimeMillis;
import dev.memcgdiff.architecture.fixture.model.ReadsInstantNow;
import dev.memcgdiff.architecture.fixture.model.ReadsLocalDateTimeNow;
import dev.memcgdiff.architecture.fixture.model.ReadsNanoTime;
import dev.memcgdiff.architecture.fixture.model.UsesMathRandom;
import dev.memcgdiff.architecture.fixture.model.UsesRandom;
import dev.memcgdiff.architecture.fixture.model.UsesSecureRandom;
import dev.memcgdiff.architecture.fixture.model.UsesSplittableRandom;
import dev.memcgdiff.architecture.fixture.model.UsesThreadLocalRandom;
import dev.memcgdiff.architecture.fixture.run.SeededRunner;
import dev.memcgdiff.architecture.fixture.shared.KnowsAVersion;
import dev.memcgdiff.architecture.fixture.shared.Mechanism;
import dev.memcgdiff.architecture.fixture.version1.UsesALibrary;
import dev.memcgdiff.architecture.fixture.version1.UsesOtherVersion;
import dev.memcgdiff.architecture.fixture.version1.UsesShared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule in ArchitectureRules fails on a fixture that breaks it, and passes on one that does
 * not: a rule that cannot fail guards nothing. The fixtures live in
 * dev.memcgdiff.architecture.fixture, a test package the production import never sees.
 */
class ArchitectureRulesFailTest {
    private static final String FIXTURE = "dev.memcgdiff.architecture.fixture.";
    private static final String[] MODEL = {FIXTURE + "model..", FIXTURE + "run.."};
    private static final String[] SHARED = {FIXTURE + "shared.."};
    private static final String[] VERSIONS = {FIXTURE + "version1..", FIXTURE + "version2.."};

    private static JavaClasses only(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    private static void fails(ArchRule rule, Class<?> violator) {
        assertThatThrownBy(() -> rule.check(only(violator)))
                .as("%s must fail on %s", rule.getDescription(), violator.getSimpleName())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(violator.getName());
    }

    private static void passes(ArchRule rule, Class<?>... clean) {
        assertThatCode(() -> rule.check(only(clean))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            classes = {UsesRandom.class, UsesSecureRandom.class, UsesThreadLocalRandom.class, UsesMathRandom.class})
    void unseededRandomnessIsCaught(Class<?> violator) {
        fails(ArchitectureRules.noUnseededRandomness(MODEL), violator);
    }

    @Test
    void theSeededSourceAndPlainCodePassTheRandomnessRule() {
        passes(
                ArchitectureRules.noUnseededRandomness(MODEL),
                Clean.class,
                SeededRunner.class,
                UsesSplittableRandom.class);
    }

    @ParameterizedTest
    @ValueSource(
            classes = {
                ReadsCurrentTimeMillis.class,
                ReadsNanoTime.class,
                ReadsInstantNow.class,
                ReadsLocalDateTimeNow.class,
                HoldsAClock.class,
                NewDate.class
            })
    void wallClockReadsAreCaught(Class<?> violator) {
        fails(ArchitectureRules.noWallClock(MODEL), violator);
    }

    @Test
    void fixedInstantsPassTheClockRule() {
        passes(ArchitectureRules.noWallClock(MODEL), Clean.class);
    }

    @Test
    void splittableRandomOutsideTheRunnerIsCaught() {
        ArchRule rule =
                ArchitectureRules.splittableRandomOnlyIn(FIXTURE + "run", "dev.memcgdiff.architecture.fixture..");
        fails(rule, UsesSplittableRandom.class);
        passes(rule, SeededRunner.class, Clean.class);
    }

    @Test
    void aVersionUsingAnotherVersionIsCaught() {
        fails(ArchitectureRules.versionModuleDependsOnlyOn(FIXTURE + "version1..", SHARED), UsesOtherVersion.class);
    }

    @Test
    void aVersionUsingALibraryIsCaught() {
        fails(ArchitectureRules.versionModuleDependsOnlyOn(FIXTURE + "version1..", SHARED), UsesALibrary.class);
    }

    @Test
    void aVersionUsingTheSharedModelAndTheJdkPasses() {
        passes(ArchitectureRules.versionModuleDependsOnlyOn(FIXTURE + "version1..", SHARED), UsesShared.class);
    }

    @Test
    void theSharedModelKnowingAVersionIsCaught() {
        fails(ArchitectureRules.sharedModelDependsOnNoneOf(SHARED, VERSIONS), KnowsAVersion.class);
        passes(ArchitectureRules.sharedModelDependsOnNoneOf(SHARED, VERSIONS), Mechanism.class);
    }
}
