//! The CLI in the shop's language and the terminal's: the human output follows `LC_ALL`,
//! `LC_MESSAGES` or `LANG`, else the shop's `language` setting; `--json` and CSV never change.

#![allow(clippy::unwrap_used)]

mod common;

use std::{path::Path, process::Command};

use common::{json_lines, output, stderr, till};

/// `till` with the terminal's language set to `locale` (`C.UTF-8`: none asked for).
fn till_in(data: &Path, locale: &str) -> Command {
    let mut c = till(data);
    c.env("LC_ALL", locale);
    c
}

fn out(data: &Path, locale: &str, args: &[&str]) -> std::process::Output {
    let out = output(till_in(data, locale).args(args));
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_terminal_language_wins_then_the_shops_and_machine_output_never_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    out(d, "C.UTF-8", &["settings", "set", "language", "de"]);
    // A language Till lacks is refused in plain words, and nothing changes.
    let bad = output(till_in(d, "C.UTF-8").args(["settings", "set", "language", "tlh"]));
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("Till speaks en, es, pt-BR, de, fr"),
        "{}",
        stderr(&bad)
    );
    let shown = json_lines(&out(d, "C.UTF-8", &["--json", "settings"])).remove(0);
    assert_eq!(shown["language"], "de");

    // No language asked for by the terminal: the shop's, German.
    let open = out(d, "C.UTF-8", &["shift", "open", "--float", "100.00"]);
    assert!(
        stdout(&open).contains("Schicht S1 ist geöffnet mit 100,00 USD Wechselgeld"),
        "{}",
        stdout(&open)
    );
    let sale = out(
        d,
        "C.UTF-8",
        &["charge", "1234.50", "--cash", "--tendered", "1300"],
    );
    assert!(
        stdout(&sale).contains("RÜCKGELD  65,50 USD"),
        "{}",
        stdout(&sale)
    );
    // The terminal asks for Spanish (El Salvador): Spanish, whatever the shop speaks.
    let report = out(d, "es_SV.UTF-8", &["report"]);
    assert!(stdout(&report).contains("RECIBIDO"), "{}", stdout(&report));
    assert!(
        stdout(&report).contains("1234,50 USD"),
        "{}",
        stdout(&report)
    );
    let pt = out(d, "C.UTF-8", &["shift", "report"]);
    assert!(stdout(&pt).contains("Soll in der Kasse"), "{}", stdout(&pt));
    let with_lang = output(
        till_in(d, "C.UTF-8")
            .env("LC_ALL", "")
            .env("LANG", "pt_BR.UTF-8")
            .args(["shift", "report"]),
    );
    assert!(
        stdout(&with_lang).contains("Esperado na gaveta"),
        "{}",
        stdout(&with_lang)
    );

    // Machine output is the same in every language: keys, values, the dot in amounts.
    // (The report's clock fields say when it was asked: not part of the comparison.)
    let json = |locale: &str, args: &[&str]| {
        let mut lines = json_lines(&out(d, locale, args));
        for v in &mut lines {
            if let Some(o) = v.as_object_mut() {
                o.remove("generated_at");
                o.remove("to");
            }
        }
        lines
    };
    for args in [
        &["--json", "report"][..],
        &["--json", "sales"][..],
        &["--json", "shift", "report"][..],
    ] {
        let english = json("C.UTF-8", args);
        for locale in ["es_SV.UTF-8", "pt_BR.UTF-8", "de_CH.UTF-8", "fr_FR.UTF-8"] {
            assert_eq!(json(locale, args), english, "{args:?} in {locale}");
        }
    }
    let sales = json("fr_FR.UTF-8", &["--json", "sales"]);
    assert_eq!(sales[0]["tendered"], "1300.00");
    let csv = |locale: &str| {
        stdout(&out(
            d,
            locale,
            &["export", "--format", "csv", "--day", &today()],
        ))
    };
    let english = csv("C.UTF-8");
    assert!(
        english.lines().count() >= 2,
        "a header and the sale: {english}"
    );
    assert_eq!(csv("de_DE.UTF-8"), english);
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}
