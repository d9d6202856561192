package dev.memcgdiff.mm.psi;

/**
 * One psi_group (kernel/sched/psi.c): the system's, or a cgroup v2 directory's. Per CPU it keeps
 * the task counts, the state they make (memory SOME and FULL, NONIDLE) and the time spent in each
 * state; the averaging work folds the CPUs' times into the cumulative totals, each CPU weighted
 * by its non-idle time, and feeds the avg10/avg60/avg300 running averages every PSI_FREQ.
 *
 * <p>Only the memory resource is kept (the model has no CPU or I/O pressure to report). The
 * per-CPU times are u32 as in the kernel, and wrap the same way.
 */
final class PsiGroup {
    /** psi_task_count: NR_IOWAIT, NR_MEMSTALL, NR_RUNNING; NR_MEMSTALL_RUNNING is 5.18's. */
    static final int NR_IOWAIT = 0;

    static final int NR_MEMSTALL = 1;
    static final int NR_RUNNING = 2;
    static final int NR_MEMSTALL_RUNNING = 3;
    static final int NR_TASK_COUNTS = 4;

    /** The task flags: TSK_IOWAIT, TSK_MEMSTALL, TSK_RUNNING, TSK_MEMSTALL_RUNNING. */
    static final int TSK_IOWAIT = 1 << NR_IOWAIT;

    static final int TSK_MEMSTALL = 1 << NR_MEMSTALL;
    static final int TSK_RUNNING = 1 << NR_RUNNING;
    static final int TSK_MEMSTALL_RUNNING = 1 << NR_MEMSTALL_RUNNING;

    /** The states kept: PSI_MEM_SOME, PSI_MEM_FULL, PSI_NONIDLE. */
    static final int MEM_SOME = 0;

    static final int MEM_FULL = 1;
    static final int NONIDLE = 2;
    static final int NR_STATES = 3;

    /** EXP_10s, EXP_60s, EXP_300s: 1/exp(2s/10s), 1/exp(2s/60s), 1/exp(2s/300s) in fixed point. */
    static final long[] EXP = {1677, 1981, 2034};

    /** No averaging work queued. */
    static final long NO_WORK = Long.MAX_VALUE;

    private static final long U32 = 0xFFFF_FFFFL;

    private final PsiTraits.FullOnCpu fullOnCpu;
    private final long jiffy;
    private final long period;

    private final int[][] tasks;
    private final int[] stateMask;
    private final long[] stateStart;
    private final long[][] times;
    private final long[][] timesPrev;

    /** total[PSI_AVGS][s] for SOME and FULL, ns. */
    final long[] total = new long[2];

    private final long[] avgTotal = new long[2];
    /** avg[s][0..2]: avg10, avg60, avg300, percent in fixed point. */
    final long[][] avg = new long[2][3];

    private long avgNextUpdate;
    private long avgLastUpdate;
    /** When the averaging work (psi_avgs_work) runs next, or {@link #NO_WORK}. */
    long workAt = NO_WORK;

    /**
     * group_init at {@code now}: the first averages are due one psi_period later. (5.18 also
     * starts avg_last_update at now; 4.18.0-147 leaves it 0, the same thing here since every group
     * is made at time 0.)
     */
    PsiGroup(int cpus, PsiTraits.FullOnCpu fullOnCpu, long jiffy, long period, long now) {
        this.fullOnCpu = fullOnCpu;
        this.jiffy = jiffy;
        this.period = period;
        this.tasks = new int[cpus][NR_TASK_COUNTS];
        this.stateMask = new int[cpus];
        this.stateStart = new long[cpus];
        this.times = new long[cpus][NR_STATES];
        this.timesPrev = new long[cpus][NR_STATES];
        this.avgLastUpdate = now;
        this.avgNextUpdate = now + period;
    }

    /** The number of tasks of this group on {@code cpu} with the count {@code nr}. */
    int tasks(int cpu, int nr) {
        return tasks[cpu][nr];
    }

    /**
     * psi_group_change: account the time since the last change to the states the CPU was in,
     * then apply the task's flag changes and work out the new states.
     */
    void change(int cpu, int clear, int set, long now) {
        recordTimes(cpu, now, false);
        int[] t = tasks[cpu];
        for (int nr = 0; nr < NR_TASK_COUNTS; nr++) {
            if ((clear & (1 << nr)) != 0) {
                if (t[nr] == 0) {
                    throw new IllegalStateException("psi: task underflow on cpu " + cpu + ", count " + nr);
                }
                t[nr]--;
            }
            if ((set & (1 << nr)) != 0) {
                t[nr]++;
            }
        }
        stateMask[cpu] = testStates(t);
    }

    /** test_state for the memory states and NONIDLE. */
    private int testStates(int[] t) {
        int mask = 0;
        if (t[NR_MEMSTALL] > 0) {
            mask |= 1 << MEM_SOME;
            boolean full = switch (fullOnCpu) {
                case TICK -> t[NR_RUNNING] == 0;
                case MEMSTALL_RUNNING -> t[NR_RUNNING] == t[NR_MEMSTALL_RUNNING];
            };
            if (full) {
                mask |= 1 << MEM_FULL;
            }
        }
        if (t[NR_IOWAIT] > 0 || t[NR_MEMSTALL] > 0 || t[NR_RUNNING] > 0) {
            mask |= 1 << NONIDLE;
        }
        return mask;
    }

