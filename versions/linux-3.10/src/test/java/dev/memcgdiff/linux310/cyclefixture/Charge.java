package dev.memcgdiff.linux310.cyclefixture;

/** The other half of the cyclic pair: it needs Reclaim, which needs it back. */
final class Charge {
    private final Reclaim reclaim;

    Charge(Reclaim reclaim) {
        this.reclaim = reclaim;
    }

    int swappiness() {
        return 60;
    }

    int reclaimSwappiness() {
        return reclaim.swappiness();
    }
}
