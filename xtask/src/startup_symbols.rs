//! `cargo xtask startup-symbols`: the list of functions the desktop app runs from its start to
//! the idle keypad, which its release build hands to the linker (`src-tauri/build.rs`) so that
//! this code lies side by side at the front of the binary.
//!
//! Why: the kernel maps a program's code in 64 KB runs around each page it touches. Left in the
//! compiler's order, the 3 MB Till runs at start is spread over most of its 13 MB of code, and
//! about 10.5 MB of it stays mapped at idle; grouped, 3.3 MB does (BENCHMARKS.md, "Memory").
//! The list names symbols, and a symbol's name carries a hash of its crate's build settings, so
//! it is made from, and applies to, the release build with the installer's features
//! (`tauri/custom-protocol`). A name the build no longer has is passed over by the linker: a
//! stale list costs memory, never a build; [`report`] says how stale it is.

use std::{
    collections::{BTreeSet, HashMap},
    fs,
    path::Path,
    process::{Command, ExitCode},
};

use crate::{
    cmd::{self, root, Error},
    headless::headless,
    tasks,
};

/// The list, relative to the root; `src-tauri/build.rs` names the same file.
const LIST: &str = "src-tauri/startup-symbols.txt";

/// What every mangled name of the shell's commands holds (`till_app::commands`): the page calls
/// several as the keypad shows, so a profile without one never reached the keypad.
const REACHED_THE_KEYPAD: &str = "8till_app8commands";

/// `cargo xtask startup-symbols`: release builds, the app profiled under callgrind from its start
/// to the idle keypad (`e2e/bench/profile.mjs`), then the list rewritten from the profile.
pub fn run() -> Result<ExitCode, Error> {
    let (target, out) = tasks::release_builds()?;
    let profile = out.join("startup.callgrind");
    // A profile left by an earlier run must not pass for this one.
    let _ = fs::remove_file(&profile);
    cmd::run(&mut headless(&tasks::bench_script(
        &target,
        &out,
        "profile",
        "startup.callgrind",
    )))?;
    let app = target.join("release/till-desktop");
    let callgrind = fs::read_to_string(&profile)
        .map_err(|e| format!("cannot read the profile {}: {e}", profile.display()))?;
    let startup = startup_code(&callgrind, "/till-desktop", &symbols_of(&app)?);
    if !startup
        .symbols
        .iter()
        .any(|s| s.contains(REACHED_THE_KEYPAD))
    {
        return Err(format!(
            "the profile in {} never reached the keypad: \
             none of the shell's commands ran; look at {}, and give the app longer with \
             TILL_PROFILE_S",
            profile.display(),
            out.join("profile-keypad.png").display()
        ));
    }
    let header = format!(
        "# The functions Till's desktop app runs from its start to the idle keypad, in the order\n\
         # of the build they were profiled from: written by `cargo xtask startup-symbols`, read by\n\
         # the linker through src-tauri/build.rs. {} functions, {:.2} MB of {:.2} MB of code.\n",
        startup.symbols.len(),
        startup.bytes as f64 / 1e6,
        startup.code_bytes as f64 / 1e6
    );
    let list = root().join(LIST);
    fs::write(&list, header + &startup.symbols.join("\n") + "\n")
        .map_err(|e| format!("cannot write {}: {e}", list.display()))?;
    println!(
        "{}: {} functions, {:.1} MB of the binary's {:.1} MB of code",
        list.display(),
        startup.symbols.len(),
        startup.bytes as f64 / 1e6,
        startup.code_bytes as f64 / 1e6
    );
    Ok(ExitCode::SUCCESS)
}

/// How much of the list the release build at `app` still has, and whether the linker grouped
/// it, printed beside the memory figures: the further below all, the more of the code run at
/// start is scattered again, and the list wants `cargo xtask startup-symbols`. It sees names
/// gone, not code run at start that is new since the list was made: after a large change, make
/// the list again.
pub fn report(app: &Path) -> Result<(), Error> {
    let list = root().join(LIST);
    let text =
        fs::read_to_string(&list).map_err(|e| format!("cannot read {}: {e}", list.display()))?;
    println!("startup symbols: {}", freshness(&text, &symbols_of(app)?));
    Ok(())
}

/// How much of the list `text` a build with `functions` has, and whether they lie side by side
/// (their span at most twice their size): a build the linker did not order has them all, spread.
fn freshness(text: &str, functions: &HashMap<String, (u64, u64)>) -> String {
    let listed: Vec<&str> = listed(text).collect();
    let found: Vec<(u64, u64)> = listed
        .iter()
        .filter_map(|s| functions.get(*s))
        .copied()
        .collect();
    let size: u64 = found.iter().map(|f| f.1).sum();
    let span = found.iter().map(|f| f.0 + f.1).max().unwrap_or(0)
        - found.iter().map(|f| f.0).min().unwrap_or(0);
    let mut line = format!(
        "{} of the {} listed are in this build, in {:.2} MB",
        found.len(),
        listed.len(),
        span as f64 / 1e6
    );
    if found.len() * 10 < listed.len() * 9 {
        line.push_str(" (under 90 %: run `cargo xtask startup-symbols`)");
    }
    if span > 2 * size {
        line.push_str(
            " (not side by side: the linker did not take the list; see the build's warnings)",
        );
    }
    line
}

