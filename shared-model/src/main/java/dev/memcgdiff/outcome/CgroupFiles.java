package dev.memcgdiff.outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of one cgroup directory as a kernel prints them, in the kernel's order: a file holds
 * a number (bytes or a count), a word (such as {@code max}), or keyed lines (memory.stat,
 * memory.events, memory.oom_control).
 */
public final class CgroupFiles {
    private final Map<String, Object> files = new LinkedHashMap<>();

    public CgroupFiles put(String file, long value) {
        files.put(file, value);
        return this;
    }

    public CgroupFiles putWord(String file, String word) {
        files.put(file, word);
        return this;
    }

    /** A v2 limit file: a number of bytes, or the word it prints for no limit. */
    public CgroupFiles putWordOrBytes(String file, Object value) {
        if (value instanceof Long l) {
            return put(file, l);
        }
        return putWord(file, (String) value);
    }

    public CgroupFiles putKeyed(String file, Map<String, Long> lines) {
        files.put(file, Collections.unmodifiableMap(new LinkedHashMap<>(lines)));
        return this;
    }

    /**
     * A file of keyed text lines (memory.pressure: {@code some} and {@code full}, each the rest of
     * its line), or the word a failed read gives (EOPNOTSUPP).
     */
    public CgroupFiles putFile(String file, Object value) {
        if (value instanceof String word) {
            return putWord(file, word);
        }
        if (!(value instanceof Map<?, ?> lines)) {
            throw new IllegalArgumentException(file + ": not lines or a word: " + value);
        }
        files.put(file, Collections.unmodifiableMap(new LinkedHashMap<>(lines)));
        return this;
    }

    /** File name to Long, String, or an ordered Map of key to Long (or to String: memory.pressure's lines). */
    public Map<String, Object> files() {
        return Collections.unmodifiableMap(files);
    }
}