    /**
     * record_times: the time since the CPU's last change goes to each state it was in; on a
     * scheduler tick that found the current task in a memory stall (4.18.0-147's
     * psi_memstall_tick) a SOME-but-not-FULL CPU also gets up to one jiffy of FULL.
     */
    void recordTimes(int cpu, long now, boolean memstallTick) {
        long delta = (now - stateStart[cpu]) & U32;
        stateStart[cpu] = now;
        int mask = stateMask[cpu];
        long[] tm = times[cpu];
        if ((mask & (1 << MEM_SOME)) != 0) {
            tm[MEM_SOME] = (tm[MEM_SOME] + delta) & U32;
            if ((mask & (1 << MEM_FULL)) != 0) {
                tm[MEM_FULL] = (tm[MEM_FULL] + delta) & U32;
            } else if (memstallTick) {
                tm[MEM_FULL] = (tm[MEM_FULL] + Math.min(delta, jiffy)) & U32;
            }
        }
        if ((mask & (1 << NONIDLE)) != 0) {
            tm[NONIDLE] = (tm[NONIDLE] + delta) & U32;
        }
    }

    /**
     * get_recent_times: each state's time on {@code cpu} since the aggregator last looked, the
     * state the CPU is in now counted up to {@code now}.
     *
     * @return the states whose time changed
     */
    private int recentTimes(int cpu, long now, long[] out) {
        int changed = 0;
        int mask = stateMask[cpu];
        for (int s = 0; s < NR_STATES; s++) {
            long v = times[cpu][s];
            if ((mask & (1 << s)) != 0) {
                v = (v + now - stateStart[cpu]) & U32;
            }
            long delta = (v - timesPrev[cpu][s]) & U32;
            timesPrev[cpu][s] = v;
            out[s] = delta;
            if (delta != 0) {
                changed |= 1 << s;
            }
        }
        return changed;
    }

    /**
     * collect_percpu_times: each CPU's SOME and FULL time weighted by its non-idle time (in whole
     * jiffies, so a CPU busy for less than a jiffy since the last look weighs nothing), added to
     * the totals.
     *
     * @return the states whose time changed on any CPU
     */
    int collect(long now) {
        long[] deltas = new long[2];
        long nonidleTotal = 0;
        int changed = 0;
        long[] t = new long[NR_STATES];
        for (int cpu = 0; cpu < tasks.length; cpu++) {
            changed |= recentTimes(cpu, now, t);
            long nonidle = t[NONIDLE] / jiffy; // nsecs_to_jiffies
            nonidleTotal += nonidle;
            deltas[MEM_SOME] += t[MEM_SOME] * nonidle;
            deltas[MEM_FULL] += t[MEM_FULL] * nonidle;
        }
        for (int s = 0; s < 2; s++) {
            total[s] += Long.divideUnsigned(deltas[s], Math.max(nonidleTotal, 1));
        }
        return changed;
    }

    /**
     * update_averages: the time stalled since the last update, capped at the period, as a percent
     * of the time that passed, decays into each average; periods missed while the work was idle
     * first decay the averages with zero samples.
     *
     * @return when the next update is due
     */
    private long updateAverages(long now) {
        long expires = avgNextUpdate;
        long missed = 0;
        if (now - expires >= period) {
            missed = (now - expires) / period;
        }
        long next = expires + (1 + missed) * period;
        long elapsed = now - (avgLastUpdate + missed * period);
        avgLastUpdate = now;
        for (int s = 0; s < 2; s++) {
            long sample = (total[s] - avgTotal[s]) & U32;
            if (sample > elapsed) {
                sample = elapsed;
            }
            avgTotal[s] += sample;
            calcAvgs(avg[s], missed, sample, elapsed);
        }
        return next;
    }

    /** calc_avgs: zero samples for the missed periods, then this period's percent. */
    private static void calcAvgs(long[] a, long missed, long time, long elapsed) {
        if (missed > 0) {
            for (int w = 0; w < 3; w++) {
                a[w] = LoadAvg.calcLoadN(a[w], EXP[w], 0, missed);
            }
        }
        long pct = time * 100 / elapsed;
        pct *= LoadAvg.FIXED_1;
        for (int w = 0; w < 3; w++) {
            a[w] = LoadAvg.calcLoad(a[w], EXP[w], pct);
        }
    }

    /** Averages brought up to date as psi_show and psi_avgs_work do: collect, then update if due. */
    int refresh(long now) {
        int changed = collect(now);
        if (now >= avgNextUpdate) {
            avgNextUpdate = updateAverages(now);
        }
        return changed;
    }

    /**
     * psi_avgs_work at {@code now}: refresh; while any CPU was non-idle since the last look the
     * work queues itself for one jiffy after the next update is due, else the clock stops until
     * a task changes state again.
     */
    void avgsWork(long now) {
        int changed = refresh(now);
        workAt = (changed & (1 << NONIDLE)) != 0 ? timer(now, (avgNextUpdate - now) / jiffy + 1) : NO_WORK;
    }

    /**
     * psi_group_change's wake-up of the clock: a task change with no work queued queues it
     * PSI_FREQ (2*HZ+1 jiffies) later.
     */
    void wakeClock(long now) {
        if (workAt == NO_WORK) {
            workAt = timer(now, period / jiffy);
        }
    }

    /** A timer {@code delay} jiffies from now fires at that jiffy boundary (the timer wheel's rounding is left out). */
    private long timer(long now, long delay) {
        return (now / jiffy + delay) * jiffy;
    }

    /** A line of the pressure file: "avg10=A avg60=B avg300=C total=T" (T in microseconds). */
    String line(int s) {
        return "avg10=" + LoadAvg.format(avg[s][0]) + " avg60=" + LoadAvg.format(avg[s][1]) + " avg300="
                + LoadAvg.format(avg[s][2]) + " total=" + Long.divideUnsigned(total[s], 1000);
    }
}
