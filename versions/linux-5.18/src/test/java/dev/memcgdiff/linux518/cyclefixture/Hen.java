package dev.memcgdiff.linux518.cyclefixture;

/** A deliberately cyclic pair (Hen and Egg need each other) for DependencyRulesTest to catch. */
final class Hen {
    private Egg egg;

    void wire(Egg egg) {
        this.egg = egg;
    }

    Egg lay() {
        return egg;
    }
}
