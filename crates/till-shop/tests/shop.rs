//! Four tills, one shop: selling at once, one of them cut off by a proxy in every way a shop's
//! network fails (refusing, black-holing, swallowing the answer after the server committed),
//! the server stopped with `pg_ctl -m immediate` in the middle of a batch, a shop day close that
//! waits for the late till and then closes, its totals equal to the sum of the tills' Zs, and a
//! replayed entry with other bytes reported as a fork.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::{path::Path, sync::Arc, time::Duration};

use chrono::Utc;
use serde_json::json;
use till_core::{calendar, ledger::Ledger, money::decimal_text, report};
use till_shop::{
    books, connect, forward, server,
    testing::{sell_paid, Cluster, Cut, Proxy},
    ShopError,
};

const TZ: &str = "Europe/Zurich";

/// A till's ledger, named `terminal`, in the shop's zone.
fn till_ledger(dir: &Path, terminal: &str) -> Ledger {
    let mut l = Ledger::open(&dir.join("ledger.sqlite")).unwrap();
    l.set_settings(&[
        (till_core::settings::TERMINAL, terminal),
        (report::TIMEZONE_SETTING, TZ),
    ])
    .unwrap();
    l
}

/// How long a round that should go through may take (a loaded machine is slow, never silent).
const ANSWER: Duration = Duration::from_secs(60);
/// How long a round through a black hole or a swallowed answer is waited for.
const SILENCE: Duration = Duration::from_secs(2);

async fn sync(l: &mut Ledger, url: &str, terminal: &str) -> Result<forward::Synced, ShopError> {
    sync_within(l, url, terminal, ANSWER).await
}

/// One round of forwarding through `url`, given up after `within`.
async fn sync_within(
    l: &mut Ledger,
    url: &str,
    terminal: &str,
    within: Duration,
) -> Result<forward::Synced, ShopError> {
    tokio::time::timeout(within, async {
        let c = connect(url).await?;
        forward::sync_once(l, &c, terminal).await
    })
    .await
    .unwrap_or_else(|_| Err(ShopError::Unreachable(format!("no answer in {within:?}"))))
}

