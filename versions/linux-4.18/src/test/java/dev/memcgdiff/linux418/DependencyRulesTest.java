package dev.memcgdiff.linux418;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static dev.memcgdiff.testing.ClassCycles.noCyclesBetweenClassesOf;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A version module sees the shared model and the JDK, nothing else: no other kernel, no runner.
 * Within the module, no two classes need each other: the kernel's classes are built in dependency
 * order, each taking only what was built before it.
 */
class DependencyRulesTest {
    private static final String PACKAGE = "dev.memcgdiff.linux418";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PACKAGE);

    @Test
    @DisplayName("linux-4.18 depends on shared-model's kernel, mm, outcome and scenario packages and java only")
    void dependsOnSharedModelOnly() {
        classes()
                .that()
                .resideInAPackage(PACKAGE)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        PACKAGE,
                        "java..",
                        "dev.memcgdiff.kernel..",
                        "dev.memcgdiff.mm..",
                        "dev.memcgdiff.outcome..",
                        "dev.memcgdiff.scenario..")
                .check(MAIN);
    }

    @Test
    @DisplayName(
            "no cycles between the classes of dev.memcgdiff.linux418 (a nested class counts as its top-level class)")
    void noCyclesBetweenClasses() {
        noCyclesBetweenClassesOf(PACKAGE).check(MAIN);
    }

    @Test
    @DisplayName(
            "the class cycle rule fails on a deliberately cyclic pair and passes the same pair without the back edge")
    void cycleRuleCanFail() {
        String cyclic = "dev.memcgdiff.linux418.fixture.cyclic";
        String acyclic = "dev.memcgdiff.linux418.fixture.acyclic";
        assertThatThrownBy(() -> noCyclesBetweenClassesOf(cyclic).check(new ClassFileImporter().importPackages(cyclic)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("Charger")
                .hasMessageContaining("Reclaimer");
        noCyclesBetweenClassesOf(acyclic).check(new ClassFileImporter().importPackages(acyclic));
    }
}
