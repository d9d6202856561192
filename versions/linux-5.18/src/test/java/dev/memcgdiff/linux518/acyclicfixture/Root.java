package dev.memcgdiff.linux518.acyclicfixture;

/** The bottom of an acyclic chain: needs nobody. Its nested type stays its own slice. */
final class Root {
    enum Kind {
        A,
        B
    }

    Kind kind() {
        return Kind.A;
    }
}