/// The names in a symbol list, as LLD reads it: a line each, trimmed, a line starting with `#`
/// a comment.
fn listed(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Every function defined in the binary at `path` (from `nm`): name → (address, size).
fn symbols_of(path: &Path) -> Result<HashMap<String, (u64, u64)>, Error> {
    let nm = cmd::output(
        Command::new("nm")
            .args(["--defined-only", "--print-size"])
            .arg(path),
    )
    .ok_or_else(|| format!("`nm` could not read {}", path.display()))?;
    Ok(functions(&nm))
}

/// The functions in `nm --defined-only --print-size` output: name → (address, size). A name
/// defined twice (two local functions of one name) keeps the lower address and both sizes.
fn functions(nm: &str) -> HashMap<String, (u64, u64)> {
    let mut out: HashMap<String, (u64, u64)> = HashMap::new();
    for line in nm.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [address, size, kind, name] = fields[..] else {
            continue;
        };
        if !matches!(kind, "t" | "T" | "w" | "W") {
            continue;
        }
        let (Ok(address), Ok(size)) = (
            u64::from_str_radix(address, 16),
            u64::from_str_radix(size, 16),
        ) else {
            continue;
        };
        let entry = out.entry(name.to_string()).or_insert((address, 0));
        entry.0 = entry.0.min(address);
        entry.1 += size;
    }
    out
}

/// The code run at start, as the list holds it.
#[derive(Debug, PartialEq)]
struct Startup {
    /// The functions run, in the binary's order: grouped, they keep their neighbours.
    symbols: Vec<String>,
    /// Their size.
    bytes: u64,
    /// The size of all the binary's functions.
    code_bytes: u64,
}

/// The functions of the object whose path ends in `object` that ran in a callgrind profile
/// (`--compress-strings=no`, mangled names), those `nm` finds in the binary, in its order.
fn startup_code(callgrind: &str, object: &str, functions: &HashMap<String, (u64, u64)>) -> Startup {
    let mut ran = BTreeSet::new();
    let mut in_object = false;
    for line in callgrind.lines() {
        if let Some(ob) = line.strip_prefix("ob=") {
            in_object = ob.trim_end().ends_with(object);
        } else if let Some(name) = line.strip_prefix("fn=") {
            // Callgrind marks a recursive call's cycle as `name'2`.
            let name = name.trim_end();
            let name = name.rsplit_once('\'').map_or(name, |(n, depth)| {
                if depth.chars().all(|c| c.is_ascii_digit()) {
                    n
                } else {
                    name
                }
            });
            if in_object && functions.contains_key(name) {
                ran.insert(name);
            }
        }
    }
    let mut symbols: Vec<&str> = ran.into_iter().collect();
    symbols.sort_by_key(|s| functions[*s].0);
    Startup {
        bytes: symbols.iter().map(|s| functions[*s].1).sum(),
        code_bytes: functions.values().map(|f| f.1).sum(),
        symbols: symbols.into_iter().map(str::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{freshness, functions, listed, startup_code};

    const NM: &str = "\
0000000000401000 0000000000000040 T main
0000000000401040 0000000000000040 t next_to_main
0000000000402000 0000000000000100 t _RNvCs1_4till8app_info
0000000000401800 0000000000000020 t sqlite3Prepare
0000000000403000 0000000000001000 T never_run
0000000000405000 0000000000000030 t dup
0000000000404000 0000000000000010 t dup
0000000000406000 D data_without_size
0000000000407000 0000000000000008 D DATA
                 U malloc@GLIBC_2.2.5
";

    #[test]
    fn functions_are_read_from_nm_with_their_sizes() {
        let f = functions(NM);
        assert_eq!(f.len(), 6);
        assert_eq!(f["main"], (0x401000, 0x40));
        assert_eq!(
            f["dup"],
            (0x404000, 0x40),
            "a name defined twice keeps both sizes"
        );
        assert!(!f.contains_key("DATA"), "data is not code");
        assert!(!f.contains_key("malloc@GLIBC_2.2.5"));
    }

    #[test]
    fn the_functions_run_in_the_binary_are_listed_in_its_order() {
        let profile = "\
version: 1
events: Ir
ob=/usr/lib/x86_64-linux-gnu/libc.so.6
fn=main
1 5
ob=/work/target/release/till-desktop
fn=_RNvCs1_4till8app_info
1 10
cob=/usr/lib/x86_64-linux-gnu/libc.so.6
cfn=memcpy
calls=1 0
1 3
fn=main
2 1
fn=sqlite3Prepare'2
3 4
fn=inlined_away
4 1
ob=/work/target/release/till-desktop-other
fn=never_run
";
        let s = startup_code(profile, "/till-desktop", &functions(NM));
        assert_eq!(
            s.symbols,
            ["main", "sqlite3Prepare", "_RNvCs1_4till8app_info"],
            "run in the binary only, the cycle mark dropped, by address"
        );
        assert_eq!(s.bytes, 0x40 + 0x20 + 0x100);
        assert_eq!(s.code_bytes, 0x40 + 0x40 + 0x100 + 0x20 + 0x1000 + 0x40);
    }

    #[test]
    fn the_report_says_when_the_list_is_stale_or_was_not_taken() {
        let f = functions(NM);
        let grouped = "main\nnext_to_main\n";
        assert_eq!(
            freshness(grouped, &f),
            "2 of the 2 listed are in this build, in 0.00 MB"
        );
        let stale = "main\ngone_1\ngone_2\n";
        assert!(
            freshness(stale, &f).contains("1 of the 3 listed")
                && freshness(stale, &f).contains("under 90 %")
        );
        // main (0x40 bytes at 0x401000) and the 0x100 bytes at 0x402000: spread over 0x1100.
        let spread = "main\n_RNvCs1_4till8app_info\n";
        assert!(freshness(spread, &f).contains("not side by side"));
        assert!(!freshness(spread, &f).contains("under 90 %"));
    }

    #[test]
    fn the_list_is_read_as_the_linker_reads_it() {
        let text = "# a header\n\n  main  \n  # indented\nsqlite3Prepare\n#\n";
        assert_eq!(listed(text).collect::<Vec<_>>(), ["main", "sqlite3Prepare"]);
    }
}
