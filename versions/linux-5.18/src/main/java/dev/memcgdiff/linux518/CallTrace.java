package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.CallSite;
import java.util.ArrayList;
import java.util.List;

/**
 * The call traces a 5.18 OOM report shows (x86-64, frames without offsets, inlined static
 * functions folded into their callers as the unwinder shows them): the OOM killer's frames,
 * the charge or allocation frames, and the path from user space.
 */
final class CallTrace {
    private CallTrace() {}

    private static final List<String> FAULT = List.of(
            "__handle_mm_fault", "handle_mm_fault", "do_user_addr_fault", "exc_page_fault", "asm_exc_page_fault");
    private static final List<String> READ =
            List.of("new_sync_read", "vfs_read", "ksys_read", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
    private static final List<String> WRITE =
            List.of("new_sync_write", "vfs_write", "ksys_write", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");

    /** The frames from the OOM killer down to the report. */
    static final List<String> OOM = List.of("dump_stack_lvl", "dump_header", "oom_kill_process.cold", "out_of_memory");

    /** A memcg OOM: from mem_cgroup_out_of_memory through the charge to user space. */
    static List<String> memcgOom(CallSite site) {
        List<String> frames = new ArrayList<>(OOM);
        frames.add("mem_cgroup_out_of_memory");
        if (site != CallSite.KNOB_WRITE) {
            frames.addAll(List.of("try_charge_memcg", "charge_memcg"));
        }
        frames.addAll(chargeCaller(site));
        frames.addAll(below(site));
        return List.copyOf(frames);
    }

    /** A global OOM: from the page allocator's slow path to user space. */
    static List<String> globalOom(CallSite site) {
        List<String> frames = new ArrayList<>(OOM);
        frames.addAll(List.of("__alloc_pages_slowpath.constprop.0", "__alloc_pages"));
        frames.addAll(allocCaller(site));
        frames.addAll(below(site));
        return List.copyOf(frames);
    }

    /** Between charge_memcg and the path's own frames. */
    private static List<String> chargeCaller(CallSite site) {
        return switch (site) {
            case ANON_FAULT -> List.of("__mem_cgroup_charge");
            case SWAPIN_FAULT ->
                List.of(
                        "mem_cgroup_swapin_charge_page",
                        "__read_swap_cache_async",
                        "swap_cluster_readahead",
                        "swapin_readahead");
            case FILE_READ -> List.of("__mem_cgroup_charge", "__filemap_add_folio", "filemap_add_folio");
            case FILE_FAULT, FILE_WRITE ->
                List.of("__mem_cgroup_charge", "__filemap_add_folio", "filemap_add_folio", "__filemap_get_folio");
            case SHMEM_FAULT, SHMEM_WRITE, SHMEM_READ -> List.of("__mem_cgroup_charge", "shmem_add_to_page_cache");
            case KNOB_WRITE -> List.of();
        };
    }

    /** Between __alloc_pages and the path's own frames. */
    private static List<String> allocCaller(CallSite site) {
        return switch (site) {
            case ANON_FAULT, SWAPIN_FAULT, SHMEM_FAULT, SHMEM_WRITE, SHMEM_READ -> List.of("alloc_pages_vma");
            case FILE_READ -> List.of("folio_alloc", "filemap_alloc_folio");
            case FILE_FAULT, FILE_WRITE -> List.of("folio_alloc", "filemap_alloc_folio", "__filemap_get_folio");
            case KNOB_WRITE -> List.of();
        };
    }

    /** The frames of the path itself, down to the entry from user space. */
    static List<String> below(CallSite site) {
        List<String> frames = new ArrayList<>();
        switch (site) {
            case ANON_FAULT -> {
                frames.add("do_anonymous_page");
                frames.addAll(FAULT);
            }
            case SWAPIN_FAULT -> {
                frames.add("do_swap_page");
                frames.addAll(FAULT);
            }
            case FILE_FAULT -> {
                frames.addAll(List.of("filemap_fault", "__do_fault", "do_read_fault", "do_fault"));
                frames.addAll(FAULT);
            }
            case SHMEM_FAULT -> {
                frames.addAll(List.of("shmem_getpage_gfp", "shmem_fault", "__do_fault", "do_read_fault", "do_fault"));
                frames.addAll(FAULT);
            }
            case FILE_READ -> {
                frames.addAll(
                        List.of("filemap_create_folio", "filemap_get_pages", "filemap_read", "ext4_file_read_iter"));
                frames.addAll(READ);
            }
            case FILE_WRITE -> {
                frames.addAll(List.of(
                        "pagecache_get_page",
                        "grab_cache_page_write_begin",
                        "ext4_da_write_begin",
                        "generic_perform_write",
                        "ext4_buffered_write_iter",
                        "ext4_file_write_iter"));
                frames.addAll(WRITE);
            }
            case SHMEM_WRITE -> {
                frames.addAll(List.of(
                        "shmem_getpage_gfp",
                        "shmem_write_begin",
                        "generic_perform_write",
                        "__generic_file_write_iter",
                        "generic_file_write_iter"));
                frames.addAll(WRITE);
            }
            case SHMEM_READ -> {
                frames.addAll(List.of("shmem_getpage_gfp", "shmem_file_read_iter"));
                frames.addAll(READ);
            }
            case KNOB_WRITE -> {
                frames.addAll(List.of("memory_max_write", "cgroup_file_write", "kernfs_fop_write_iter"));
                frames.addAll(WRITE);
            }
        }
        return frames;
    }
}
