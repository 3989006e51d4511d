//! `till settings`: a till configured headless, through the same checks as the settings screen,
//! and the sales that follow use what was saved.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

mod common;

use common::{json_lines, run, sim, stderr, till, KEY};

#[test]
fn settings_are_shown_and_changed_one_at_a_time_with_the_screens_checks() {
    let dir = tempfile::tempdir().unwrap();
    let shown = run(till(dir.path()), &["--json", "settings"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let before = json_lines(&shown).remove(0);
    assert_eq!(before["idle_lock_minutes"], 5);
    assert_eq!(
        before["fixed"],
        serde_json::json!(["network"]),
        "AURPAY_NETWORK is set"
    );

    let set = run(
        till(dir.path()),
        &["settings", "set", "shop_name", "  Corner\tCafé  "],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    assert_eq!(
        String::from_utf8_lossy(&set.stdout),
        "shop_name is saved\na running app uses it once it is started again\n"
    );
    let set = run(
        till(dir.path()),
        &["--json", "settings", "set", "sound", "off"],
    );
    let after = json_lines(&set).remove(0);
    assert_eq!(
        after["shop_name"], "Corner Café",
        "cleaned as the screen does"
    );
    assert_eq!(after["sound"], false);

    let plain = run(till(dir.path()), &["settings", "show"]);
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(text.contains("shop_name          Corner Café\n"), "{text}");
    assert!(text.contains("sound              off\n"), "{text}");
    assert!(
        text.contains("network            regtest  (set by the environment)\n"),
        "{text}"
    );

    let refused = [
        (
            vec!["settings", "set", "idle_lock_minutes", "999"],
            "the idle lock is 0 (never) to 240 minutes",
        ),
        (
            vec!["settings", "set", "sound", "loud"],
            "sound is on or off, not \"loud\"",
        ),
        (
            vec!["settings", "set", "timezone", "Mars/Olympus"],
            "the time zone \"Mars/Olympus\" is not known",
        ),
        (
            vec!["settings", "set", "colour", "red"],
            "there is no setting \"colour\"; the settings are shop_name, sound,",
        ),
        (
            vec!["settings", "set", "network", "bitcoin"],
            "network is set by the environment variable AURPAY_NETWORK",
        ),
        (
            vec!["settings", "set", "gateway_url", "ftp://example.com"],
            "the gateway address \"ftp://example.com\" is not a web address",
        ),
    ];
    for (args, expected) in refused {
        let out = run(till(dir.path()), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}\n  gave: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
    let unchanged = json_lines(&run(till(dir.path()), &["--json", "settings"])).remove(0);
    assert_eq!(unchanged, after, "a refused value changes nothing");
}

/// The gateway address saved with `till settings set` is the one `till charge` uses (it used to
/// read only the environment, so a till set up on the settings screen charged elsewhere).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_charge_goes_to_the_gateway_address_saved_in_the_settings() {
    let sim = sim(Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let url = sim.url().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        let set = run(till(&path), &["settings", "set", "gateway_url", &url]);
        assert!(set.status.success(), "{}", stderr(&set));
        let mut charge = till(&path);
        // Credentials from the environment, the address only from the settings.
        charge.env("AURPAY_API_KEY", KEY).env("AURPAY_TIMEOUT", "1");
        run(charge, &["--json", "charge", "4.20"])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out)[0]["status"], "awaiting_payment");
    assert_eq!(
        sim.state().requests().len(),
        1,
        "the order was asked of the saved gateway"
    );
}