/// What the server holds of a till: its head, and how many entries (each id once).
async fn held(cluster: &Cluster, terminal: &str) -> (i64, i64) {
    let admin = connect(&cluster.admin()).await.unwrap();
    let row = admin
        .query_one(
            "SELECT t.head_id, (SELECT count(*) FROM till_shop.entries e WHERE e.terminal = t.name) \
             FROM till_shop.terminals t WHERE t.name = $1",
            &[&terminal],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

/// One till selling `sales` sales while syncing every fifth: the cut till's proxy refuses,
/// then black-holes, then swallows an answer after the commit, then passes again.
async fn shift(
    mut l: Ledger,
    terminal: String,
    url: String,
    proxy: Option<Arc<Proxy>>,
    sales: usize,
) -> (Ledger, i64, Vec<i64>, Vec<Result<forward::Synced, String>>) {
    let mut total = 0;
    let mut receipts = Vec::new();
    let mut rounds = Vec::new();
    for i in 0..sales {
        let minor = 100 + i64::try_from(i).unwrap() * 7;
        receipts.push(sell_paid(&mut l, &terminal, minor));
        total += minor;
        if let Some(p) = &proxy {
            match i {
                9 => p.set(Cut::Refuse),
                14 => p.set(Cut::BlackHole),
                19 => p.set(Cut::DropReply),
                24 => p.set(Cut::Pass),
                _ => {}
            }
        }
        if i % 5 == 4 {
            // The rounds through the black hole and the swallowed answer never hear back.
            let within = if proxy.is_some() && (i == 14 || i == 19) {
                SILENCE
            } else {
                ANSWER
            };
            let round = sync_within(&mut l, &url, &terminal, within).await;
            rounds.push(round.map_err(|e| e.to_string()));
        }
        tokio::task::yield_now().await;
    }
    (l, total, receipts, rounds)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_tills_one_cut_off_converge_and_close_one_day() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let names: Vec<String> = (1..=4).map(|n| format!("till-{n}")).collect();
    let dirs: Vec<tempfile::TempDir> = names.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    let mut proxies: Vec<Arc<Proxy>> = Vec::new();
    let mut urls = Vec::new();
    for name in &names {
        let login = server::join(&cluster.admin(), name).await.unwrap();
        let proxy = Proxy::start(cluster.port()).await;
        urls.push(cluster.till_via(&login, proxy.port()));
        proxies.push(Arc::new(proxy));
    }
    // A fifth till joins and is never heard from again (its laptop stays in a drawer).
    server::join(&cluster.admin(), "till-5").await.unwrap();

    // All four sell at once (a task each), 30 sales each; till-2 is cut off in every way along
    // the way.
    const SALES: usize = 30;
    let mut runs = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let l = till_ledger(dirs[i].path(), name);
        let proxy = (i == 1).then(|| proxies[1].clone());
        runs.push(tokio::spawn(shift(
            l,
            name.clone(),
            urls[i].clone(),
            proxy,
            SALES,
        )));
    }
    let mut done = Vec::new();
    for run in runs {
        done.push(run.await.unwrap());
    }

    // The cut till kept selling with gap-free numbers, and every way of being cut said so.
    let (_, _, receipts, rounds) = &done[1];
    assert_eq!(receipts, &(1..=30).collect::<Vec<i64>>());
    // Rounds after sales 5, 10 (refused), 15 (black hole), 20 (answer swallowed), 25, 30.
    let failed: Vec<bool> = rounds.iter().map(Result::is_err).collect();
    assert_eq!(
        failed,
        [false, true, true, true, false, false],
        "{rounds:?}"
    );
    assert!(
        rounds[1]
            .as_ref()
            .unwrap_err()
            .contains("cannot be reached"),
        "{rounds:?}"
    );
    // The swallowed answer: the server had committed that batch, so the next round's resend of
    // it is answered "duplicate", and nothing is held twice.
    let resent = rounds[4].as_ref().unwrap();
    assert!(resent.duplicates > 0 && resent.accepted > 0, "{resent:?}");
    for (i, d) in done.iter().enumerate() {
        if i != 1 {
            assert!(d.3.iter().all(Result::is_ok), "{}: {:?}", names[i], d.3);
        }
        assert_eq!(d.2.len(), SALES);
    }

    // Every till closes its day; till-2 is cut off again and closes offline.
    proxies[1].set(Cut::Refuse);
    let mut zs = Vec::new();
    for (i, d) in done.iter_mut().enumerate() {
        let (z, _) = report::close(&mut d.0, &names[i], false, None, "Olga").unwrap();
        assert_eq!(z.totals.received[0].amount, decimal_text(d.1, "EUR"));
        zs.push(z);
        let r = sync(&mut d.0, &urls[i], &names[i]).await;
        assert_eq!(r.is_ok(), i != 1, "{}: {r:?}", names[i]);
    }

    // The shop's close waits for till-2, naming it and only it.
    let tz: chrono_tz::Tz = TZ.parse().unwrap();
    let mut owner = connect(&urls[0]).await.unwrap();
    let today = calendar::today(tz);
    let waiting = books::close_day(&mut owner, Some(today), tz, "Olga", &[])
        .await
        .unwrap_err();
    match &waiting {
        ShopError::Waiting { tills, why } => {
            assert_eq!(tills, &["till-2", "till-5"], "{why}");
            assert!(why.contains("never sent everything"), "{why}");
            assert!(
                waiting
                    .to_string()
                    .starts_with("waiting for till-2, till-5"),
                "{waiting}"
            );
        }
        other => panic!("expected the close to wait, got {other}"),
    }

    // The X report meanwhile: three Zs, and till-2's sales (all sent before its Z), unsealed.
    let x = books::read(&owner)
        .await
        .unwrap()
        .x_report(tz, Utc::now())
        .unwrap();
    assert_eq!(x.report.terminal, "shop");
    assert_eq!(x.tills.len(), 5);
    assert_eq!(x.tills[1].zs, Vec::<String>::new());
    assert_eq!(x.tills[1].documents, 30);
    assert_eq!(x.report.totals.documents, 4 * 30);
    let all: i64 = done.iter().map(|d| d.1).sum();
    assert_eq!(x.report.totals.received[0].amount, decimal_text(all, "EUR"));

    // till-2 comes back and sends its Z.
    proxies[1].set(Cut::Pass);
    let back = sync(&mut done[1].0, &urls[1], "till-2").await.unwrap();
    assert!(back.accepted > 0 && back.duplicates == 0, "{back:?}");
    for (i, d) in done.iter().enumerate() {
        let (head, count) = held(&cluster, &names[i]).await;
        let last = d.0.last_entry_id().unwrap();
        assert_eq!(
            (head, count),
            (last, last),
            "{}: nothing lost, nothing twice",
            names[i]
        );
        assert_eq!(forward::waiting(&d.0).unwrap(), 0);
    }

    // Still waiting for till-5, which the owner then leaves out by name.
    let still = books::close_day(&mut owner, Some(today), tz, "Olga", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&still, ShopError::Waiting { tills, .. } if tills == &["till-5"]),
        "{still}"
    );
    let without = ["till-5".to_owned()];
    // Now it closes, once: two owners closing at the same moment get one close between them
    // (the other hears it is closed already). Its totals are the sum of the four Zs.
    let mut other = connect(&urls[3]).await.unwrap();
    let (first, second) = tokio::join!(
        books::close_day(&mut owner, Some(today), tz, "Olga", &without),
        books::close_day(&mut other, Some(today), tz, "Max", &without),
    );
    let closed = match (first, second) {
        (Ok(c), Err(e)) | (Err(e), Ok(c)) => {
            assert!(e.to_string().contains("closed"), "{e}");
            c
        }
        (a, b) => panic!("one close and one refusal expected, got {a:?} and {b:?}"),
    };
    assert_eq!(closed.report.label, "SZ1");
    assert_eq!(closed.report.totals.received.len(), 1);
    assert_eq!(
        closed.report.totals.received[0].amount,
        decimal_text(all, "EUR")
    );
    assert_eq!(closed.report.totals.received[0].count, 4 * 30);
    assert_eq!(
        closed.report.totals.documents,
        zs.iter().map(|z| z.totals.documents).sum::<u64>()
    );
    let msat: u64 = zs.iter().map(|z| z.totals.received[0].msat).sum();
    assert_eq!(closed.report.totals.received[0].msat, msat);
    assert_eq!(
        (closed.tills[4].terminal.as_str(), closed.tills[4].documents),
        ("till-5", 0)
    );
    for (i, part) in closed.tills.iter().take(4).enumerate() {
        assert_eq!(part.zs, vec!["Z1".to_owned()], "{}", names[i]);
        assert_eq!(part.received, zs[i].totals.received, "{}", names[i]);
    }
    // A second close of the same day is refused; the shop's books verify.
    let again = books::close_day(&mut owner, Some(today), tz, "Olga", &[])
        .await
        .unwrap_err();
    assert!(again.to_string().contains("closed"), "{again}");
    let shop = books::read(&owner).await.unwrap();
    let v = shop.verify().unwrap();
    assert_eq!((v.tills, v.z_reports, v.closes), (5, 4, 1));
    assert_eq!(v.head, closed.report.chain_head);
    assert!(v.alarms.is_empty());
    // The day's report is the sealed close.
    let day = shop.day_report(today, tz, Utc::now()).unwrap();
    assert_eq!(day.report.totals, closed.report.totals);

    // A replayed entry with other bytes: a fork, standing, and the shop says so.
    let mut forged = done[2].0.entries_after(4, 1).unwrap();
    forged[0].detail.push(' ');
    let err = forward::send(&connect(&urls[2]).await.unwrap(), "till-3", &forged)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ShopError::Alarm { kind, entry_id: 5, .. } if kind == "fork"),
        "{err}"
    );
    let v = books::read(&owner).await.unwrap().verify().unwrap();
    assert_eq!(v.alarms.len(), 1);
    assert!(v.alarms[0].starts_with("till-3: "), "{:?}", v.alarms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_stopped_mid_batch_loses_the_batch_and_the_till_sends_it_again() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let login = server::join(&cluster.admin(), "till-1").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut l = till_ledger(dir.path(), "till-1");
    for i in 0..150 {
        sell_paid(&mut l, "till-1", 100 + i);
    }
    let last = l.last_entry_id().unwrap();
    assert!(last > 300, "{last}");

    // The owner's session holds entry 250 open (uncommitted): the till's first batch inserts
    // 1..249 in its transaction and then waits on that row, in the middle of the batch.
    let mut admin = connect(&cluster.admin()).await.unwrap();
    let hold = admin.transaction().await.unwrap();
    // Without the foreign key's check, which would lock the terminal's row the batch takes first.
    hold.batch_execute("SET LOCAL session_replication_role = replica")
        .await
        .unwrap();
    hold.execute(
        "INSERT INTO till_shop.entries (terminal, id, at, kind, detail, prev_hash, hash) \
         VALUES ('till-1', 250, '', 'x', '', '', '')",
        &[],
    )
    .await
    .unwrap();
    let url = cluster.till(&login);
    let forwarding = tokio::spawn(async move {
        let c = connect(&url).await?;
        let r = forward::sync_once(&mut l, &c, "till-1").await;
        r.map(|s| (s, l))
    });
    let watcher = connect(&cluster.admin()).await.unwrap();
    let mut waited = 0;
    loop {
        let n: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'",
                &[&login.role],
            )
            .await
            .unwrap()
            .get(0);
        if n == 1 {
            break;
        }
        waited += 1;
        assert!(waited < 200, "the till's batch never reached the held row");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(watcher);
    cluster.crash();
    let cut = tokio::time::timeout(Duration::from_secs(20), forwarding)
        .await
        .unwrap()
        .unwrap();
    let err = cut.err().unwrap();
    assert!(matches!(err, ShopError::Unreachable(_)), "{err}");
    drop(hold);
    drop(admin);

    // Nothing of the batch was kept; the till had moved nothing; it sends it all again.
    cluster.start_again();
    assert_eq!(held(&cluster, "till-1").await, (0, 0));
    let mut l = till_ledger(dir.path(), "till-1");
    assert_eq!(forward::waiting(&l).unwrap(), last);
    let s = sync(&mut l, &cluster.till(&login), "till-1").await.unwrap();
    assert_eq!((s.accepted, s.duplicates, s.head_id), (last, 0, last));
    assert_eq!(held(&cluster, "till-1").await, (last, last));
}

