package dev.memcgdiff.linux518;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static dev.memcgdiff.testing.ClassCycles.noCyclesBetweenClassesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A version module sees the shared model and the JDK, nothing else; and its classes form no
 * cycle: each is built from classes built before it (Linux518.build), so none needs another back.
 */
class DependencyRulesTest {
    private static final String PACKAGE = "dev.memcgdiff.linux518";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PACKAGE);

    @Test
    @DisplayName("linux-5.18 depends on shared-model's kernel, mm, outcome and scenario packages and java only")
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
    @DisplayName("no cycle between the classes of dev.memcgdiff.linux518 (nested classes count as their outer class)")
    void noCycleBetweenClasses() {
        assertThat(MAIN.contain(Memcontrol.class)).isTrue();
        noCyclesBetweenClassesOf(PACKAGE).check(MAIN);
    }

    @Test
    @DisplayName("the no-cycle rule fails on a deliberately cyclic pair (cyclefixture: Hen and Egg)")
    void noCycleRuleCatchesACycle() {
        String fixture = PACKAGE + ".cyclefixture";
        JavaClasses classes = new ClassFileImporter().importPackages(fixture);
        assertThat(classes.contain(fixture + ".Hen")).isTrue();
        assertThatThrownBy(() -> noCyclesBetweenClassesOf(fixture).check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Hen")
                .hasMessageContaining("Egg");
    }

    @Test
    @DisplayName("the no-cycle rule passes an acyclic chain with a nested type (acyclicfixture: Top, Root, Root.Kind)")
    void noCycleRulePassesAChain() {
        String fixture = PACKAGE + ".acyclicfixture";
        JavaClasses classes = new ClassFileImporter().importPackages(fixture);
        assertThat(classes.contain(fixture + ".Top")).isTrue();
        noCyclesBetweenClassesOf(fixture).check(classes);
    }
}
