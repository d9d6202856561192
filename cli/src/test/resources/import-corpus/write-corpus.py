# Writes the import corpus: OOM reports composed from the kernels' printk formats (mm/oom_kill.c,
# mm/memcontrol.c, mm/page_alloc.c, lib/show_mem.c, mm/swap_state.c), with invented values.
import os
OUT = os.path.dirname(os.path.abspath(__file__))

def task310(pid, uid, tgid, vm, rss, ptes, swap, adj, name):
    return "[%5d] %5d %5d %8d %8d %7d %8d         %5d %s" % (pid, uid, tgid, vm, rss, ptes, swap, adj, name)
def task418(pid, uid, tgid, vm, rss, pgt, swap, adj, name):
    return "[%5d] %5d %5d %8d %8d %8d %8d         %5d %s" % (pid, uid, tgid, vm, rss, pgt, swap, adj, name)
def task5(pid, uid, tgid, vm, rss, pgt, swap, adj, name):
    return "[%7d] %5d %5d %8d %8d %8d %8d         %5d %s" % (pid, uid, tgid, vm, rss, pgt, swap, adj, name)

def write(name, lines):
    with open(os.path.join(OUT, name), 'w') as f:
        f.write('\n'.join(lines) + '\n')

def prefixed(lines, fmt, t0):
    out = []
    t = t0
    for l in lines:
        t += 0.000713
        out.append(fmt(t) + l)
    return out

# 1. RHEL 7.9 (3.10.0-1160) memcg OOM, deferred to the end of the fault: the trace shows no allocation
cg_pod = "/kubepods/burstable/pod1f2e9a77"
cg_ctr = cg_pod + "/ctr-1"
r310 = [
 "java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=1000",
 "java cpuset=ctr-1 mems_allowed=0",
 "CPU: 3 PID: 4250 Comm: java Kdump: loaded Not tainted 3.10.0-1160.el7.x86_64 #1",
 "Hardware name: VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 12/12/2018",
 "Call Trace:",
 " [<ffffffff81781f6e>] dump_stack+0x19/0x1b",
 " [<ffffffff8177c8e1>] dump_header+0x90/0x229",
 " [<ffffffff81187f1f>] ? find_lock_task_mm+0x4f/0x80",
 " [<ffffffff811881c4>] oom_kill_process+0x2d4/0x4a0",
 " [<ffffffff81202e96>] mem_cgroup_out_of_memory+0x2c6/0x4a0",
 " [<ffffffff81203b9a>] mem_cgroup_oom_synchronize+0x55a/0x590",
 " [<ffffffff81203000>] ? mem_cgroup_charge_common+0xc0/0xc0",
 " [<ffffffff81188a74>] pagefault_out_of_memory+0x14/0x90",
 " [<ffffffff8177b0a8>] mm_fault_error+0x6a/0x157",
 " [<ffffffff8178f8b6>] __do_page_fault+0x496/0x4f0",
 " [<ffffffff8178f9f5>] do_page_fault+0x35/0x90",
 " [<ffffffff8178b778>] page_fault+0x28/0x30",
 "Task in %s killed as a result of limit of %s" % (cg_ctr, cg_pod),
 "memory: usage 4194304kB, limit 4194304kB, failcnt 3512",
 "memory+swap: usage 4194304kB, limit 4194304kB, failcnt 0",
 "kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
 "Memory cgroup stats for %s: cache:0KB rss:0KB rss_huge:0KB mapped_file:0KB swap:0KB inactive_anon:0KB active_anon:0KB inactive_file:0KB active_file:0KB unevictable:0KB" % cg_pod,
 "Memory cgroup stats for %s: cache:532480KB rss:3661824KB rss_huge:0KB mapped_file:1024KB swap:0KB inactive_anon:520192KB active_anon:3653632KB inactive_file:12288KB active_file:8192KB unevictable:0KB" % cg_ctr,
 "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name",
 task310(4242, 1000, 4242, 1254300, 915000, 1890, 0, 1000, "java"),
 task310(4251, 1000, 4251, 30000, 2456, 60, 0, 1000, "sidecar"),
 "Memory cgroup out of memory: Kill process 4242 (java) score 1892 or sacrifice child",
 "Killed process 4242 (java), UID 1000, total-vm:5017200kB, anon-rss:3652000kB, file-rss:8192kB, shmem-rss:0kB",
]
write("310-memcg-deferred-fault.log", prefixed(r310, lambda t: "[%.6f] " % t, 1834221.1))

