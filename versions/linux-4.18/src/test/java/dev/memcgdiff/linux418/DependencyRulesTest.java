package dev.memcgdiff.linux418;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A version module sees the shared model and the JDK, nothing else: no other kernel, no runner. */
class DependencyRulesTest {

    @Test
    @DisplayName("linux-4.18 depends on shared-model's kernel, mm, outcome and scenario packages and java only")
    void dependsOnSharedModelOnly() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.memcgdiff.linux418");
        classes().that().resideInAPackage("dev.memcgdiff.linux418")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.memcgdiff.linux418", "java..",
                "dev.memcgdiff.kernel..", "dev.memcgdiff.mm..", "dev.memcgdiff.outcome..", "dev.memcgdiff.scenario..")
            .check(main);
    }
}
