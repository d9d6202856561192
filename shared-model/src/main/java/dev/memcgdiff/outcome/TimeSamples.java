package dev.memcgdiff.outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A run's key cgroups sampled on the simulated clock, for the report's charts over time: at every
 * step's start and end, at every OOM kill, and periodically in between (see
 * {@code run.TimeSampler} for the rule). Values are pages. Only a run that asks for samples has
 * them ({@code Runner.runSampled}); they are never part of the golden text or the JSON.
 *
 * <p>The first cgroup is the host ("/"): RAM in use, MemTotal as its limit, swap slots in use, and
 * the LRU lists, dirty and writeback pages of the whole machine. Every other cgroup's values count
 * its hierarchy (as its usage does): its memory usage and limit (memory.max / limit_in_bytes), the
 * swap charged to it, and its dirty, writeback and LRU pages.
 */
public final class TimeSamples {
    /** Why a sample was taken. */
    public enum Kind {
        /** A step starts (after setup for the first). */
        START("start"),
        /** A step ended. */
        END("end"),
        /** The periodic clock event. */
        TICK("tick"),
        /** An OOM kill was just recorded (the victim's memory may not be freed yet). */
        KILL("kill");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** What each sample holds for each cgroup, in this order. */
    public enum Field {
        USAGE("usage"),
        LIMIT("limit"),
        SWAP("swap"),
        DIRTY("dirty"),
        WRITEBACK("writeback"),
        INACTIVE_ANON("inactive_anon"),
        ACTIVE_ANON("active_anon"),
        INACTIVE_FILE("inactive_file"),
        ACTIVE_FILE("active_file");

        private final String word;

        Field(String word) {
            this.word = word;
        }

        /** The kernel's word for it (memory.stat's key for the LRU lists). */
        public String word() {
            return word;
        }
    }

    public static final int FIELDS = Field.values().length;

    /** One sample: its time (ns), why, the step running, and FIELDS values per cgroup. */
    public record Sample(long time, Kind kind, int step, long[] values) {
        public Sample {
            values = values.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        public long value(int cgroup, Field f) {
            return values[cgroup * FIELDS + f.ordinal()];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s
                    && s.time == time
                    && s.kind == kind
                    && s.step == step
                    && Arrays.equals(s.values, values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(time, kind, step, Arrays.hashCode(values));
        }

        @Override
        public String toString() {
            return "Sample[" + time + " " + kind.word() + " step " + step + " " + Arrays.toString(values) + "]";
        }
    }

    /** One OOM kill at its time: the victim, its memcg, and the memcg whose limit was hit (null: global). */
    public record Kill(long time, int step, String victim, int pid, String memcg, String oomMemcg) {}

    /** No samples: a run that did not ask for them. */
    public static final TimeSamples NONE = new TimeSamples(List.of(), List.of(), List.of(), 0);

    private final List<String> cgroups;
    private final List<Sample> samples;
    private final List<Kill> kills;
    private final long interval;

    /**
     * @param cgroups the key cgroups' paths, "/" first
     * @param samples in time order
     * @param kills in time order
     * @param interval the periodic interval in ns at the end of the run
     */
    public TimeSamples(List<String> cgroups, List<Sample> samples, List<Kill> kills, long interval) {
        this.cgroups = List.copyOf(cgroups);
        this.samples = List.copyOf(samples);
        this.kills = List.copyOf(kills);
        this.interval = interval;
        for (Sample s : this.samples) {
            if (s.values.length != this.cgroups.size() * FIELDS) {
                throw new IllegalArgumentException(
                        "a sample needs " + this.cgroups.size() * FIELDS + " values: " + s.values.length);
            }
        }
    }

    public List<String> cgroups() {
        return cgroups;
    }

    public List<Sample> samples() {
        return samples;
    }

    public List<Kill> kills() {
        return kills;
    }

    /** The periodic interval (ns) the run ended with; 0 without samples. */
    public long interval() {
        return interval;
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The index of a cgroup's values, or -1 when it was not sampled. */
    public int cgroup(String path) {
        return cgroups.indexOf(path);
    }

    /**
     * Every sample as a line of text ({@code TIME KIND step=N CGROUP f=v ...}), then every kill: a
     * stable form for tests and for looking at a run; never compared with golden files.
     */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("interval ").append(interval).append('\n');
        for (Sample s : samples) {
            b.append(s.time).append(' ').append(s.kind.word()).append(" step=").append(s.step);
            for (int c = 0; c < cgroups.size(); c++) {
                b.append(' ').append(cgroups.get(c));
                for (Field f : Field.values()) {
                    b.append(' ').append(f.word()).append('=').append(s.value(c, f));
                }
            }
            b.append('\n');
        }
        for (Kill k : kills) {
            b.append(String.format(
                    Locale.ROOT,
                    "kill %d step=%d victim=%s pid=%d memcg=%s oom_memcg=%s\n",
                    k.time,
                    k.step,
                    k.victim,
                    k.pid,
                    k.memcg,
                    k.oomMemcg == null ? "(global)" : k.oomMemcg));
        }
        return b.toString();
    }

    /** The samples taken for one reason. */
    public List<Sample> of(Kind kind) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.kind == kind) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSamples t
                && t.interval == interval
                && t.cgroups.equals(cgroups)
                && t.samples.equals(samples)
                && t.kills.equals(kills);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cgroups, samples, kills, interval);
    }

    @Override
    public String toString() {
        return "TimeSamples[" + samples.size() + " samples of " + cgroups + ", " + kills.size() + " kills]";
    }
}
