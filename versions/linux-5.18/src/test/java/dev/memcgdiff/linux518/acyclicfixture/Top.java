package dev.memcgdiff.linux518.acyclicfixture;

/** Needs Root, which does not need it back. */
final class Top {
    private final Root root;

    Top(Root root) {
        this.root = root;
    }

    Root.Kind kind() {
        return root.kind();
    }
}
