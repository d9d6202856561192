package dev.memcgdiff.cli;

import dev.memcgdiff.mm.page.EntryArray;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.swap.SwapDevice;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The heap one kernel run of a scenario needs, computed from the file before anything runs: the
 * page arrays (26 bytes a page of RAM, docs/FIDELITY.md), the swap device's arrays per slot, and
 * the entry arrays of page tables and page caches (every page a task maps or a file holds, at the
 * worst moment of their growth), plus a fixed allowance for the rest of the model. A scenario that
 * needs more than the JVM may use is refused at once, with the heap to ask for, instead of running
 * for seconds and failing with an OutOfMemoryError.
 */
final class HeapBudget {
    /** Everything else a run holds: kernel tables, memcgs, tasks, trace and snapshots. */
    static final long FIXED_BYTES = 256L << 20;

    private HeapBudget() {}

    /** What a run needs, in bytes, and how that number is made up. */
    record Need(long bytes, long pageArrays, long swapArrays, long entryArrays) {
        String explain() {
            return "page arrays " + gib(pageArrays) + ", swap " + gib(swapArrays) + ", page tables and page cache "
                    + gib(entryArrays) + ", the rest " + gib(FIXED_BYTES);
        }
    }

    static Need need(Scenario s) {
        long pageArrays = s.host().memoryPages() * Pages.bytesPerPage();
        long swapArrays = s.host().swapPages() * SwapDevice.bytesPerSlot();
        long entryArrays = entries(s) * EntryArray.WORST_BYTES_PER_ENTRY;
        return new Need(pageArrays + swapArrays + entryArrays + FIXED_BYTES, pageArrays, swapArrays, entryArrays);
    }

    /**
     * Entry-array slots the steps can fill: each task's heap grows by its anon steps (a free does
     * not shrink the array), each file's page cache reaches its furthest page.
     */
    static long entries(Scenario s) {
        Map<String, Long> heaps = new LinkedHashMap<>();
        Map<String, Long> files = new LinkedHashMap<>();
        for (Step step : flat(s.steps())) {
            if (step instanceof Step.Anon a) {
                heaps.merge(a.task(), a.pages(), Long::sum);
            } else if (step instanceof Step.Host h) {
                heaps.merge("(host)", h.pages(), Long::sum);
            } else if (step instanceof Step.Shmem sh) {
                files.merge(sh.file(), sh.pages(), Long::sum);
            } else if (step instanceof Step.Write w) {
                files.merge(w.file(), w.pages(), Long::sum);
            } else if (step instanceof Step.Read r) {
                files.merge(r.file(), r.offsetPages() + r.pages(), Math::max);
            } else if (step instanceof Step.Mmap m) {
                // the file's cache and the task's page table of the mapping
                files.merge(m.file(), m.offsetPages() + m.pages(), Math::max);
                heaps.merge(m.task() + " " + m.file(), m.pages(), Math::max);
            }
        }
        long total = 0;
        for (long v : heaps.values()) {
            total += v;
        }
        for (long v : files.values()) {
            total += v;
        }
        return total;
    }

    private static List<Step> flat(List<Step> steps) {
        List<Step> out = new ArrayList<>();
        for (Step st : steps) {
            if (st instanceof Step.Together tg) {
                tg.steps().forEach(p -> out.add(p.step()));
            } else {
                out.add(st);
            }
        }
        return out;
    }

    /**
     * One message per scenario whose run needs more heap than {@code maxHeap} (the JVM's
     * Runtime.maxMemory()); empty when every scenario fits.
     */
    static List<String> refusals(List<Scenario> scenarios, long maxHeap) {
        List<String> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            Need n = need(s);
            if (n.bytes() > maxHeap) {
                long gibs = (n.bytes() + (1L << 30) - 1) >> 30;
                out.add(s.file() + ": scenario " + s.name() + " needs about " + gib(n.bytes())
                        + " of heap for one kernel run (" + n.explain() + "), and this JVM may use " + gib(maxHeap)
                        + ": run it with more heap, e.g. MEMCG_DIFF_JAVA_OPTS=-Xmx" + (gibs + 1)
                        + "g, or make the host smaller");
            }
        }
        return out;
    }

    /** Refuses every scenario too large for this JVM's heap at once: exit 4, one line each. */
    static void refuseOversized(List<Scenario> scenarios) {
        List<String> refused = refusals(scenarios, Runtime.getRuntime().maxMemory());
        if (!refused.isEmpty()) {
            throw new NotEnoughHeap(refused);
        }
    }

    /** Scenarios refused because the JVM's heap is too small for them: exit 4, a message each. */
    static final class NotEnoughHeap extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final List<String> messages;

        NotEnoughHeap(List<String> messages) {
            super(String.join("\n", messages), null, false, false);
            this.messages = List.copyOf(messages);
        }

        List<String> messages() {
            return messages;
        }
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
