package dev.memcgdiff.mm.memcg;

/**
 * Which limit ran out: a memcg's memory counter, its memory+swap counter (v1 memsw), its swap
 * counter (v2 swap.max), or the host itself (a global shortage). {@link #text()} is the word the
 * outcome and the traces print.
 */
public enum LimitKind {
    MEMORY("memory"),
    MEMSW("memsw"),
    SWAP("swap"),
    HOST("host");

    private final String text;

    LimitKind(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
