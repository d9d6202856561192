package dev.memcgdiff.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** The rule every kernel module keeps: its classes are built in dependency order, so none depend in a cycle. */
public final class ClassCycles {
    private ClassCycles() {}

    /**
     * Every dependency ArchUnit sees (fields, constructor and method signatures, calls, constants
     * that are not inlined) between the top-level classes of exactly {@code pkg}, not its
     * subpackages; a nested or synthetic class ({@code Outer$Inner}, {@code Outer$1}) belongs to
     * its top-level class.
     */
    public static ArchRule noCyclesBetweenClassesOf(String pkg) {
        return slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass c) {
                        if (!c.getPackageName().equals(pkg)) {
                            return SliceIdentifier.ignore();
                        }
                        String name = c.getName().substring(pkg.length() + 1);
                        int nested = name.indexOf('$');
                        return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
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
