package dev.memcgdiff.linux518;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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
        noCycleBetweenClassesOf(PACKAGE).check(MAIN);
    }

    @Test
    @DisplayName("the no-cycle rule fails on a deliberately cyclic pair (cyclefixture: Hen and Egg)")
    void noCycleRuleCatchesACycle() {
        String fixture = PACKAGE + ".cyclefixture";
        JavaClasses classes = new ClassFileImporter().importPackages(fixture);
        assertThat(classes.contain(fixture + ".Hen")).isTrue();
        assertThatThrownBy(() -> noCycleBetweenClassesOf(fixture).check(classes))
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
        noCycleBetweenClassesOf(fixture).check(classes);
    }

    /**
     * Every top-level class of {@code pkg} (exactly that package, with its nested, anonymous and
     * synthetic classes) is one slice; the slices must be free of cycles. ArchUnit sees every
     * dependency in the bytecode: constructor and method parameters, fields, calls, static members.
     */
    static ArchRule noCycleBetweenClassesOf(String pkg) {
        return slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass c) {
                        if (!c.getPackageName().equals(pkg)) {
                            return SliceIdentifier.ignore();
                        }
                        String simple = c.getName().substring(pkg.length() + 1);
                        int nested = simple.indexOf('$');
                        return SliceIdentifier.of(nested < 0 ? simple : simple.substring(0, nested));
                    }

                    @Override
                    public String getDescription() {
                        return "the top-level classes of " + pkg;
                    }
                })
                .should()
                .beFreeOfCycles();
    }
}
