//! Free pages in the middle of an arena go back to the system only when asked. A process of its
//! own (an integration test): it reads its own resident memory, which no other test may move.

#![cfg(all(target_os = "linux", target_env = "gnu"))]
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

/// This process's resident memory in bytes (the kernel's own count in kB, whatever the page size).
fn resident() -> usize {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap();
    let kb: usize = rollup
        .lines()
        .find_map(|l| l.strip_prefix("Rss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// A linked chain of small blocks, each below the mmap threshold, so they all come from an
/// arena; dropped from the head in a loop (a recursive drop of 100,000 links would overflow
/// the stack).
struct Link {
    _fill: [u8; 480],
    next: Option<Box<Link>>,
}

fn chain(n: usize) -> Option<Box<Link>> {
    let mut head = None;
    for i in 0..n {
        head = Some(Box::new(Link {
            _fill: [i as u8; 480],
            next: head,
        }));
    }
    head
}

fn drop_chain(mut head: Option<Box<Link>>) {
    while let Some(mut link) = head {
        head = link.next.take();
    }
}

#[test]
fn small_blocks_freed_below_one_in_use_go_back_only_when_asked() {
    const MIB: usize = 1 << 20;
    // About 48 MiB of small blocks, then one more on top of them that stays in use.
    let blocks = black_box(chain(100_000));
    let on_top = black_box(chain(1));
    let full = resident();
    drop_chain(blocks);
    // glibc kept the freed space: it lies below a block in use.
    let kept = resident();
    assert!(
        kept + 8 * MIB > full,
        "glibc gave {} MiB back by itself",
        (full - kept) / MIB
    );
    assert!(
        till_malloc::give_back_free_pages(),
        "malloc_trim found nothing to give back"
    );
    let given = kept.saturating_sub(resident());
    assert!(
        given > 32 * MIB,
        "only {} MiB went back of about 48",
        given / MIB
    );
    drop_chain(on_top);
}
