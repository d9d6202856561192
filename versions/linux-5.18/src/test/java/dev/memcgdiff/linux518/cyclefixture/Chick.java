package dev.memcgdiff.linux518.cyclefixture;

/** Outside the cycle: a Chick needs an Egg, nothing needs a Chick. */
final class Chick {
    private final Egg egg;

    Chick(Egg egg) {
        this.egg = egg;
    }

    Egg from() {
        return egg;
    }
}
