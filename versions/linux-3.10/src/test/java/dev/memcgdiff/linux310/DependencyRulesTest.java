package dev.memcgdiff.linux310;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static dev.memcgdiff.testing.ClassCycles.noCyclesBetweenClassesOf;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A version module sees the shared model and the JDK, nothing else: no other kernel, no runner.
 * Inside it, the classes are built in dependency order: no class needs, directly or through
 * others, a class that needs it back, and a collaborator is held in a final field.
 */
class DependencyRulesTest {
    private static final String PACKAGE = "dev.memcgdiff.linux310";
    private static final String CYCLIC_FIXTURE = "dev.memcgdiff.linux310.cyclefixture";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PACKAGE);

    @Test
    @DisplayName("linux-3.10 depends on shared-model's kernel, mm, outcome and scenario packages and java only")
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
    @DisplayName("no cycles between the classes of dev.memcgdiff.linux310 (a nested class counts as its outer class)")
    void noCyclesBetweenClasses() {
        noCyclesBetweenClassesOf(PACKAGE).check(MAIN);
    }

    @Test
    @DisplayName("the no-cycle rule fails on a deliberately cyclic pair of classes")
    void noCycleRuleCatchesACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages(CYCLIC_FIXTURE);
        assertThatThrownBy(() -> noCyclesBetweenClassesOf(CYCLIC_FIXTURE).check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("Charge")
                .hasMessageContaining("Reclaim");
    }

    @Test
    @DisplayName("a field holding a collaborator of this package is final (no wire(...) setters)")
    void collaboratorsAreFinal() {
        collaboratorFieldsAreFinal(PACKAGE).check(MAIN);
    }

    @Test
    @DisplayName("the final-collaborator rule fails on the fixture's wired field")
    void finalRuleCatchesAWiredField() {
        JavaClasses fixture = new ClassFileImporter().importPackages(CYCLIC_FIXTURE);
        assertThatThrownBy(() -> collaboratorFieldsAreFinal(CYCLIC_FIXTURE).check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Reclaim.charge");
    }

    static ArchRule collaboratorFieldsAreFinal(String pkg) {
        return fields().that()
                .areDeclaredInClassesThat()
                .resideInAPackage(pkg)
                .and()
                .haveRawType(JavaClass.Predicates.resideInAPackage(pkg))
                .should()
                .beFinal();
    }
}
