package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.CallSite;
import java.util.ArrayList;
import java.util.List;

/** The call traces a 4.18.0-147 OOM report shows for each path into the allocator or try_charge. */
final class CallTrace {
    private CallTrace() {}

    private static final List<String> FAULT =
            List.of("__handle_mm_fault", "handle_mm_fault", "__do_page_fault", "do_page_fault", "page_fault");
    private static final List<String> WRITE =
            List.of("new_sync_write", "vfs_write", "ksys_write", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");

    /** The frames below the charge or allocation for a call site. */
    static List<String> below(CallSite site) {
        return switch (site) {
            case ANON_FAULT -> concat(List.of("do_anonymous_page"), FAULT);
            case SWAPIN_FAULT -> concat(List.of("do_swap_page"), FAULT);
            case FILE_FAULT -> concat(List.of("filemap_fault", "ext4_filemap_fault", "__do_fault", "do_fault"), FAULT);
            case SHMEM_FAULT -> concat(List.of("shmem_getpage_gfp", "shmem_fault", "__do_fault", "do_fault"), FAULT);
            case FILE_READ ->
                List.of(
                        "generic_file_buffered_read",
                        "generic_file_read_iter",
                        "ext4_file_read_iter",
                        "new_sync_read",
                        "vfs_read",
                        "ksys_read",
                        "do_syscall_64",
                        "entry_SYSCALL_64_after_hwframe");
            case FILE_WRITE ->
                concat(
                        List.of(
                                "pagecache_get_page",
                                "grab_cache_page_write_begin",
                                "ext4_da_write_begin",
                                "generic_perform_write",
                                "__generic_file_write_iter",
                                "ext4_file_write_iter"),
                        WRITE);
            case SHMEM_WRITE ->
                concat(
                        List.of(
                                "shmem_getpage_gfp",
                                "shmem_write_begin",
                                "generic_perform_write",
                                "__generic_file_write_iter",
                                "generic_file_write_iter"),
                        WRITE);
            case SHMEM_READ ->
                List.of(
                        "shmem_getpage_gfp",
                        "shmem_file_read_iter",
                        "new_sync_read",
                        "vfs_read",
                        "ksys_read",
                        "do_syscall_64",
                        "entry_SYSCALL_64_after_hwframe");
            case KNOB_WRITE ->
                concat(
                        List.of("memory_max_write", "cgroup_file_write", "kernfs_fop_write", "__vfs_write"),
                        List.of("vfs_write", "ksys_write", "do_syscall_64", "entry_SYSCALL_64_after_hwframe"));
        };
    }

    /** The charge frames between try_charge and the call site. */
    static List<String> charge(CallSite site) {
        return switch (site) {
            case ANON_FAULT, SWAPIN_FAULT, SHMEM_FAULT, SHMEM_WRITE, SHMEM_READ ->
                List.of("try_charge", "mem_cgroup_try_charge", "mem_cgroup_try_charge_delay");
            case FILE_FAULT, FILE_READ, FILE_WRITE ->
                List.of("try_charge", "mem_cgroup_try_charge", "__add_to_page_cache_locked", "add_to_page_cache_lru");
            case KNOB_WRITE -> List.of();
        };
    }

    static List<String> concat(List<String> a, List<String> b) {
        var out = new ArrayList<String>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
