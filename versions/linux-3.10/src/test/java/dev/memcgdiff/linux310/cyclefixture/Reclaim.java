package dev.memcgdiff.linux310.cyclefixture;

/**
 * Half of a deliberately cyclic pair, the shape the old Ops had (Vmscan and Memcontrol wired to
 * each other after construction): DependencyRulesTest points its no-cycle rule here to show that
 * the rule fails on a cycle.
 */
final class Reclaim {
    private Charge charge;

    void wire(Charge c) {
        this.charge = c;
    }

    int swappiness() {
        return charge.swappiness();
    }
}