/// A till's role may record a close only as the close itself would: the server refuses a day
/// that has not begun, a close of no Z, one that leaves a Z out, and one made from heads that
/// moved since they were read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_a_close_that_cannot_be_right() {
    let cluster = Cluster::start();
    server::init(&cluster.admin(), "Europe/Zurich")
        .await
        .unwrap();
    let tz: chrono_tz::Tz = TZ.parse().unwrap();
    let mut clients = Vec::new();
    for name in ["till-1", "till-2"] {
        let login = server::join(&cluster.admin(), name).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut l = till_ledger(dir.path(), name);
        sell_paid(&mut l, name, 250);
        report::close(&mut l, name, false, None, "Olga").unwrap();
        sync(&mut l, &cluster.till(&login), name).await.unwrap();
        clients.push(connect(&cluster.till(&login)).await.unwrap());
    }
    let shop = books::read(&clients[0]).await.unwrap();
    let today = calendar::today(tz);
    let until = till_core::ledger::time_text(calendar::day_bounds(today, tz).1);
    let heads: serde_json::Value = shop
        .tills
        .iter()
        .map(|t| (t.terminal.clone(), json!(t.head_id)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let z_of = |t: usize| {
        let till = &shop.tills[t];
        let z = &till.books.zs()[0];
        json!({"terminal": till.terminal, "z_no": 1, "entry_id": z.z.event_id, "hash": z.z.chain_head})
    };
    let record = |day: String, until: String, zs: serde_json::Value, heads: serde_json::Value| {
        let c = &clients[0];
        async move {
            c.query_one(
                "SELECT till_shop.record_close($1::text::date, $2, '{}', $3, $4)",
                &[&day, &until, &zs.to_string(), &heads],
            )
            .await
            .map_err(|e| {
                e.as_db_error()
                    .map(|d| d.message().to_owned())
                    .unwrap_or_default()
            })
        }
    };
    let far = record(
        "2999-01-01".into(),
        "2999-01-02T00:00:00.000Z".into(),
        json!([z_of(0), z_of(1)]),
        heads.clone(),
    )
    .await
    .unwrap_err();
    assert!(far.contains("has not begun"), "{far}");
    let none = record(today.to_string(), until.clone(), json!([]), heads.clone())
        .await
        .unwrap_err();
    assert!(none.contains("at least one Z"), "{none}");
    let one = record(
        today.to_string(),
        until.clone(),
        json!([z_of(0)]),
        heads.clone(),
    )
    .await
    .unwrap_err();
    assert!(one.contains("leaves out a Z"), "{one}");
    let mut moved = heads.clone();
    moved["till-2"] = json!(1);
    let stale = record(
        today.to_string(),
        until.clone(),
        json!([z_of(0), z_of(1)]),
        moved,
    )
    .await
    .unwrap_err();
    assert!(stale.contains("sent entries while the close"), "{stale}");
    // Nothing of the refused ones was kept; the right one goes through.
    assert!(books::read(&clients[0]).await.unwrap().closes.is_empty());
    record(today.to_string(), until, json!([z_of(0), z_of(1)]), heads)
        .await
        .unwrap();
    let v = books::read(&clients[1]).await.unwrap().verify();
    assert!(
        v.is_err(),
        "its report ('{{}}') does not add up, and verify says so"
    );
}
