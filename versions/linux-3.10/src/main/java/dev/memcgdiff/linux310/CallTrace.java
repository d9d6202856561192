package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.CallSite;
import java.util.ArrayList;
import java.util.List;

/**
 * The call traces a 3.10.0-1160 OOM report shows. A memcg OOM is always killed at the end of a
 * page fault, so its stack is the same whatever charge failed; a global OOM shows the
 * allocation's own path.
 */
final class CallTrace {
    private static final List<String> HEAD = List.of("dump_stack", "dump_header", "oom_kill_process");
    private static final List<String> FAULT =
            List.of("handle_pte_fault", "handle_mm_fault", "__do_page_fault", "do_page_fault", "page_fault");
    private static final List<String> FAULT_END =
            List.of("pagefault_out_of_memory", "mm_fault_error", "__do_page_fault", "do_page_fault", "page_fault");
    private static final List<String> READ = List.of("do_sync_read", "vfs_read", "SyS_read", "system_call_fastpath");
    private static final List<String> WRITE =
            List.of("do_sync_write", "vfs_write", "SyS_write", "system_call_fastpath");

    private CallTrace() {}

    /** mem_cgroup_oom_synchronize from pagefault_out_of_memory. */
    static List<String> memcgOom() {
        return concat(HEAD, List.of("mem_cgroup_oom_synchronize"), FAULT_END);
    }

    /** out_of_memory from pagefault_out_of_memory (a fault failed and no memcg OOM was recorded). */
    static List<String> pagefaultGlobalOom() {
        return concat(HEAD, List.of("out_of_memory"), FAULT_END);
    }

    /** out_of_memory from __alloc_pages_slowpath, below the path that allocated. */
    static List<String> allocatorOom(CallSite site) {
        return concat(HEAD, List.of("out_of_memory", "__alloc_pages_nodemask"), allocation(site));
    }

    private static List<String> allocation(CallSite site) {
        return switch (site) {
            case ANON_FAULT -> concat(List.of("alloc_pages_vma"), FAULT, List.of());
            case SWAPIN_FAULT ->
                concat(List.of("alloc_pages_vma", "read_swap_cache_async", "swapin_readahead"), FAULT, List.of());
            case FILE_FAULT ->
                concat(
                        List.of("alloc_pages_current", "__page_cache_alloc", "filemap_fault", "__do_fault"),
                        FAULT,
                        List.of());
            case SHMEM_FAULT ->
                concat(
                        List.of(
                                "alloc_pages_vma",
                                "shmem_alloc_page",
                                "shmem_getpage_gfp",
                                "shmem_fault",
                                "__do_fault"),
                        FAULT,
                        List.of());
            case FILE_READ ->
                concat(List.of("alloc_pages_current", "__page_cache_alloc", "generic_file_aio_read"), READ, List.of());
            case FILE_WRITE ->
                concat(
                        List.of(
                                "alloc_pages_current",
                                "__page_cache_alloc",
                                "grab_cache_page_write_begin",
                                "ext4_da_write_begin",
                                "generic_file_buffered_write",
                                "__generic_file_aio_write",
                                "generic_file_aio_write",
                                "ext4_file_write"),
                        WRITE,
                        List.of());
            case SHMEM_WRITE ->
                concat(
                        List.of(
                                "alloc_pages_vma",
                                "shmem_alloc_page",
                                "shmem_getpage_gfp",
                                "shmem_write_begin",
                                "generic_file_buffered_write",
                                "__generic_file_aio_write",
                                "generic_file_aio_write"),
                        WRITE,
                        List.of());
            case SHMEM_READ ->
                concat(
                        List.of("alloc_pages_vma", "shmem_alloc_page", "shmem_getpage_gfp", "shmem_file_aio_read"),
                        READ,
                        List.of());
            case KNOB_WRITE ->
                concat(List.of("mem_cgroup_write", "cgroup_file_write"), WRITE.subList(1, WRITE.size()), List.of());
        };
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return List.copyOf(out);
    }
}
