package dev.memcgdiff.linux518.cyclefixture;

/** The other half of the cyclic pair: an Egg is made by a Hen. */
final class Egg {
    private final Hen hen;

    Egg(Hen hen) {
        this.hen = hen;
    }

    Hen hatch() {
        return hen;
    }
}
