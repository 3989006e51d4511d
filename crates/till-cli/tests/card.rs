//! `till charge AMOUNT --lnurlw LINK` against the simulator's Bolt Card service: a card pays,
//! and every way a card can fail leaves the ledger right and says why in plain words.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{path::Path, process::Output, time::Duration};

mod common;

use aurpay_sim::RunningSim;
use common::{against, json_lines, ledger_sales, run, sim, stderr};
use serde_json::Value;

/// `till --json charge AMOUNT --lnurlw LINK`, run off the test's runtime.
async fn charge_by_card(dir: &Path, sim: &RunningSim, amount: &str, link: &str) -> Output {
    let cmd = against(dir, sim);
    let args = [
        "--json".to_owned(),
        "charge".into(),
        amount.into(),
        "--lnurlw".into(),
        link.into(),
    ];
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(cmd, &args)
    })
    .await
    .unwrap()
}

fn last_status(out: &Output) -> Value {
    json_lines(out)
        .iter()
        .rev()
        .find(|l| l.get("status").is_some())
        .map(|l| l["status"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tapped_card_pays_the_sale_through_the_gateway() {
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    // 10,000 sats a tap: 10.00 USD at the simulator's 100,000 USD per BTC.
    let (card, link) = sim.state().new_card(10_000_000);
    let out = charge_by_card(dir.path(), &sim, "5.00", &format!("{link}?c=1")).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(last_status(&out), "paid");
    let order = json_lines(&out)[0]["order_id"].as_str().unwrap().to_owned();
    assert_eq!(sim.state().card(&card).unwrap().paid, vec![order]);
    // The same tap again is a replay: refused by the service, and the new sale is cancelled.
    let out = charge_by_card(dir.path(), &sim, "1.00", &format!("{link}?c=1")).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already used"), "{}", stderr(&out));
    assert_eq!(last_status(&out), "cancelled");
    assert_eq!(sim.state().card(&card).unwrap().paid.len(), 1);
    // The next tap (a higher counter) pays again; bech32 and lightning: spellings work too.
    let out = charge_by_card(dir.path(), &sim, "2.50", &format!("lightning:{link}?c=2")).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(last_status(&out), "paid");
    assert_eq!(ledger_sales(dir.path()), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_over_its_limit_or_blocked_is_refused_in_plain_words() {
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    let (card, link) = sim.state().new_card(1_000_000);
    let out = charge_by_card(dir.path(), &sim, "5.00", &link).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("over the card's limit: it pays at most 1000 sats, the sale is 5000 sats"),
        "{err}"
    );
    assert_eq!(last_status(&out), "cancelled");
    let blocked = sim.state().new_card(10_000_000);
    sim.state()
        .store()
        .cards
        .get_mut(&blocked.0)
        .unwrap()
        .enabled = false;
    let out = charge_by_card(dir.path(), &sim, "0.50", &blocked.1).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the card was refused: the card is blocked by its owner"),
        "{}",
        stderr(&out)
    );
    assert!(sim.state().card(&card).unwrap().paid.is_empty());
    assert!(sim.state().card(&blocked.0).unwrap().paid.is_empty());
    // Both sales are in the ledger, cancelled, and it verifies.
    assert_eq!(ledger_sales(dir.path()), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_cannot_be_used_writes_no_sale() {
    let sim = sim(Duration::from_secs(1800)).await;
    let dir = tempfile::tempdir().unwrap();
    for (link, says) in [
        ("hello", "not a card or withdraw link"),
        (
            "http://card.example.com/w",
            "is not secure (HTTPS is required)",
        ),
        ("LNURL1DP68GURN8GHJ7QQQQ", "the LNURL is damaged"),
    ] {
        let out = charge_by_card(dir.path(), &sim, "1.00", link).await;
        assert_eq!(out.status.code(), Some(1), "{link}");
        assert!(stderr(&out).contains(says), "{link}: {}", stderr(&out));
    }
    assert!(sim.state().orders().is_empty(), "an order was made");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_does_not_answer_leaves_the_sale_followed_not_cancelled() {
    // Orders that time out after 1.5 s: the sale is followed to its end.
    let sim = sim(Duration::from_millis(1500)).await;
    let dir = tempfile::tempdir().unwrap();
    let gone = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = charge_by_card(
        dir.path(),
        &sim,
        "1.00",
        &format!("lnurlw://127.0.0.1:{gone}/boltcard/x"),
    )
    .await;
    // No answer is not a refusal: the service might pay yet, so the sale is followed as with
    // --wait, and here it times out (exit 3).
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the card's service could not be reached"),
        "{}",
        stderr(&out)
    );
    assert_eq!(last_status(&out), "timed_out");
    assert_eq!(ledger_sales(dir.path()), 1);
}
