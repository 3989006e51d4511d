//! The shop's server on a real PostgreSQL: a throwaway cluster per test (`till_shop::testing`),
//! started as the `postgres` user (initdb refuses root) on a free loopback port with fsync
//! off, stopped with `pg_ctl -m immediate` when the test ends.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use till_core::ledger::{JournalEntry, Ledger};
use till_shop::{connect, forward, server, testing::Cluster, ShopError};

/// A till's ledger with `n` journal entries (the shop's name set `n` times).
fn ledger_with(dir: &Path, n: usize) -> Ledger {
    let mut ledger = Ledger::open(&dir.join("ledger.sqlite")).unwrap();
    for i in 0..n {
        ledger
            .set_setting("shop_name", &format!("Corner Café {i}"))
            .unwrap();
    }
    ledger
}

fn entries(ledger: &Ledger) -> Vec<JournalEntry> {
    ledger.entries_after(0, 10_000).unwrap()
}

#[tokio::test]
async fn init_is_idempotent_and_a_till_sends_its_journal_once() {
    let cluster = Cluster::start();
    assert_eq!(
        server::init(&cluster.admin(), "Europe/Zurich")
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        server::init(&cluster.admin(), "Europe/Zurich")
            .await
            .unwrap(),
        5,
        "a second init changes nothing"
    );

    let login = server::join(&cluster.admin(), "till-1").await.unwrap();
    let refused = server::join(&cluster.admin(), "till-1").await.unwrap_err();
    assert!(
        matches!(&refused, ShopError::Refused(m) if m.contains("already in the shop")),
        "{refused}"
    );

    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with(dir.path(), 5);
    let journal = entries(&ledger);
    assert_eq!(journal.len(), 5);
    let till = connect(&cluster.till(&login)).await.unwrap();
    let first = forward::send(&till, "till-1", &journal[..3]).await.unwrap();
    assert_eq!((first.accepted, first.duplicates, first.head_id), (3, 0, 3));
    // A resend after a lost answer: the same bytes again are duplicates, the rest is taken.
    let second = forward::send(&till, "till-1", &journal).await.unwrap();
    assert_eq!(
        (second.accepted, second.duplicates, second.head_id),
        (2, 3, 5)
    );
    assert_eq!(
        second.head_hash, journal[4].hash,
        "the server's head is the till's"
    );

    // The server recomputed every hash: its copy is the till's, byte for byte.
    let admin = connect(&cluster.admin()).await.unwrap();
    let held: i64 = admin
        .query_one(
            "SELECT count(*) FROM till_shop.entries WHERE terminal = 'till-1' \
             AND hash = till_shop.entry_hash(prev_hash, id, sale_id, at, kind, detail, snapshot)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(held, 5);
}

#[tokio::test]
async fn a_fork_a_gap_and_changed_bytes_raise_an_alarm_that_stands() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let login = server::join(&cluster.admin(), "till-2").await.unwrap();
    let till = connect(&cluster.till(&login)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = entries(&ledger_with(dir.path(), 4));

    // Changed bytes: the hash no longer matches the detail sent.
    let mut changed = journal[0].clone();
    changed.detail = changed.detail.replace("Café 0", "Café X");
    let alarm = forward::send(&till, "till-2", &[changed])
        .await
        .unwrap_err();
    assert!(
        matches!(&alarm, ShopError::Alarm { kind, entry_id: 1, .. } if kind == "broken_chain"),
        "{alarm}"
    );
    // It stands: nothing more is taken until the owner has looked, even good entries.
    let standing = forward::send(&till, "till-2", &journal).await.unwrap_err();
    assert!(
        matches!(&standing, ShopError::Alarm { kind, .. } if kind == "standing"),
        "{standing}"
    );

    // A gap on another till: entry 3 without 1 and 2.
    let login3 = server::join(&cluster.admin(), "till-3").await.unwrap();
    let till3 = connect(&cluster.till(&login3)).await.unwrap();
    let gap = forward::send(&till3, "till-3", &journal[2..])
        .await
        .unwrap_err();
    assert!(
        matches!(&gap, ShopError::Alarm { kind, entry_id: 3, .. } if kind == "gap"),
        "{gap}"
    );

    // A fork on a third: entry 2 replayed with other bytes after the real one was taken.
    let login4 = server::join(&cluster.admin(), "till-4").await.unwrap();
    let till4 = connect(&cluster.till(&login4)).await.unwrap();
    forward::send(&till4, "till-4", &journal[..2])
        .await
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&other.path().join("ledger.sqlite")).unwrap();
    ledger.set_setting("shop_name", "Corner Café 0").unwrap();
    ledger.set_setting("shop_name", "Another shop").unwrap();
    let forked = ledger.entries_after(1, 1).unwrap();
    let fork = forward::send(&till4, "till-4", &forked).await.unwrap_err();
    assert!(
        matches!(&fork, ShopError::Alarm { kind, entry_id: 2, .. } if kind == "fork"),
        "{fork}"
    );

    let admin = connect(&cluster.admin()).await.unwrap();
    let kinds: Vec<String> = admin
        .query("SELECT kind FROM till_shop.alarms ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kinds, ["broken_chain", "gap", "fork"]);
}

#[tokio::test]
async fn a_till_may_send_for_itself_only_and_reads_no_table() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let one = server::join(&cluster.admin(), "till-1").await.unwrap();
    server::join(&cluster.admin(), "till-2").await.unwrap();
    let till = connect(&cluster.till(&one)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = entries(&ledger_with(dir.path(), 1));
    let refused = forward::send(&till, "till-2", &journal).await.unwrap_err();
    assert!(
        matches!(&refused, ShopError::Refused(m) if m.contains("may not send entries for till till-2")),
        "{refused}"
    );
    for table in ["entries", "terminals", "alarms", "closes", "closed_zs"] {
        let read = till
            .query(&format!("SELECT * FROM till_shop.{table}"), &[])
            .await;
        assert!(read.is_err(), "a till's role reads no table: {table}");
    }
    let made = till.batch_execute("CREATE TABLE public.mine (x int)").await;
    assert!(made.is_err(), "a till's role creates nothing");
    let cleared = till
        .execute("SELECT till_shop.clear_alarm('till-2')", &[])
        .await;
    assert!(cleared.is_err(), "only the owner clears an alarm");
    // Another shop on the same server: its tills' group is its own, and its database is
    // closed to every other role.
    let admin = connect(&cluster.admin()).await.unwrap();
    admin
        .batch_execute("CREATE DATABASE other_shop")
        .await
        .unwrap();
    let other_admin = format!(
        "postgres://postgres@127.0.0.1:{}/other_shop",
        cluster.port()
    );
    server::init(&other_admin, "Europe/Zurich").await.unwrap();
    let other_url = format!(
        "postgres://{}:{}@127.0.0.1:{}/other_shop",
        one.role,
        one.password,
        cluster.port()
    );
    let barred = connect(&other_url).await.unwrap_err();
    assert!(barred.to_string().contains("permission denied"), "{barred}");
    let theirs = server::join(&other_admin, "till-1").await.unwrap();
    assert_ne!(
        theirs.role, one.role,
        "each shop names its own tills' roles"
    );
    let unreachable = connect("postgres://postgres@127.0.0.1:1/postgres")
        .await
        .unwrap_err();
    assert!(matches!(unreachable, ShopError::Unreachable(_)));
}

#[tokio::test]
async fn a_till_catches_up_in_batches_and_a_lost_answer_only_resends() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let login = server::join(&cluster.admin(), "till-1").await.unwrap();
    let till = connect(&cluster.till(&login)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_with(dir.path(), forward::BATCH + 20);
    assert_eq!(forward::waiting(&ledger).unwrap(), 520);

    let synced = forward::sync_once(&mut ledger, &till, "till-1")
        .await
        .unwrap();
    assert_eq!(
        (synced.accepted, synced.duplicates, synced.head_id),
        (520, 0, 520)
    );
    assert_eq!(forward::waiting(&ledger).unwrap(), 0);

    // More sales, then the answer of a round is lost (the watermark goes back, as after a crash
    // between the server's commit and the till's write): the resend is all duplicates.
    for i in 0..5 {
        ledger
            .set_setting("shop_name", &format!("Later {i}"))
            .unwrap();
    }
    forward::sync_once(&mut ledger, &till, "till-1")
        .await
        .unwrap();
    ledger.set_setting(forward::WATERMARK, "510").unwrap();
    let again = forward::sync_once(&mut ledger, &till, "till-1")
        .await
        .unwrap();
    assert_eq!(
        (again.accepted, again.duplicates, again.head_id),
        (0, 15, 525)
    );
    let admin = connect(&cluster.admin()).await.unwrap();
    let held: i64 = admin
        .query_one("SELECT count(*) FROM till_shop.entries", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(held, 525, "nothing lost, nothing twice");
}

/// The README's server: an owner who may create roles but is no superuser, in a database of
/// their own, prepares the shop and joins a till, which then sends.
#[tokio::test]
async fn an_owner_who_is_no_superuser_prepares_the_shop_and_joins_a_till() {
    let cluster = Cluster::start();
    let admin = connect(&cluster.admin()).await.unwrap();
    for sql in [
        "CREATE ROLE shopowner LOGIN CREATEROLE PASSWORD 'pw'",
        "CREATE DATABASE shop OWNER shopowner",
    ] {
        admin.batch_execute(sql).await.unwrap();
    }
    let owner = format!("postgres://shopowner:pw@127.0.0.1:{}/shop", cluster.port());
    assert_eq!(server::init(&owner, "Europe/Zurich").await.unwrap(), 5);
    assert_eq!(server::init(&owner, "America/New_York").await.unwrap(), 5);
    let login = server::join(&owner, "till-1").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_with(dir.path(), 3);
    let url = format!(
        "postgres://{}:{}@127.0.0.1:{}/shop",
        login.role,
        login.password,
        cluster.port()
    );
    let till = connect(&url).await.unwrap();
    let sent = forward::sync_once(&mut ledger, &till, "till-1")
        .await
        .unwrap();
    assert_eq!(sent.accepted, 3);
    let shop = till_shop::books::read(&till).await.unwrap();
    assert_eq!(shop.entries(), 3);
    assert_eq!(
        shop.timezone.as_deref(),
        Some("Europe/Zurich"),
        "the zone the first init set; a second init changes nothing"
    );
}

/// TLS: a till reaches a server that speaks it with the shop's own authority as `sslrootcert`
/// (the server says the link is encrypted, and its entries go through it); without that
/// authority the certificate is not trusted and the till does not connect.
#[tokio::test]
async fn a_till_reaches_the_server_over_tls_and_checks_its_certificate() {
    let (cluster, ca) = Cluster::start_with_tls();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let login = server::join(&cluster.admin(), "till-1").await.unwrap();
    let base = format!(
        "postgres://{}:{}@localhost:{}/postgres?sslmode=require",
        login.role,
        login.password,
        cluster.port()
    );
    let till = connect(&format!("{base}&sslrootcert={}", ca.display()))
        .await
        .unwrap();
    let encrypted: bool = till
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(encrypted, "the link is encrypted");
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_with(dir.path(), 2);
    let sent = forward::sync_once(&mut ledger, &till, "till-1")
        .await
        .unwrap();
    assert_eq!(sent.accepted, 2);

    let untrusted = connect(&base).await.unwrap_err();
    assert!(
        matches!(&untrusted, ShopError::Unreachable(m) if m.contains("certificate") || m.contains("UnknownIssuer")),
        "{untrusted}"
    );
    let missing = connect(&format!("{base}&sslrootcert=/nonexistent/ca.pem"))
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("cannot be read"), "{missing}");
}
