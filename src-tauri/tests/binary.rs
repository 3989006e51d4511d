//! The desktop binary as the build made it: what its build script asked of the linker is in it.

/// The dynamic section's entries of an ELF64 little-endian program: (tag, value) pairs.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn dynamic_entries(elf: &[u8]) -> Vec<(u64, u64)> {
    let u16_at = |at: usize| u16::from_le_bytes(bytes(elf, at)) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(bytes(elf, at));
    let u64_at = |at: usize| u64::from_le_bytes(bytes(elf, at));
    assert_eq!(
        &elf[..6],
        b"\x7fELF\x02\x01",
        "not a 64-bit little-endian ELF program"
    );
    let (phoff, phentsize, phnum) = (u64_at(0x20) as usize, u16_at(0x36), u16_at(0x38));
    let dynamic = (0..phnum)
        .map(|i| phoff + i * phentsize)
        .find(|&ph| u32_at(ph) == 2) // PT_DYNAMIC
        .expect("the program has no dynamic section");
    let (offset, size) = (u64_at(dynamic + 8) as usize, u64_at(dynamic + 32) as usize);
    (offset..offset + size)
        .step_by(16)
        .map(|at| (u64_at(at), u64_at(at + 8)))
        .take_while(|&(tag, _)| tag != 0) // DT_NULL
        .collect()
}

/// The `N` bytes of `elf` at `at`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bytes<const N: usize>(elf: &[u8], at: usize) -> [u8; N] {
    elf.get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .expect("the program ends where its headers say there is more")
}

/// With packing on (src-tauri/build.rs), the loader's table of pointers to shift is the packed
/// one (DT_RELR) and the one-by-one table keeps only a few hundred entries (imported symbols),
/// not the 52,000 pointers whose 1.2 MB table was mapped all day.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_apps_relative_relocations_are_packed_when_the_build_packs_them() {
    if option_env!("TILL_PACKED_RELOCATIONS").is_none() {
        eprintln!(
            "this build does not pack relocations (see the build's warning): nothing to check"
        );
        return;
    }
    let elf = std::fs::read(env!("CARGO_BIN_EXE_till-desktop")).expect("the app's binary");
    let entries = dynamic_entries(&elf);
    let value = |tag: u64| entries.iter().find(|e| e.0 == tag).map(|e| e.1);
    assert!(
        value(36).is_some(),
        "no packed relocations (DT_RELR) in the app: {entries:x?}"
    );
    let one_by_one = value(8).unwrap_or(0) / 24; // DT_RELASZ over the size of one
    assert!(
        one_by_one < 2_000,
        "{one_by_one} relocations still listed one by one"
    );
}
