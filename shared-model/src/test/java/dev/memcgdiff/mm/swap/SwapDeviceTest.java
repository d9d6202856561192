package dev.memcgdiff.mm.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * swap_info_struct: swap_map reference counts with SWAP_HAS_CACHE (get_swap_page,
 * swap_duplicate, swap_free, swapcache_free in mm/swapfile.c), the swap cache and swap_cgroup.
 * A slot is free only when no page table or shmem entry refers to it and no page caches it.
 */
class SwapDeviceTest {
    @Test
    void aFreshDeviceHandsOutTheLowestSlotFirstWithSwapHasCache() {
        SwapDevice swap = new SwapDevice(4);
        assertThat(swap.slots()).isEqualTo(4);
        assertThat(swap.free()).isEqualTo(4);

        int slot = swap.allocate();

        assertThat(slot).isZero();
        assertThat(swap.hasCache(slot)).isTrue();
        assertThat(swap.count(slot)).isZero();
        assertThat(swap.inuse()).isEqualTo(1);
        assertThat(swap.free()).isEqualTo(3);
        assertThat(swap.allocate()).isEqualTo(1);
    }

    @Test
    void aFullDeviceHasNoSlot() {
        SwapDevice swap = new SwapDevice(2);
        swap.allocate();
        swap.allocate();
        assertThat(swap.allocate()).isEqualTo(-1);
        assertThat(swap.free()).isZero();
        assertThat(new SwapDevice(0).allocate()).as("no swap device").isEqualTo(-1);
    }

    @Test
    void aSlotLivesWhileReferencedOrCached() {
        SwapDevice swap = new SwapDevice(4);
        int slot = swap.allocate();
        swap.setCachePfn(slot, 77);
        swap.dup(slot);
        swap.dup(slot);

        assertThat(swap.dropCache(slot)).as("two references remain").isFalse();
        assertThat(swap.cachePfn(slot)).isEqualTo(-1);
        assertThat(swap.hasCache(slot)).isFalse();
        assertThat(swap.put(slot)).isFalse();
        assertThat(swap.inuse()).isEqualTo(1);

        assertThat(swap.put(slot)).as("the last reference frees it").isTrue();
        assertThat(swap.inuse()).isZero();
        assertThat(swap.allocate()).as("a freed slot is reused").isEqualTo(slot);
    }

    @Test
    void droppingTheCacheOfAnUnreferencedSlotFreesIt() {
        SwapDevice swap = new SwapDevice(4);
        int slot = swap.allocate();
        swap.setCachePfn(slot, 5);
        assertThat(swap.dropCache(slot)).isTrue();
        assertThat(swap.inuse()).isZero();
    }

    @Test
    void freeingASlotHandsBackTheSlotAndItsRecordsToTheCaller() {
        // swap_entry_free: the caller (SwapCache) uncharges the swap_cgroup record and clears the
        // shadow (clear_shadow_from_swap_cache); the device only returns the slot to the free list.
        SwapDevice swap = new SwapDevice(4);
        int slot = swap.allocate();
        swap.setShadow(slot, 9);
        swap.setSwapCgroup(slot, 3);
        swap.dup(slot);
        swap.dropCache(slot);

        assertThat(swap.put(slot)).isTrue();

        assertThat(swap.inuse()).isZero();
        assertThat(swap.swapCgroup(slot))
                .as("for mem_cgroup_uncharge_swap to read")
                .isEqualTo(3);
        assertThat(swap.takeShadow(slot)).isEqualTo(9);
        assertThat(swap.peekShadow(slot)).isEqualTo(-1);
    }

    @Test
    void swapCgroupRecordsTheOwnerWhileTheSlotIsInUse() {
        // swap_cgroup_record: the id stays until mem_cgroup_uncharge_swap takes it back.
        SwapDevice swap = new SwapDevice(4);
        int slot = swap.allocate();
        swap.setSwapCgroup(slot, 3);
        swap.dup(slot);
        swap.dropCache(slot);
        assertThat(swap.swapCgroup(slot)).isEqualTo(3);
        swap.setSwapCgroup(slot, 0);
        assertThat(swap.swapCgroup(slot)).isZero();
    }

    @Test
    void aShadowIsTakenOnce() {
        SwapDevice swap = new SwapDevice(2);
        assertThat(swap.takeShadow(0)).isEqualTo(-1);
        swap.setShadow(0, 4);
        assertThat(swap.takeShadow(0)).isEqualTo(4);
        assertThat(swap.takeShadow(0)).isEqualTo(-1);
    }

    @Test
    void swapIsFullAboveHalf() {
        // vm_swap_full: nr_swap_pages * 2 < total_swap_pages, i.e. more than half in use.
        SwapDevice swap = new SwapDevice(4);
        swap.allocate();
        swap.allocate();
        assertThat(swap.full()).isFalse();
        swap.allocate();
        assertThat(swap.full()).isTrue();
    }

    @Test
    void freeingAnUnusedSlotIsABug() {
        SwapDevice swap = new SwapDevice(2);
        int slot = swap.allocate();
        assertThatThrownBy(() -> swap.put(slot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("slot " + slot);
    }
}
