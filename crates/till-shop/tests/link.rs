//! The app's background round (`till_shop::link::round`): what the shop light shows for a till
//! that has not joined, one caught up, one whose server is down, and one whose alarm stands; and
//! that a round reads the ledger through its own handle while the till holds its own.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use aurpay::Secret;
use till_core::{
    ledger::Ledger,
    secrets::{MemoryStore, SecretStore},
};
use till_shop::{forward, link, login, server, testing::Cluster};

const WITHIN: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_light_shows_not_joined_caught_up_offline_and_an_alarm() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The till's own handle, open the whole time, as the app's is.
    let mut selling = Ledger::open_in(dir.path()).unwrap();
    for i in 0..3 {
        selling
            .set_setting("shop_name", &format!("Corner Café {i}"))
            .unwrap();
    }
    let store = MemoryStore::default();

    let alone = link::round(dir.path(), &store, WITHIN).await;
    assert_eq!(
        alone,
        link::LinkState::default(),
        "not joined: nothing to show"
    );

    let joined = server::join(&cluster.admin(), "till-1").await.unwrap();
    store
        .set(login::SECRET, &Secret::new(cluster.till(&joined)))
        .unwrap();
    let caught_up = link::round(dir.path(), &store, WITHIN).await;
    assert!(caught_up.joined);
    assert_eq!(
        (caught_up.waiting, &caught_up.problem, &caught_up.alarm),
        (0, &None, &None)
    );
    assert_eq!(
        caught_up.server,
        format!("127.0.0.1:{}/postgres", cluster.port())
    );
    assert!(caught_up.last_sent_at.is_some());

    // More sales through the till's own handle, then the server stops: the light says so, and
    // how much waits.
    selling.set_setting("shop_name", "Corner Café 4").unwrap();
    cluster.crash();
    let offline = link::round(dir.path(), &store, WITHIN).await;
    assert_eq!(offline.waiting, 1);
    assert!(
        offline
            .problem
            .as_deref()
            .unwrap()
            .contains("cannot be reached"),
        "{offline:?}"
    );
    cluster.start_again();
    let back = link::round(dir.path(), &store, WITHIN).await;
    assert_eq!((back.waiting, &back.problem), (0, &None));

    // The shop's copy of entry 1 differs from what the till sends (a forged resend): the alarm
    // stands and every later round shows it.
    let mut forged = selling.entries_after(0, 1).unwrap();
    forged[0].detail.push(' ');
    let client = till_shop::connect(&cluster.till(&joined)).await.unwrap();
    forward::send(&client, "till-1", &forged).await.unwrap_err();
    let alarmed = link::round(dir.path(), &store, WITHIN).await;
    assert!(
        alarmed
            .alarm
            .as_deref()
            .unwrap()
            .contains("entry 1 of till-1 differs"),
        "{alarmed:?}"
    );
    assert_eq!(alarmed.problem, None);
}
