//! The one place Till tunes the C library's allocator (issue 18).
//!
//! glibc serves a block above its mmap threshold (128 KiB) with a mapping of its own, returned
//! to the system when freed, but it also *raises* that threshold to the size of each such block
//! freed, up to 32 MiB. After the first large report or list, blocks of that size come from the
//! arenas instead, and an arena gives back only what lies free at its very top. Over a long day
//! in the till (lists, reports, refunds, each built and freed on the async runtime's two
//! workers) the desktop process kept two arenas of about 21 MB each: 42 MB more after 500 of the
//! soak's sales, where the threshold fixed alike by `GLIBC_TUNABLES` kept it to 4 MB
//! (BENCHMARKS.md, "A long day").
//!
//! Setting the threshold by hand switches the raising off. Nothing else changes: small blocks
//! still come from the arenas, large ones are mapped and unmapped as glibc did before its first
//! raise. Elsewhere (Windows, musl) this does nothing.
//!
//! Small blocks freed below one still in use stay in the arena, counted as the process's own,
//! until [`give_back_free_pages`] asks glibc to hand back every whole free page: the desktop
//! shell does so a little after each page load (at start, and when the page renews itself
//! after a busy stretch).

/// glibc's own default, kept fixed: large blocks mapped apart and given back when freed.
pub const MMAP_THRESHOLD: usize = 128 * 1024;

/// Fixes glibc's mmap threshold at [`MMAP_THRESHOLD`]. Best called first thing in `main`, before
/// any large block is freed; calling it again changes nothing. Answers whether the allocator
/// took the setting (always `false` where glibc is not the allocator).
pub fn keep_large_blocks_apart() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // The threshold fits an int: glibc refuses values above 32 MiB on 64-bit anyway.
        let threshold = MMAP_THRESHOLD as libc::c_int;
        // SAFETY: mallopt only sets a parameter of glibc's allocator, under the allocator's own
        // lock; it reads no memory of ours and may be called at any time from any thread. It
        // answers 1 when the value was taken and 0 when refused.
        #[allow(unsafe_code)]
        let taken = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, threshold) };
        taken == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// Gives the pages the allocator holds free back to the system, and answers whether any went.
///
/// glibc returns by itself only what lies free at the very top of an arena. What is freed below
/// a block still in use (the many small answers of a page loading, a busy hour's sales and
/// lists) stays counted as the process's own until `malloc_trim` walks every arena and hands
/// back each whole free page: in the desktop process after 1,000 sales and a page loaded afresh,
/// 6 MB (BENCHMARKS.md, "A long day"). It takes each arena's lock in turn while it walks, so it
/// is for a moment of rest, never a hot path. Elsewhere (Windows, musl) this does nothing and
/// answers `false`.
pub fn give_back_free_pages() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks glibc's own arenas under their locks and advises the
        // kernel about pages inside free chunks; it reads no memory of ours. It answers 1 when
        // memory was released, 0 when there was none to release.
        #[allow(unsafe_code)]
        let released = unsafe { libc::malloc_trim(0) };
        released == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many blocks glibc holds in mappings of their own (not in an arena).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn mapped_blocks() -> usize {
        // SAFETY: mallinfo2 only reads the allocator's counters, under its lock.
        #[allow(unsafe_code)]
        let info = unsafe { libc::mallinfo2() };
        info.hblks
    }

    /// The whole story in one test (the counters are the process's, so no other test may
    /// allocate large blocks beside it): a 4 MiB block freed would have raised the threshold to
    /// 4 MiB, and the next 1 MiB block would have come from an arena; with the threshold fixed it
    /// is mapped apart, and given back when freed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_large_block_freed_leaves_the_next_one_mapped_apart() {
        use std::hint::black_box;
        assert!(keep_large_blocks_apart());
        assert!(keep_large_blocks_apart(), "a second call is taken as well");
        drop(black_box(Vec::<u8>::with_capacity(4 << 20)));
        let before = mapped_blocks();
        let next = black_box(Vec::<u8>::with_capacity(1 << 20));
        assert_eq!(
            mapped_blocks(),
            before + 1,
            "the 1 MiB block came from an arena"
        );
        drop(next);
        assert_eq!(mapped_blocks(), before);
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    #[test]
    fn elsewhere_nothing_is_done() {
        assert!(!keep_large_blocks_apart());
        assert!(!give_back_free_pages());
    }
}
