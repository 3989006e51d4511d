//! The one-screen summary `cargo xtask test` ends with: each suite, its outcome, its counts, its
//! time. Counts are read from each runner's own closing lines.

use std::time::Duration;

/// Test counts of one suite.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Skipped(String),
}

/// One line of the summary.
#[derive(Debug, Clone)]
pub struct Step {
    pub name: &'static str,
    pub outcome: Outcome,
    pub counts: Option<Counts>,
    pub time: Duration,
    /// What failed inside the step (test names and their first line of error), so a CI log cut
    /// to its last screen still says which test failed.
    pub failures: Vec<String>,
}

/// The failing tests a runner named: node's `✖ name`, cargo's `test name ... FAILED`, Vitest's
/// `FAIL file > name`, each with why it failed where the output says so (the line after a node
/// failure that is no stack frame, the message under cargo's `panicked at`), so a CI log cut to
/// its last screen still explains itself. Each line once, at most 16 lines of 200 characters.
pub fn failures(output: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, line: String| {
        if !out.contains(&line) && out.len() < 16 {
            out.push(line);
        }
    };
    let lines: Vec<&str> = output.lines().map(str::trim).collect();
    for (i, l) in lines.iter().enumerate() {
        let named = if let Some(rest) = l.strip_prefix('✖') {
            Some(rest.trim().to_owned())
        } else if l.starts_with("test ") && l.ends_with("... FAILED") {
            Some(l.trim_end_matches("... FAILED").trim().to_owned())
        } else {
            l.strip_prefix("FAIL ").map(|rest| rest.trim().to_owned())
        };
        let why = if named.is_some() && l.starts_with('✖') {
            lines.get(i + 1).filter(|n| {
                !n.is_empty()
                    && !n.starts_with('✖')
                    && !n.starts_with('▶')
                    && !n.starts_with('✔')
                    && !n.starts_with("at ")
            })
        } else if l.starts_with("thread '") && l.contains("panicked at") {
            lines.get(i + 1).filter(|n| !n.is_empty())
        } else {
            None
        };
        // Node's closing list repeats each failure under its own heading: keep one of each.
        if let Some(name) = named.filter(|n| !n.is_empty() && n != "failing tests:") {
            push(&mut out, name);
        }
        if let Some(why) = why {
            push(&mut out, format!("  ↳ {}", clip(why, 200)));
        }
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn number_before(text: &str, word: &str) -> Option<u64> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches([',', ';']) == word)?
        .first()?
        .parse()
        .ok()
}

/// Sums cargo test's `test result: ok. 3 passed; 0 failed; 1 ignored; ...` lines.
pub fn parse_cargo_test(output: &str) -> Option<Counts> {
    let mut total = Counts::default();
    let mut seen = false;
    for line in output
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        seen = true;
        total.add(Counts {
            passed: number_before(line, "passed").unwrap_or(0),
            failed: number_before(line, "failed").unwrap_or(0),
            skipped: number_before(line, "ignored").unwrap_or(0),
        });
    }
    seen.then_some(total)
}

/// Reads Vitest's `Tests  1 failed | 4 passed | 1 skipped (6)` line.
pub fn parse_vitest(output: &str) -> Option<Counts> {
    let line = output
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("Tests "))?;
    Some(Counts {
        passed: number_before(line, "passed").unwrap_or(0),
        failed: number_before(line, "failed").unwrap_or(0),
        skipped: number_before(line, "skipped").unwrap_or(0)
            + number_before(line, "todo").unwrap_or(0),
    })
}

/// Reads node's test runner closing lines (`ℹ pass 3` with the spec reporter, `# pass 3` in TAP).
pub fn parse_node_test(output: &str) -> Option<Counts> {
    let find = |key: &str| {
        output.lines().rev().find_map(|l| {
            let l = l.trim_start().trim_start_matches(['ℹ', '#']).trim_start();
            l.strip_prefix(key)?.trim().parse::<u64>().ok()
        })
    };
    let passed = find("pass ")?;
    Some(Counts {
        passed,
        failed: find("fail ").unwrap_or(0),
        skipped: find("skipped ").unwrap_or(0) + find("todo ").unwrap_or(0),
    })
}

