package dev.memcgdiff.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The questions of the user's notes and the area each belongs to, which the report groups by:
 * epic = area, feature = question, story = scenario. Scenarios cite a question as
 * "docs/QUESTIONS.md §N" (one section per question there). The notes number two questions 16 and
 * two 17; the corpus calls them 16a/16b and 17a/17b (file names q16b-..., q17b-...).
 */
final class NotesQuestions {
    static final String CHARGE_PATH = "charge path";
    static final String PAGE_CACHE = "page cache";
    static final String LRU_BALANCE = "LRU balance";
    static final String RECLAIM = "reclaim";
    static final String PROTECTION = "protection";
    static final String OOM = "OOM";
    static final String INCIDENTS = "incidents";
    static final String OTHER = "other";

    /** A question: its number as the corpus writes it, a short title, its area. */
    record Question(String id, String title, String area) {
        String feature() {
            return "§" + id + " " + title;
        }
    }

    /** Where a scenario sits in the report: one epic and feature, the other questions it cites as tags. */
    record Placement(String epic, String feature, List<String> tags) {
        Placement {
            tags = List.copyOf(tags);
        }
    }

    /** The questions by the number the corpus writes, in the notes' order; read-only once built. */
    static final Map<String, Question> QUESTIONS;

    static {
        Map<String, Question> q = new LinkedHashMap<>();
        add(q, "1", "workingset refault activation", LRU_BALANCE);
        add(q, "2", "active/inactive list balance (inactive_list_is_low)", LRU_BALANCE);
        add(q, "3", "lru_lock contention; container reclaim and global reclaim", RECLAIM);
        add(q, "4", "direct reclaim takes other containers' pages (soft limit)", RECLAIM);
        add(q, "5", "per-memcg background reclaim crosses containers", RECLAIM);
        add(q, "6", "compaction", RECLAIM);
        add(q, "7", "huge pages, reclaim and charging", CHARGE_PATH);
        add(q, "8", "memory.min / memory.low protection", PROTECTION);
        add(q, "9", "swap past memsw", CHARGE_PATH);
        add(q, "10", "global reclaim swaps container anon", RECLAIM);
        add(q, "11", "first LRU list of new anon and file pages", LRU_BALANCE);
        add(q, "12", "OOM while MemFree has room", OOM);
        add(q, "13", "page references found through rmap", LRU_BALANCE);
        add(q, "14", "page cache counts toward the limit", PAGE_CACHE);
        add(q, "15", "allocation at the container limit: reclaim, ENOMEM or OOM", OOM);
        add(q, "16", "shared memory: page cache or anon", PAGE_CACHE);
        add(q, "16a", "shared memory: page cache or anon", PAGE_CACHE);
        add(q, "16b", "4.18 demotes active anon while page cache remains", LRU_BALANCE);
        add(q, "17", "docker, pause and parent container reclaim", RECLAIM);
        add(q, "17a", "docker, pause and parent container reclaim", RECLAIM);
        add(q, "17b", "container shmem, cached and used", PAGE_CACHE);
        add(q, "18", "reclaim below the container's own limit (ancestor limit)", RECLAIM);
        QUESTIONS = Collections.unmodifiableMap(q);
    }

    private static void add(Map<String, Question> q, String id, String title, String area) {
        q.put(id, new Question(id, title, area));
    }

    private static final String NOTES = "docs/QUESTIONS.md";
    private static final Pattern NAME_QUESTION = Pattern.compile("^q0*([0-9]+[ab]?)-");
    private static final Pattern REF_QUESTION = Pattern.compile("§\\s*([0-9]+[ab]?)");
    private static final Pattern INCIDENT = Pattern.compile("incidents/([^\\s\"]+?)(\\.log)?(\\s|$)");

    private NotesQuestions() {}

    /**
     * An incident scenario (name starting "incident") goes under incidents; otherwise the question
     * its name starts with (q09-...), else the first question of the notes it cites, else an
     * incident it cites; failing all of those, a guess from words in its name.
     */
    static Placement of(String name, List<String> refs) {
        List<Question> cited = new ArrayList<>();
        for (String ref : refs) {
            if (ref.contains(NOTES)) {
                Matcher m = REF_QUESTION.matcher(ref);
                while (m.find()) {
                    Question q = QUESTIONS.get(m.group(1).toLowerCase(Locale.ROOT));
                    if (q != null && !cited.contains(q)) {
                        cited.add(q);
                    }
                }
            }
        }
        String incident = refs.stream()
                .map(INCIDENT::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .findFirst()
                .orElse(null);
        Matcher named = NAME_QUESTION.matcher(name);
        Question primary = named.find() ? QUESTIONS.get(named.group(1)) : null;
        if (name.startsWith("incident")) {
            return placement(INCIDENTS, "incident " + (incident != null ? incident : name), cited, null);
        }
        if (primary == null && !cited.isEmpty()) {
            primary = cited.get(0);
        }
        if (primary != null) {
            return placement(primary.area(), primary.feature(), cited, primary);
        }
        if (incident != null) {
            return placement(INCIDENTS, "incident " + incident, cited, null);
        }
        return placement(guess(name), "no question of the notes", cited, null);
    }

    private static Placement placement(String epic, String feature, List<Question> cited, Question primary) {
        List<String> tags =
                cited.stream().filter(q -> q != primary).map(Question::feature).toList();
        return new Placement(epic, feature, tags);
    }

    /** The area suggested by words in a scenario name. */
    static String guess(String name) {
        if (name.contains("oom")) {
            return OOM;
        }
        if (name.matches(".*(protect|memory-min|memory-low|min-low).*")) {
            return PROTECTION;
        }
        if (name.matches(".*(lru|active|refault|workingset).*")) {
            return LRU_BALANCE;
        }
        if (name.matches(".*(cache|shmem|tmpfs|read|write|file).*")) {
            return PAGE_CACHE;
        }
        if (name.matches(".*(reclaim|swap|kswapd).*")) {
            return RECLAIM;
        }
        if (name.matches(".*(charge|memsw|limit|thp|huge).*")) {
            return CHARGE_PATH;
        }
        return OTHER;
    }
}
