package dev.memcgdiff.mm.lru;

/** enum lru_list, in the kernel's order (include/linux/mmzone.h). */
public final class Lru {
    public static final int INACTIVE_ANON = 0;
    public static final int ACTIVE_ANON = 1;
    public static final int INACTIVE_FILE = 2;
    public static final int ACTIVE_FILE = 3;
    public static final int UNEVICTABLE = 4;
    public static final int NR_LRU_LISTS = 5;
    /** The four evictable lists. */
    public static final int NR_EVICTABLE = 4;

    public static final int ANON = 0;
    public static final int FILE = 1;

    private static final String[] NAMES = {"inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable"
    };

    private Lru() {}

    public static String name(int lru) {
        return NAMES[lru];
    }

    public static boolean isActive(int lru) {
        return lru == ACTIVE_ANON || lru == ACTIVE_FILE;
    }

    public static boolean isFile(int lru) {
        return lru == INACTIVE_FILE || lru == ACTIVE_FILE;
    }

    /** is_file_lru as a type index: ANON or FILE. */
    public static int type(int lru) {
        return isFile(lru) ? FILE : ANON;
    }

    /** The list of a type, active or not. */
    public static int of(int type, boolean active) {
        return type * 2 + (active ? 1 : 0);
    }
}
