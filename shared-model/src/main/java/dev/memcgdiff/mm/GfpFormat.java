package dev.memcgdiff.mm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * gfp_t as one kernel numbers and prints it in an OOM report: the bits each of the model's
 * {@link Gfp} flags stands for (that kernel's include/linux/gfp.h) and, for %pGg, the
 * __def_gfpflag_names table (include/trace/events/mmflags.h) in its order. The formatting is
 * the same for every kernel; the tables are each kernel's. Build one by naming every model flag:
 * {@code GfpFormat.builder().bits(Gfp.IO, 0x40)...name(0x6000c0, "GFP_KERNEL")...build()}.
 */
public final class GfpFormat {
    /** Every flag of the model, each of which a kernel's table must map. */
    private static final int[] MODEL_FLAGS = {
        Gfp.IO,
        Gfp.FS,
        Gfp.DIRECT_RECLAIM,
        Gfp.NORETRY,
        Gfp.RETRY_MAYFAIL,
        Gfp.NOFAIL,
        Gfp.WRITE,
        Gfp.HIGH,
        Gfp.NOWARN,
        Gfp.HIGHMEM_MOVABLE
    };

    private record Name(long mask, String name) {}

    private final Map<Integer, Long> bits;
    private final List<Name> names;
    private final String noNames;

    private GfpFormat(Map<Integer, Long> bits, List<Name> names, String noNames) {
        this.bits = Map.copyOf(bits);
        this.names = List.copyOf(names);
        this.noNames = noNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The kernel's gfp_t for a mask of the model's flags. */
    public long value(int gfp) {
        long v = 0;
        for (Map.Entry<Integer, Long> e : bits.entrySet()) {
            if (Gfp.has(gfp, e.getKey())) {
                v |= e.getValue();
            }
        }
        return v;
    }

    /** "gfp_mask=%#x" (3.10's "0x%x" prints the same for these masks): 0x and the value in hex, 0x0 for none. */
    public String hex(int gfp) {
        return "0x" + Long.toHexString(value(gfp));
    }

    /**
     * format_flags (lib/vsprintf.c) behind %pGg: each table entry whose bits are all still set
     * is printed and its bits removed, "|" between names, whatever no entry names last as a hex
     * number; a mask with no bits prints this kernel's {@code noNames} text.
     */
    public String names(long flags) {
        List<String> out = new ArrayList<>();
        long rest = flags;
        for (Name n : names) {
            if (rest == 0) {
                break;
            }
            if ((rest & n.mask()) == n.mask()) {
                out.add(n.name());
                rest &= ~n.mask();
            }
        }
        if (rest != 0) {
            out.add("0x" + Long.toHexString(rest));
        }
        return out.isEmpty() ? noNames : String.join("|", out);
    }

    /** dump_header's "gfp_mask=%#x(%pGg)" (4.18, 5.18): the value, then its names in parentheses. */
    public String format(int gfp) {
        return hex(gfp) + "(" + names(value(gfp)) + ")";
    }

    /** Names each model flag's bits and the %pGg table, in the kernel's order. */
    public static final class Builder {
        private final Map<Integer, Long> bits = new LinkedHashMap<>();
        private final List<Name> names = new ArrayList<>();
        private String noNames = "";

        private Builder() {}

        /** The kernel bits one of the model's {@link Gfp} flags stands for. */
        public Builder bits(int modelFlag, long kernelBits) {
            if (Integer.bitCount(modelFlag) != 1) {
                throw new IllegalArgumentException("not one model gfp flag: " + modelFlag);
            }
            bits.put(modelFlag, kernelBits);
            return this;
        }

        /** The next __def_gfpflag_names entry. */
        public Builder name(long mask, String name) {
            if (mask == 0) {
                throw new IllegalArgumentException("a gfp name needs bits: " + name);
            }
            names.add(new Name(mask, name));
            return this;
        }

        /** What %pGg prints for a mask with no bits (4.18: nothing). */
        public Builder noNames(String text) {
            this.noNames = text;
            return this;
        }

        /** @throws IllegalStateException when a model flag has no kernel bits */
        public GfpFormat build() {
            for (int flag : MODEL_FLAGS) {
                if (!bits.containsKey(flag)) {
                    throw new IllegalStateException("no kernel bits for model gfp flag " + flag);
                }
            }
            return new GfpFormat(bits, names, noNames);
        }
    }
}