# 2. Ubuntu 18.04 (4.15.0-112-generic) memcg OOM in docker, dmesg -T
cg_docker = "/docker/5a3c9d0e7b21"
r415 = [
 "node invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0",
 "node cpuset=5a3c9d0e7b21 mems_allowed=0",
 "CPU: 1 PID: 3011 Comm: node Not tainted 4.15.0-112-generic #113-Ubuntu",
 "Hardware name: Amazon EC2 t3.large/, BIOS 1.0 10/16/2017",
 "Call Trace:",
 " dump_stack+0x6d/0x8e",
 " dump_header+0x71/0x285",
 " oom_kill_process+0x21f/0x420",
 " out_of_memory+0x2b6/0x4e0",
 " mem_cgroup_out_of_memory+0xbb/0xd0",
 " mem_cgroup_oom_synchronize+0x2e8/0x320",
 " ? mem_cgroup_css_reset+0xe0/0xe0",
 " pagefault_out_of_memory+0x36/0x7b",
 " mm_fault_error+0x90/0x180",
 " __do_page_fault+0x4a5/0x4d0",
 " do_page_fault+0x2e/0xe0",
 " ? page_fault+0x2f/0x50",
 " page_fault+0x45/0x50",
 "RIP: 0033:0x7f1e5c2e1f1a",
 "RSP: 002b:00007ffd4c9e1e30 EFLAGS: 00010206",
 "Task in %s killed as a result of limit of %s" % (cg_docker, cg_docker),
 "memory: usage 524288kB, limit 524288kB, failcnt 28",
 "memory+swap: usage 786432kB, limit 1048576kB, failcnt 0",
 "kmem: usage 10240kB, limit 9007199254740988kB, failcnt 0",
 "Memory cgroup stats for %s: cache:2048KB rss:512000KB rss_huge:0KB shmem:0KB mapped_file:1024KB dirty:0KB writeback:0KB swap:262144KB inactive_anon:256000KB active_anon:256000KB inactive_file:1024KB active_file:1024KB unevictable:0KB" % cg_docker,
 "[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
 task418(2990, 0, 2990, 4500, 200, 53248, 0, 0, "tini"),
 task418(3011, 0, 3011, 301234, 128500, 1310720, 65536, 0, "node"),
 "Memory cgroup out of memory: Kill process 3011 (node) score 1009 or sacrifice child",
 "Killed process 3011 (node) total-vm:1204936kB, anon-rss:510000kB, file-rss:4000kB, shmem-rss:0kB",
 "oom_reaper: reaped process 3011 (node), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
]
write("415-memcg-docker-fault.log", ["[Tue Mar  3 10:15:%02d 2020] %s" % (2 + i // 20, l) for i, l in enumerate(r415)])

# 3. RHEL 8.1 (4.18.0-147) hybrid: a read(2) charge kills, limit on the pod; syslog
pod = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice"
scope = pod + "/docker-9f1e.scope"
r81 = [
 "python3 invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=1000",
 "python3 cpuset=docker-9f1e.scope mems_allowed=0-1",
 "CPU: 5 PID: 77120 Comm: python3 Kdump: loaded Not tainted 4.18.0-147.el8.x86_64 #1",
 "Hardware name: HPE ProLiant DL380 Gen10/ProLiant DL380 Gen10, BIOS U30 02/02/2020",
 "Call Trace:",
 " dump_stack+0x5c/0x80",
 " dump_header+0x6e/0x27a",
 " oom_kill_process.cold.29+0xb/0x10",
 " out_of_memory+0x1ba/0x4b0",
 " mem_cgroup_out_of_memory+0x49/0x80",
 " try_charge+0x6f1/0x770",
 " mem_cgroup_try_charge+0x8b/0x1a0",
 " __add_to_page_cache_locked+0x64/0x240",
 " add_to_page_cache_lru+0x64/0x100",
 " __do_page_cache_readahead+0x13a/0x1f0",
 " ondemand_readahead+0x18e/0x2f0",
 " generic_file_buffered_read+0x6e2/0xaf0",
 " xfs_file_buffered_aio_read+0x4b/0xd0 [xfs]",
 " xfs_file_read_iter+0x6e/0xd0 [xfs]",
 " new_sync_read+0x121/0x170",
 " vfs_read+0x91/0x140",
 " ksys_read+0x4f/0xb0",
 " do_syscall_64+0x5b/0x1b0",
 " entry_SYSCALL_64_after_hwframe+0x65/0xca",
 "RIP: 0033:0x7f6b8e1c4b25",
 "Code: Bad RIP value.",
 "Task in %s killed as a result of limit of %s" % (scope, pod),
 "memory: usage 2097152kB, limit 2097152kB, failcnt 5",
 "memory+swap: usage 2097152kB, limit 2097152kB, failcnt 9120",
 "kmem: usage 16384kB, limit 9007199254740988kB, failcnt 0",
 "Memory cgroup stats for %s: cache:0KB rss:0KB rss_huge:0KB shmem:0KB mapped_file:0KB dirty:0KB writeback:0KB swap:0KB inactive_anon:0KB active_anon:0KB inactive_file:0KB active_file:0KB unevictable:0KB" % pod,
 "Memory cgroup stats for %s: cache:1032192KB rss:1048576KB rss_huge:0KB shmem:1024000KB mapped_file:8192KB dirty:0KB writeback:0KB swap:0KB inactive_anon:1024000KB active_anon:1048576KB inactive_file:6144KB active_file:2048KB unevictable:0KB" % scope,
 "[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
 task418(77120, 1000, 77120, 350000, 261500, 2211840, 0, 1000, "python3"),
 "Memory cgroup out of memory: Killed process 77120 (python3) total-vm:1400000kB, anon-rss:1040000kB, file-rss:6000kB, shmem-rss:0kB",
 "oom_reaper: reaped process 77120 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
]
def syslog(host, sec):
    return lambda i: "Jun  7 03:21:%02d %s kernel: " % (sec + i // 25, host)
write("rhel81-memcg-read.log", [syslog("worker-7", 40)(i) + l for i, l in enumerate(r81)])

# 4. Ubuntu 20.04 (5.4.0-150-generic) cgroup v1: the 4.19+ summary, memory.stat lines, a write charge; journalctl
dk = "/docker/7c1d44aa"
stats54 = [("anon", 536870912), ("file", 515899392), ("kernel_stack", 98304), ("slab", 15728640), ("sock", 0),
 ("shmem", 0), ("file_mapped", 1048576), ("file_dirty", 209715200), ("file_writeback", 52428800), ("anon_thp", 0),
 ("inactive_anon", 0), ("active_anon", 536870912), ("inactive_file", 408944640), ("active_file", 106954752),
 ("unevictable", 0), ("slab_reclaimable", 10485760), ("slab_unreclaimable", 5242880), ("pgfault", 12345),
 ("pgmajfault", 12), ("workingset_refault", 100), ("workingset_activate", 50), ("workingset_nodereclaim", 0),
 ("pgrefill", 5000), ("pgscan", 40000), ("pgsteal", 30000), ("pgactivate", 2000), ("pgdeactivate", 1000),
 ("pglazyfree", 0), ("pglazyfreed", 0), ("thp_fault_alloc", 0), ("thp_collapse_alloc", 0)]
r54 = [
 "python3 invoked oom-killer: gfp_mask=0x101c4a(GFP_NOFS|__GFP_HIGHMEM|__GFP_HARDWALL|__GFP_MOVABLE|__GFP_WRITE), order=0, oom_score_adj=0",
 "CPU: 1 PID: 8812 Comm: python3 Not tainted 5.4.0-150-generic #167-Ubuntu",
 "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.13.0-1ubuntu1.1 04/01/2014",
 "Call Trace:",
 " dump_stack+0x6d/0x8b",
 " dump_header+0x4f/0x1eb",
 " oom_kill_process.cold+0xb/0x10",
 " out_of_memory+0x1cf/0x500",
 " mem_cgroup_out_of_memory+0xbd/0xe0",
 " try_charge+0x77c/0x810",
 " mem_cgroup_try_charge+0x71/0x190",
 " __add_to_page_cache_locked+0x2ff/0x3f0",
 " ? scan_shadow_nodes+0x30/0x30",
 " add_to_page_cache_lru+0x4d/0xd0",
 " pagecache_get_page+0x101/0x300",
 " grab_cache_page_write_begin+0x21/0x40",
 " ext4_da_write_begin+0x10c/0x450",
 " generic_perform_write+0xc2/0x1c0",
 " __generic_file_write_iter+0x107/0x1d0",
 " ext4_file_write_iter+0xb9/0x360",
 " new_sync_write+0x125/0x1c0",
 " __vfs_write+0x29/0x40",
 " vfs_write+0xb9/0x1a0",
 " ksys_write+0x67/0xe0",
 " __x64_sys_write+0x1a/0x20",
 " do_syscall_64+0x57/0x190",
 " entry_SYSCALL_64_after_hwframe+0x44/0xa9",
 "memory: usage 1048576kB, limit 1048576kB, failcnt 310",
 "memory+swap: usage 1048576kB, limit 2097152kB, failcnt 0",
 "kmem: usage 20480kB, limit 9007199254740988kB, failcnt 0",
 "Memory cgroup stats for %s:" % dk,
] + ["%s %d" % kv for kv in stats54] + [
 "Tasks state (memory values in pages):",
 "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
 task5(8790, 0, 8790, 1100, 150, 45056, 0, 0, "sh"),
 task5(8812, 0, 8812, 180000, 131500, 1163264, 0, 0, "python3"),
 "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=7c1d44aa,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=python3,pid=8812,uid=0" % (dk, dk),
 "Memory cgroup out of memory: Killed process 8812 (python3) total-vm:720000kB, anon-rss:524000kB, file-rss:2000kB, shmem-rss:0kB, UID:0 pgtables:1136kB oom_score_adj:0",
 "oom_reaper: reaped process 8812 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
]
write("54-v1-memcg-write.log", ["Mar 03 10:15:%02d web-3 kernel: %s" % (2 + i // 30, l) for i, l in enumerate(r54)])

# 5. Debian 12 (6.1.0-18-amd64) cgroup v2: memory: and swap: counters, 6.1's memory.stat keys; ISO journalctl
svc = "/system.slice/pg.service"
stats61 = [("anon", 1610612736), ("file", 503316480), ("kernel", 33554432), ("kernel_stack", 1048576),
 ("pagetables", 8388608), ("sec_pagetables", 0), ("percpu", 262144), ("sock", 0), ("vmalloc", 0),
 ("shmem", 402653184), ("zswap", 0), ("zswapped", 0), ("file_mapped", 402653184), ("file_dirty", 0),
 ("file_writeback", 0), ("swapcached", 0), ("anon_thp", 0), ("file_thp", 0), ("shmem_thp", 0),
 ("inactive_anon", 1207959552), ("active_anon", 805306368), ("inactive_file", 50331648),
 ("active_file", 50331648), ("unevictable", 0), ("slab_reclaimable", 16777216), ("slab_unreclaimable", 7077888),
 ("slab", 23855104), ("workingset_refault_anon", 310), ("workingset_refault_file", 9000),
 ("workingset_activate_anon", 20), ("workingset_activate_file", 800), ("workingset_restore_anon", 0),
 ("workingset_restore_file", 100), ("workingset_nodereclaim", 0), ("pgscan", 250000), ("pgsteal", 180000),
 ("pgscan_kswapd", 0), ("pgscan_direct", 250000), ("pgsteal_kswapd", 0), ("pgsteal_direct", 180000),
 ("pgfault", 9000000), ("pgmajfault", 4000), ("pgrefill", 70000), ("pgactivate", 30000), ("pgdeactivate", 60000),
 ("pglazyfree", 0), ("pglazyfreed", 0), ("thp_fault_alloc", 0), ("thp_collapse_alloc", 0)]
r61 = [
 "postgres invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0",
 "CPU: 3 PID: 41022 Comm: postgres Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1",
 "Hardware name: Supermicro SYS-1029P-WTR/X11DDW-L, BIOS 3.4 10/28/2020",
 "Call Trace:",
 " <TASK>",
 " dump_stack_lvl+0x44/0x5c",
 " dump_header+0x4a/0x211",
 " oom_kill_process.cold+0xb/0x10",
 " out_of_memory+0x1fd/0x4c0",
 " mem_cgroup_out_of_memory+0x134/0x150",
 " try_charge_memcg+0x696/0x780",
 " charge_memcg+0x39/0xf0",
 " __mem_cgroup_charge+0x28/0x80",
 " do_anonymous_page+0x131/0x3b0",
 " __handle_mm_fault+0x6b5/0x1160",
 " handle_mm_fault+0xdb/0x2d0",
 " do_user_addr_fault+0x191/0x580",
 " exc_page_fault+0x70/0x170",
 " asm_exc_page_fault+0x22/0x30",
 "RIP: 0033:0x55d1a86c0f2e",
 " </TASK>",
 "memory: usage 2097152kB, limit 2097152kB, failcnt 1203",
 "swap: usage 524288kB, limit 524288kB, failcnt 0",
 "Memory cgroup stats for %s:" % svc,
] + ["%s %d" % kv for kv in stats61] + [
 "Tasks state (memory values in pages):",
 "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
 task5(40990, 112, 40990, 560000, 110000, 450560, 20000, -900, "postgres"),
 task5(41022, 112, 41022, 550000, 301000, 2457600, 60000, 0, "postgres"),
 task5(41031, 112, 41031, 548000, 95000, 409600, 15000, 0, "postgres"),
 "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0-1,oom_memcg=%s,task_memcg=%s,task=postgres,pid=41022,uid=112" % (svc, svc),
 "Memory cgroup out of memory: Killed process 41022 (postgres) total-vm:2200000kB, anon-rss:900000kB, file-rss:4000kB, shmem-rss:300000kB, UID:112 pgtables:2400kB oom_score_adj:0",
]
write("61-v2-memcg-anon.log", ["2024-03-03T10:15:%02d.%06d+01:00 db-1 kernel: %s" % (2 + i // 40, 1000 * i, l) for i, l in enumerate(r61)])

# 6. RHEL 7.9 global OOM: zone lines, swap full, a child sacrificed for its parent; dmesg -x
def zone310(name, free, mn, low, high, aa, ia, af, if_, present, managed, shmem, sr, su, ks, pt):
    return ("Node 0 %s free:%dkB min:%dkB low:%dkB high:%dkB active_anon:%dkB inactive_anon:%dkB active_file:%dkB inactive_file:%dkB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:%dkB managed:%dkB mlocked:0kB dirty:0kB writeback:0kB mapped:%dkB shmem:%dkB slab_reclaimable:%dkB slab_unreclaimable:%dkB kernel_stack:%dkB pagetables:%dkB unstable:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? yes"
            % (name, free, mn, low, high, aa, ia, af, if_, present, managed, 0, shmem, sr, su, ks, pt))
g310 = [
 "stress invoked oom-killer: gfp_mask=0x280da, order=0, oom_score_adj=0",
 "stress cpuset=/ mems_allowed=0",
 "CPU: 1 PID: 2203 Comm: stress Not tainted 3.10.0-1160.el7.x86_64 #1",
 "Hardware name: Red Hat KVM, BIOS 0.5.1 01/01/2011",
 "Call Trace:",
 " [<ffffffff81781f6e>] dump_stack+0x19/0x1b",
 " [<ffffffff8177c8e1>] dump_header+0x90/0x229",
 " [<ffffffff811881c4>] oom_kill_process+0x2d4/0x4a0",
 " [<ffffffff81188922>] out_of_memory+0x4c2/0x510",
 " [<ffffffff8118f5fd>] __alloc_pages_nodemask+0xaad/0xbc0",
 " [<ffffffff811dc0b8>] alloc_pages_vma+0xa8/0x200",
 " [<ffffffff811bbf2d>] handle_mm_fault+0xb9d/0xfb0",
 " [<ffffffff8178f4e3>] __do_page_fault+0x213/0x4f0",
 " [<ffffffff8178f9f5>] do_page_fault+0x35/0x90",
 " [<ffffffff8178b778>] page_fault+0x28/0x30",
 "Mem-Info:",
 "active_anon:1620000 inactive_anon:405000 isolated_anon:0",
 " active_file:120 inactive_file:150 isolated_file:0",
 " unevictable:0 dirty:0 writeback:0 unstable:0",
 " slab_reclaimable:8000 slab_unreclaimable:12000",
 " mapped:200 shmem:2000 pagetables:5000 bounce:0",
 " free:21000 free_pcp:120 free_cma:0",
 zone310("DMA", 15908, 132, 164, 196, 0, 0, 0, 0, 15992, 15908, 0, 0, 0, 0, 0),
 "lowmem_reserve[]: 0 3036 7971 7971",
 zone310("DMA32", 32000, 26300, 32872, 39448, 2430000, 610000, 200, 300, 3129216, 3112000, 3000, 12000, 18000, 1200, 8000),
 "lowmem_reserve[]: 0 0 4935 4935",
 zone310("Normal", 36092, 42780, 53472, 64164, 4050000, 1010000, 280, 300, 5242880, 5053544, 5000, 20000, 30000, 2000, 12000),
 "lowmem_reserve[]: 0 0 0 0",
 "Node 0 DMA: 1*4kB (U) 0*8kB 0*16kB 1*32kB (U) 2*64kB (U) 1*128kB (U) 1*256kB (U) 0*512kB 1*1024kB (U) 1*2048kB (M) 3*4096kB (M) = 15908kB",
 "Node 0 DMA32: 200*4kB (UEM) 150*8kB (UEM) 90*16kB (UEM) 40*32kB (UEM) 20*64kB (UEM) 10*128kB (UM) 5*256kB (UM) 3*512kB (M) 2*1024kB (M) 1*2048kB (M) 4*4096kB (M) = 32000kB",
 "Node 0 Normal: 400*4kB (UEM) 300*8kB (UEM) 150*16kB (UEM) 80*32kB (UEM) 40*64kB (UM) 20*128kB (UM) 10*256kB (UM) 5*512kB (M) 2*1024kB (M) 1*2048kB (M) 3*4096kB (M) = 36092kB",
 "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
 "2270 total pagecache pages",
 "0 pages in swap cache",
 "Swap cache stats: add 524287, delete 524287, find 1200/1500",
 "Free swap  = 0kB",
 "Total swap = 2097148kB",
 "2097022 pages RAM",
 "0 pages HighMem/MovableOnly",
 "51570 pages reserved",
 "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name",
 task310(612, 0, 612, 39000, 1100, 80, 300, -1000, "systemd-udevd"),
 task310(1042, 0, 1042, 28000, 900, 60, 200, -1000, "sshd"),
 task310(2201, 0, 2201, 1800, 120, 9, 0, 0, "stress"),
 task310(2202, 0, 2202, 1050000, 950000, 1900, 280000, 0, "stress"),
 task310(2203, 0, 2203, 1050000, 880000, 1800, 240000, 0, "stress"),
 task310(2205, 0, 2205, 260000, 200000, 420, 4000, 0, "stress"),
 "Out of memory: Kill process 2202 (stress) score 590 or sacrifice child",
 "Killed process 2205 (stress), UID 0, total-vm:1040000kB, anon-rss:799600kB, file-rss:400kB, shmem-rss:0kB",
]
write("310-global-child-sacrifice.log", ["kern  :warn  : [%.6f] %s" % (88412.3 + i * 0.0011, l) for i, l in enumerate(g310)])

# 7. Ubuntu 22.04 (5.15.0-91-generic) global OOM: Node lines, zones, the 4.19+ summary, no swap; bare dmesg
g515 = [
 "ml-train invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0",
 "CPU: 7 PID: 9921 Comm: ml-train Tainted: P           O      5.15.0-91-generic #101-Ubuntu",
 "Hardware name: Dell Inc. Precision 5820 Tower/0X7TVR, BIOS 2.23.0 04/12/2022",
 "Call Trace:",
 " <TASK>",
 " show_stack+0x52/0x5c",
 " dump_stack_lvl+0x4a/0x63",
 " dump_stack+0x10/0x16",
 " dump_header+0x53/0x225",
 " oom_kill_process.cold+0xb/0x10",
 " out_of_memory+0x106/0x2e0",
 " __alloc_pages_slowpath.constprop.0+0x97a/0xa40",
 " __alloc_pages+0x30d/0x320",
 " alloc_pages_vma+0x9d/0x380",
 " do_anonymous_page+0xf2/0x3c0",
 " handle_pte_fault+0x1e8/0x230",
 " __handle_mm_fault+0x405/0x6f0",
 " handle_mm_fault+0xd8/0x2c0",
 " do_user_addr_fault+0x1c9/0x670",
 " exc_page_fault+0x77/0x170",
 " asm_exc_page_fault+0x27/0x30",
 " </TASK>",
 "Mem-Info:",
 "active_anon:1500 inactive_anon:3990000 isolated_anon:0",
 " active_file:300 inactive_file:280 isolated_file:0",
 " unevictable:4096 dirty:0 writeback:0",
 " slab_reclaimable:21000 slab_unreclaimable:26000",
 " mapped:9000 shmem:12000 pagetables:11000 bounce:0",
 " kernel_misc_reclaimable:0",
 " free:33000 free_pcp:500 free_cma:0",
 "Node 0 active_anon:6000kB inactive_anon:15960000kB active_file:1200kB inactive_file:1120kB unevictable:16384kB isolated(anon):0kB isolated(file):0kB mapped:36000kB dirty:0kB writeback:0kB shmem:48000kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:9000kB pagetables:44000kB all_unreclaimable? yes",
 "Node 0 DMA free:11264kB min:32kB low:44kB high:56kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB",
 "lowmem_reserve[]: 0 1837 15830 15830 15830",
 "Node 0 DMA32 free:63216kB min:3888kB low:5768kB high:7648kB reserved_highatomic:0KB active_anon:800kB inactive_anon:1850000kB active_file:100kB inactive_file:120kB unevictable:0kB writepending:0kB present:1965080kB managed:1899404kB mlocked:0kB bounce:0kB free_pcp:200kB local_pcp:0kB free_cma:0kB",
 "lowmem_reserve[]: 0 0 13993 13993 13993",
 "Node 0 Normal free:57520kB min:29624kB low:44012kB high:58400kB reserved_highatomic:2048KB active_anon:5200kB inactive_anon:14110000kB active_file:1100kB inactive_file:1000kB unevictable:16384kB writepending:0kB present:14798848kB managed:14329072kB mlocked:16384kB bounce:0kB free_pcp:1800kB local_pcp:200kB free_cma:0kB",
 "lowmem_reserve[]: 0 0 0 0 0",
 "Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 1*2048kB (M) 2*4096kB (M) = 11264kB",
 "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB",
 "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
 "16290 total pagecache pages",
 "0 pages in swap cache",
 "Swap cache stats: add 0, delete 0, find 0/0",
 "Free swap  = 0kB",
 "Total swap = 0kB",
 "4194980 pages RAM",
 "0 pages HighMem/MovableOnly",
 "107453 pages reserved",
 "0 pages hwpoisoned",
 "Tasks state (memory values in pages):",
 "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
 task5(1, 0, 1, 42000, 2600, 106496, 0, 0, "systemd"),
 task5(850, 0, 850, 70000, 5200, 200704, 0, -250, "systemd-journal"),
 task5(2404, 1000, 2404, 900000, 60000, 1400000, 0, 200, "gnome-shell"),
 task5(9921, 1000, 9921, 4400000, 3700300, 29900800, 0, 0, "ml-train"),
 "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-3.scope,task=ml-train,pid=9921,uid=1000",
 "Out of memory: Killed process 9921 (ml-train) total-vm:17600000kB, anon-rss:14800000kB, file-rss:1200kB, shmem-rss:0kB, UID:1000 pgtables:29200kB oom_score_adj:0",
]
write("515-global-no-swap.log", ["[%12.6f] %s" % (50233.1 + i * 0.0009, l) for i, l in enumerate(g515)])

# ---------------------------------------------------------------- damaged variants
def read(name):
    return open(os.path.join(OUT, name)).read().split('\n')[:-1]

# a terminal 80 columns wide: every longer line goes on in the next, without a prefix
wrapped = []
for l in read("310-memcg-deferred-fault.log"):
    while len(l) > 80:
        wrapped.append(l[:80]); l = l[80:]
    wrapped.append(l)
write("damaged-310-wrapped-80.log", wrapped)

# a report cut off in the middle of the memory.stat lines, then the next one cut at its head
lines54 = read("54-v1-memcg-write.log")
cut = [l for l in lines54[:lines54.index(next(x for x in lines54 if x.endswith("file_dirty 209715200")))]]
cut[-1] = cut[-1][:-4]
tail61 = read("61-v2-memcg-anon.log")
start = tail61.index(next(x for x in tail61 if "swap: usage" in x))
write("damaged-cut-reports.log", cut + tail61[start:])

# two hosts' syslog lines interleaved: worker-7's RHEL 8.1 report and legacy-2's RHEL 7 report
a = read("rhel81-memcg-read.log")
b = ["Jun  7 03:21:%02d legacy-2 kernel: %s" % (40 + i // 25, l) for i, l in enumerate(r310)]
mixed = []
for i in range(max(len(a), len(b))):
    if i < len(a): mixed.append(a[i])
    if i < len(b): mixed.append(b[i])
write("damaged-two-hosts-interleaved.log", mixed)

# noise inside a report: another driver's line, a truncated counter line, a frame with a remark,
# bytes that are not UTF-8 and CRLF line ends
n = read("rhel81-memcg-read.log")
k = n.index(next(x for x in n if "memory: usage" in x))
n.insert(k, n[k][:n[k].index("memory: usage")] + "memory: usage 20971")
n.insert(5, n[5][:n[5].index("kernel: ") + 8] + "IPv6: ADDRCONF(NETDEV_CHANGE): veth1c2e: link becomes ready")
f = n.index(next(x for x in n if "try_charge+" in x))
n[f] = n[f] + "   <-- the charge that failed"
with open(os.path.join(OUT, "damaged-noise-crlf.log"), 'wb') as fh:
    for i, l in enumerate(n):
        data = l.encode()
        if i == 12:
            data = data + b" \xff\xfe"
        fh.write(data + b"\r\n")

write("no-oom-report.log", [
 "[    0.000000] Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP",
 "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-5.15.0-91-generic root=/dev/sda1 ro quiet",
 "[    1.204511] EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
])
