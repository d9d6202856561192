package dev.memcgdiff.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The project's architecture rules, built from package patterns so that the same rule that guards
 * the real code can be run against deliberately broken fixtures (ArchitectureRulesFailTest) and
 * shown to fail.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    /** A version module uses only the shared model, the JDK and itself. */
    static ArchRule versionModuleDependsOnlyOn(String versionPackage, String... sharedPackages) {
        List<String> allowed = new ArrayList<>(Arrays.asList(sharedPackages));
        allowed.add(versionPackage);
        allowed.add("java..");
        return classes()
                .that()
                .resideInAPackage(versionPackage)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(allowed.toArray(new String[0]))
                .because("a version module depends on shared-model only: never on another version, reports, the CLI "
                        + "or the conformance suites")
                .allowEmptyShould(true);
    }

    /** The shared model knows no version module and nothing built on top of it. */
    static ArchRule sharedModelDependsOnNoneOf(String[] sharedPackages, String... forbidden) {
        return noClasses()
                .that()
                .resideInAnyPackage(sharedPackages)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden)
                .because(
                        "shared-model offers mechanisms; the kernels, reports and the CLI build on it, not the reverse");
    }

    /** Random number sources other than the scenario's seeded SplittableRandom. */
    private static final DescribedPredicate<JavaClass> UNSEEDED_RANDOM =
            new DescribedPredicate<>("java.util.Random (SecureRandom, ThreadLocalRandom) or another RandomGenerator") {
                @Override
                public boolean test(JavaClass c) {
                    return c.isAssignableTo(Random.class)
                            || (c.isAssignableTo(RandomGenerator.class) && !c.isEquivalentTo(SplittableRandom.class));
                }
            };

    private static final DescribedPredicate<JavaMethodCall> MATH_RANDOM =
            new DescribedPredicate<>("Math.random or StrictMath.random") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTarget().getOwner().getName();
                    return call.getTarget().getName().equals("random")
                            && (owner.equals(Math.class.getName()) || owner.equals(StrictMath.class.getName()));
                }
            };

    /** Model code takes randomness only from the scenario's seed. */
    static ArchRule noUnseededRandomness(String... modelPackages) {
        return noClasses()
                .that()
                .resideInAnyPackage(modelPackages)
                .should()
                .dependOnClassesThat(UNSEEDED_RANDOM)
                .orShould()
                .callMethodWhere(MATH_RANDOM)
                .because("the same scenario must give the same outcome byte for byte; the only randomness is the "
                        + "scenario's seed");
    }

    private static final DescribedPredicate<JavaMethodCall> CLOCK_READ =
            new DescribedPredicate<>(
                    "System.currentTimeMillis, System.nanoTime, a java.time now() or Calendar.getInstance") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTarget().getOwner().getName();
                    String name = call.getTarget().getName();
                    return (owner.equals(System.class.getName())
                                    && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
                            || (owner.startsWith("java.time.") && name.equals("now"))
                            || (owner.equals("java.util.Calendar") && name.equals("getInstance"));
                }
            };

    private static final DescribedPredicate<JavaConstructorCall> NEW_DATE_NOW =
            new DescribedPredicate<>("new java.util.Date()") {
                @Override
                public boolean test(JavaConstructorCall call) {
                    return call.getTarget().getOwner().getName().equals("java.util.Date")
                            && call.getTarget().getRawParameterTypes().isEmpty();
                }
            };

    private static final DescribedPredicate<JavaClass> CLOCKS =
            new DescribedPredicate<>("java.time.Clock or java.time.InstantSource") {
                @Override
                public boolean test(JavaClass c) {
                    return c.isAssignableTo("java.time.InstantSource") || c.isAssignableTo("java.time.Clock");
                }
            };

    /** Model code has no time: the simulation advances by steps and pages, never by the wall clock. */
    static ArchRule noWallClock(String... modelPackages) {
        return noClasses()
                .that()
                .resideInAnyPackage(modelPackages)
                .should()
                .callMethodWhere(CLOCK_READ)
                .orShould()
                .callConstructorWhere(NEW_DATE_NOW)
                .orShould()
                .dependOnClassesThat(CLOCKS)
                .because("an outcome must not depend on when it was computed");
    }

    /** SplittableRandom, seeded by the scenario, belongs to the runner alone. */
    static ArchRule splittableRandomOnlyIn(String runnerPackage, String... productionPackages) {
        return noClasses()
                .that()
                .resideInAnyPackage(productionPackages)
                .and()
                .resideOutsideOfPackage(runnerPackage)
                .should()
                .dependOnClassesThat()
                .areAssignableTo(SplittableRandom.class)
                .because("the runner owns the scenario's one seeded random source");
    }
}