/// Prints the table and the closing totals line; returns whether every step passed.
pub fn print(steps: &[Step]) -> bool {
    let rule = "=".repeat(66);
    println!(
        "\n{rule}\n{:<22} {:<8} {:>7} {:>7} {:>8} {:>9}",
        "suite", "result", "passed", "failed", "skipped", "time"
    );
    let mut total = Counts::default();
    let mut failed_steps = Vec::new();
    for s in steps {
        let result = match &s.outcome {
            Outcome::Passed => "ok",
            Outcome::Failed => "FAILED",
            Outcome::Skipped(_) => "skipped",
        };
        let (p, f, k) = match s.counts {
            Some(c) => {
                total.add(c);
                (
                    c.passed.to_string(),
                    c.failed.to_string(),
                    c.skipped.to_string(),
                )
            }
            None => ("-".into(), "-".into(), "-".into()),
        };
        println!(
            "{:<22} {:<8} {:>7} {:>7} {:>8} {:>8.1}s",
            s.name,
            result,
            p,
            f,
            k,
            s.time.as_secs_f64()
        );
        if let Outcome::Skipped(why) = &s.outcome {
            println!("{:<22} ({why})", "");
        }
        if s.outcome == Outcome::Failed {
            failed_steps.push(s.name);
        }
        for f in &s.failures {
            let f: String = f.chars().take(140).collect();
            let mark = if f.starts_with("  ↳") { " " } else { "✖" };
            println!("{:<22} {mark} {f}", "");
        }
    }
    let secs: f64 = steps.iter().map(|s| s.time.as_secs_f64()).sum();
    println!("{rule}");
    if failed_steps.is_empty() {
        println!("all {} steps passed in {:.0}s", steps.len(), secs);
    } else {
        println!(
            "FAILED steps: {} (of {}, {:.0}s)",
            failed_steps.join(", "),
            steps.len(),
            secs
        );
    }
    // The plain closing line, counted over every suite.
    println!(
        "{} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    failed_steps.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_tests_are_named_once() {
        let out = "▶ at the counter\n  ✖ a tapped card pays (3.2ms)\n    Error: nothing printed\n\
            test ledger::chain ... ok\ntest ledger::fork ... FAILED\n\
            ✖ failing tests:\n  ✖ a tapped card pays (3.2ms)\n";
        assert_eq!(
            failures(out),
            vec![
                "a tapped card pays (3.2ms)".to_owned(),
                "  ↳ Error: nothing printed".to_owned(),
                "test ledger::fork".to_owned(),
            ]
        );
        let out = "test nfc::tap ... FAILED
\n---- nfc::tap stdout ----
\n            thread 'nfc::tap' (2795) panicked at crates/till-nfc/tests/vpcd.rs:29:29:
            called `Result::unwrap()` on an `Err` value: \"no virtual reader\"
            stack backtrace:
";
        assert_eq!(
            failures(out),
            vec![
                "test nfc::tap".to_owned(),
                "  ↳ called `Result::unwrap()` on an `Err` value: \"no virtual reader\"".to_owned(),
            ]
        );
        assert_eq!(
            failures(&format!("✖ x\n{}\n", "é".repeat(300)))[1]
                .chars()
                .count(),
            4 + 201
        );
        assert!(failures("ℹ pass 3\nℹ fail 0\n").is_empty());
    }

    #[test]
    fn cargo_test_lines_are_summed() {
        let out = "running 3 tests\n\
            test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(
            parse_cargo_test(out),
            Some(Counts {
                passed: 5,
                failed: 1,
                skipped: 1
            })
        );
        assert_eq!(parse_cargo_test("no tests here"), None);
    }

    #[test]
    fn vitest_line_is_read() {
        let out = " Test Files  2 passed (2)\n      Tests  1 failed | 4 passed | 2 skipped (7)\n";
        assert_eq!(
            parse_vitest(out),
            Some(Counts {
                passed: 4,
                failed: 1,
                skipped: 2
            })
        );
        let out = "      Tests  9 passed (9)\n";
        assert_eq!(
            parse_vitest(out),
            Some(Counts {
                passed: 9,
                failed: 0,
                skipped: 0
            })
        );
    }

    #[test]
    fn node_test_lines_are_read() {
        let out = "ℹ tests 4\nℹ pass 3\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\n";
        assert_eq!(
            parse_node_test(out),
            Some(Counts {
                passed: 3,
                failed: 1,
                skipped: 0
            })
        );
        let out = "# pass 2\n# fail 0\n# skipped 1\n";
        assert_eq!(
            parse_node_test(out),
            Some(Counts {
                passed: 2,
                failed: 0,
                skipped: 1
            })
        );
        assert_eq!(parse_node_test("nothing"), None);
    }
}
