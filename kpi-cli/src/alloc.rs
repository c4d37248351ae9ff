//! The `kpi` command's memory allocator: the system allocator, with large
//! blocks marked for transparent huge pages on Linux.
//!
//! A national load builds a few hundred megabytes of tables in a few large
//! vectors. Touched 4 KiB at a time, that memory costs one page fault per
//! page: about 165,000 faults, a third of the load's CPU time in the kernel.
//! Marked with `madvise(MADV_HUGEPAGE)`, the same memory comes in 2 MiB pages
//! (about 37,000 faults), which is worth about a sixth of the load's wall
//! time (docs/data.md). Only blocks of [`HUGE_FROM`] bytes or more are
//! marked, so small allocations keep their pages and the peak memory stays
//! the same. Where the kernel's huge pages are off (`never`) the mark does
//! nothing; on other systems this is the system allocator unchanged.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large are marked for huge pages: a few times the
/// 2 MiB huge page, so that a block's rounding to whole huge pages is small.
pub const HUGE_FROM: usize = 4 << 20;

/// The size of a transparent huge page on x86-64 and (with 4 KiB base pages) AArch64.
const HUGE_PAGE: usize = 2 << 20;

/// The system allocator, marking large blocks for transparent huge pages.
///
/// ```ignore
/// #[global_allocator]
/// static GLOBAL: HugePages = HugePages;
/// ```
pub struct HugePages;

/// The whole huge pages inside the block at `addr` of `size` bytes, as
/// `(start, length)`: only memory the block owns is marked, never a
/// neighbour's. `None` for a block too small to hold one.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn huge_pages_within(addr: usize, size: usize) -> Option<(usize, usize)> {
    if size < HUGE_FROM {
        return None;
    }
    let start = addr.checked_add(HUGE_PAGE - 1)? & !(HUGE_PAGE - 1);
    let end = addr.checked_add(size)? & !(HUGE_PAGE - 1);
    (end > start).then(|| (start, end - start))
}

#[cfg(target_os = "linux")]
fn mark(ptr: *mut u8, size: usize) {
    if ptr.is_null() {
        return;
    }
    if let Some((start, len)) = huge_pages_within(ptr as usize, size) {
        // SAFETY: the range lies inside a block this allocator just handed
        // out (or resized), so no other owner's memory is touched, and
        // MADV_HUGEPAGE only changes how the kernel backs the pages: their
        // contents stay. A failure (huge pages unsupported) is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn mark(_ptr: *mut u8, _size: usize) {}

// SAFETY: every call is passed to the system allocator unchanged; `mark`
// only advises the kernel about memory inside the block returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is System's.
        let ptr = unsafe { System.alloc(layout) };
        mark(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        mark(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from System through this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from System through this allocator with `layout`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        mark(new, new_size);
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_huge_pages_inside_the_block_are_marked() {
        const MIB: usize = 1 << 20;
        // Below the threshold: nothing.
        assert_eq!(huge_pages_within(0, HUGE_FROM - 1), None);
        // Aligned start: 4 MiB holds two huge pages.
        assert_eq!(
            huge_pages_within(16 * MIB, 4 * MIB),
            Some((16 * MIB, 4 * MIB))
        );
        // Unaligned start 16 MiB + 4 KiB, 5 MiB long (ends at 21 MiB + 4 KiB):
        // the pages at 18 and 20 MiB would not fit whole, only 18..20.
        assert_eq!(
            huge_pages_within(16 * MIB + 4096, 5 * MIB),
            Some((18 * MIB, 2 * MIB))
        );
        // 4 MiB from 1 MiB: 2..4 only (the page at 4 MiB ends past the block).
        assert_eq!(huge_pages_within(MIB, 4 * MIB), Some((2 * MIB, 2 * MIB)));
        // At the top of the address space: no overflow.
        assert_eq!(huge_pages_within(usize::MAX - MIB, 8 * MIB), None);
    }

    #[test]
    fn blocks_keep_their_contents_through_growth() {
        let layout = Layout::from_size_align(HUGE_FROM, 8).unwrap();
        // SAFETY: a fresh block of `layout`, written within its size, grown
        // and freed with the layout it then has.
        unsafe {
            let p = HugePages.alloc(layout);
            assert!(!p.is_null());
            for i in 0..HUGE_FROM {
                *p.add(i) = (i % 251) as u8;
            }
            let q = HugePages.realloc(p, layout, 3 * HUGE_FROM);
            assert!(!q.is_null());
            assert!((0..HUGE_FROM).all(|i| *q.add(i) == (i % 251) as u8));
            HugePages.dealloc(q, Layout::from_size_align(3 * HUGE_FROM, 8).unwrap());
            let z = HugePages.alloc_zeroed(layout);
            assert!((0..HUGE_FROM).all(|i| *z.add(i) == 0));
            HugePages.dealloc(z, layout);
        }
    }

    /// The flags of the mapping holding `addr`, from `/proc/self/smaps`.
    #[cfg(target_os = "linux")]
    fn flags_at(addr: usize) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_whitespace().next().unwrap_or("");
            if let Some((a, b)) = range.split_once('-') {
                if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
                {
                    inside = a <= addr && addr < b;
                    continue;
                }
            }
            if inside {
                if let Some(flags) = line.strip_prefix("VmFlags:") {
                    return Some(flags.trim().to_string());
                }
            }
        }
        None
    }

    #[cfg(target_os = "linux")]
    fn marked(addr: usize) -> bool {
        let flags = flags_at(addr).expect("the address is mapped");
        flags.split(' ').any(|f| f == "hg")
    }

    /// The kernel's own record of the mark: the mapping holding a large
    /// block carries the `hg` flag in `/proc/self/smaps`, and a fresh
    /// mapping does not until marked.
    #[cfg(target_os = "linux")]
    #[test]
    fn large_blocks_are_marked_for_huge_pages() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            eprintln!("this kernel has no transparent huge pages: nothing to mark");
            return;
        }
        let size = 4 * HUGE_FROM;
        // SAFETY: a private anonymous mapping of our own, unmapped at the end.
        unsafe {
            let fresh = libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(fresh, libc::MAP_FAILED);
            let (start, _) = huge_pages_within(fresh as usize, size).unwrap();
            assert!(!marked(start), "a fresh mapping is not marked");
            mark(fresh.cast(), size);
            assert!(marked(start), "marked by `mark`");
            libc::munmap(fresh, size);

            let layout = Layout::from_size_align(size, 8).unwrap();
            let big = HugePages.alloc(layout);
            let (start, _) = huge_pages_within(big as usize, size).unwrap();
            assert!(marked(start), "a large block of the allocator is marked");
            HugePages.dealloc(big, layout);
        }
    }
}
