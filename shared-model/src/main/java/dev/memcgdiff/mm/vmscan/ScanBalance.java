package dev.memcgdiff.mm.vmscan;

/** enum scan_balance (mm/vmscan.c, every modelled kernel): how get_scan_count splits the pressure between anon and file. */
public enum ScanBalance {
    /** Scan both types by their size alone (priority 0 with swappiness). */
    SCAN_EQUAL,
    /** Scan both types in proportion to their fractions. */
    SCAN_FRACT,
    /** Scan anon only. */
    SCAN_ANON,
    /** Scan file only. */
    SCAN_FILE
}
