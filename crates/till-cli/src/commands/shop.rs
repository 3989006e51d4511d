//! `till shop`: the shop's shared ledger on PostgreSQL, a few lines each over `till-shop`.

use std::time::Duration;

use aurpay::Secret;
use serde_json::json;
use till_core::{calendar, report, secrets::KeyringStore};
use till_shop::{books, forward, login, server, ShopError};

use super::say;
use crate::{
    context::{self, Globals},
    output, Failure, ShopCommand,
};

/// How long a command waits for the shop's server to answer before it says it cannot reach it.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

pub async fn run(g: &Globals, what: ShopCommand) -> Result<u8, Failure> {
    match what {
        ShopCommand::Init { url } => init(g, &url).await,
        ShopCommand::Join { url } => join(g, &url).await,
        ShopCommand::Status => status(g).await,
        ShopCommand::Sync {
            once,
            every,
            timeout,
        } => sync(g, once, every, timeout).await,
        ShopCommand::Report(d) => shop_report(g, d.day.as_deref()).await,
        ShopCommand::CloseDay { day, without } => close_day(g, day.as_deref(), &without).await,
        ShopCommand::Verify => verify(g).await,
        ShopCommand::ClearAlarm { url, terminal } => clear_alarm(g, &url, &terminal).await,
    }
}

/// The administrator's URL, with the password standard input gives when the URL lacks one
/// (none read, or an empty line: the server trusts this login without one).
fn admin_url(url: &str) -> Result<Secret, Failure> {
    if login::has_password(url)? {
        return Ok(Secret::new(url));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(Failure::from_display)?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        login::parse(url)?;
        return Ok(Secret::new(url));
    }
    Ok(login::with_password(url, password)?)
}

/// Runs `f` against the server, giving up after `within` with [`ShopError::Unreachable`].
async fn answered<T>(
    within: Duration,
    f: impl std::future::Future<Output = Result<T, ShopError>>,
) -> Result<T, ShopError> {
    tokio::time::timeout(within, f).await.unwrap_or_else(|_| {
        Err(ShopError::Unreachable(format!(
            "no answer in {} s",
            within.as_secs()
        )))
    })
}

/// The till's login, or what to do when it has none.
fn till_login() -> Result<(Secret, login::Source), Failure> {
    const JOIN: &str = "run `till shop join postgres://OWNER@SERVER/DATABASE` first";
    match login::load(&KeyringStore::new()) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(Failure::error(format!(
            "this till has not joined a shop: {JOIN}"
        ))),
        Err(e) => Err(Failure::error(format!(
            "this till has not joined a shop, or its login cannot be read ({e}); {JOIN}, or for headless use set {}",
            login::ENV
        ))),
    }
}

async fn init(g: &Globals, url: &str) -> Result<u8, Failure> {
    let admin = admin_url(url)?;
    let (_, ledger) = context::open_ledger(g)?;
    let tz = report::shop_timezone(&ledger)?;
    let version = answered(ANSWER_WITHIN, server::init(admin.expose(), tz.name())).await?;
    let shown = login::shown(admin.expose());
    say(
        g,
        json!({"ok": true, "server": shown, "schema_version": version}),
        &g.lang.fill(
            "cli_shop_ready",
            &[("server", &shown), ("version", &version)],
        ),
    );
    Ok(0)
}

async fn clear_alarm(g: &Globals, url: &str, terminal: &str) -> Result<u8, Failure> {
    let admin = admin_url(url)?;
    answered(ANSWER_WITHIN, server::clear_alarm(admin.expose(), terminal)).await?;
    say(
        g,
        json!({"ok": true, "terminal": terminal}),
        &g.lang
            .fill("cli_shop_alarm_cleared", &[("terminal", &terminal)]),
    );
    Ok(0)
}

async fn join(g: &Globals, url: &str) -> Result<u8, Failure> {
    let store = KeyringStore::new();
    if let Some((_, source)) = login::load(&store)? {
        return Err(Failure::error(match source {
            login::Source::Environment => format!(
                "{} is set: this till has a shop login already (unset it to join another shop)",
                login::ENV
            ),
            login::Source::Keychain => {
                "this till has joined a shop already (its login is in the keychain)".into()
            }
        }));
    }
    let (_, mut ledger) = context::open_ledger(g)?;
    let terminal = till_core::settings::terminal(&ledger)?;
    let admin = admin_url(url)?;
    let joined = answered(ANSWER_WITHIN, server::join(admin.expose(), &terminal)).await?;
    let till_url = login::till_url(admin.expose(), &joined)?;
    if let Err(e) = login::save(&store, &till_url) {
        // Leave the shop as it was: a role nobody holds the password of is no use.
        let undone = answered(ANSWER_WITHIN, server::leave(admin.expose(), &terminal)).await;
        return Err(Failure::error(format!(
            "the till's shop login could not be kept in the keychain, so it did not join{} ({e})",
            if undone.is_ok() {
                ""
            } else {
                "; remove the role by hand"
            }
        )));
    }
    let shown = login::shown(admin.expose());
    ledger.set_setting(SERVER, &shown)?;
    // A till that holds sales already sends its history first.
    let sent = answered(ANSWER_WITHIN, async {
        let client = till_shop::connect(till_url.expose()).await?;
        forward::sync_once(&mut ledger, &client, &terminal).await
    })
    .await;
    let (accepted, problem) = match &sent {
        Ok(s) => (s.accepted, None),
        Err(e) => (0, Some(e.to_string())),
    };
    say(
        g,
        json!({"ok": true, "terminal": terminal, "role": joined.role, "server": shown,
               "sent": accepted, "problem": problem}),
        &g.lang.fill(
            "cli_shop_joined",
            &[
                ("terminal", &terminal),
                ("server", &shown),
                ("sent", &accepted),
            ],
        ),
    );
    if let Some(p) = problem {
        eprintln!("till: the journal could not be sent yet: {p}");
    }
    Ok(0)
}

/// The ledger setting naming the shop's server as an owner may see it (no login).
const SERVER: &str = "shop_server";

async fn status(g: &Globals) -> Result<u8, Failure> {
    let (_, ledger) = context::open_ledger(g)?;
    let terminal = till_core::settings::terminal(&ledger)?;
    let (login, unreadable) = match login::load(&KeyringStore::new()) {
        Ok(l) => (l, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let forward::Local {
        waiting,
        last_sent_id,
        last_sent_at,
        alarm: local_alarm,
    } = forward::local(&ledger)?;
    let Some((url, source)) = login else {
        say(
            g,
            json!({"joined": false, "terminal": terminal, "waiting": waiting, "problem": unreadable}),
            g.lang.text("cli_shop_not_joined"),
        );
        if let (false, Some(p)) = (g.json, &unreadable) {
            eprintln!("till: {p}");
        }
        return Ok(0);
    };
    let server = answered(Duration::from_secs(10), async {
        let client = till_shop::connect(url.expose()).await?;
        let row = client
            .query_opt(
                "SELECT head_id, alarm, last_seen FROM till_shop.tills() WHERE name = $1",
                &[&terminal],
            )
            .await?;
        Ok(row.map(|r| (r.get::<_, i64>(0), r.get::<_, Option<String>>(1))))
    })
    .await;
    let (reachable, server_head, alarm, problem) = match server {
        Ok(Some((head, alarm))) => (true, Some(head), alarm, None),
        Ok(None) => (
            true,
            None,
            None,
            Some(format!("the shop has no till named {terminal}")),
        ),
        Err(e) => (false, None, local_alarm.clone(), Some(e.to_string())),
    };
    let shown = login::shown(url.expose());
    let v = json!({
        "joined": true,
        "terminal": terminal,
        "server": shown,
        "login_from": match source { login::Source::Environment => "environment", login::Source::Keychain => "keychain" },
        "reachable": reachable,
        "waiting": waiting,
        "last_sent_id": last_sent_id,
        "last_sent_at": last_sent_at,
        "server_head_id": server_head,
        "alarm": alarm,
        "problem": problem,
    });
    if g.json {
        output::line(&v);
        return Ok(0);
    }
    println!(
        "{}",
        g.lang.fill(
            "cli_shop_status",
            &[
                ("terminal", &terminal),
                ("server", &shown),
                ("waiting", &waiting),
                ("last", &last_sent_id),
                ("at", &last_sent_at.as_deref().unwrap_or("-")),
            ]
        )
    );
    if let Some(a) = &alarm {
        println!("{}", g.lang.fill("cli_shop_alarm", &[("alarm", a)]));
    }
    if let Some(p) = &problem {
        println!("{}", g.lang.fill("cli_shop_unreachable", &[("problem", p)]));
    }
    Ok(0)
}

async fn sync(g: &Globals, once: bool, every: u64, timeout: u64) -> Result<u8, Failure> {
    let (url, _) = till_login()?;
    let (_, mut ledger) = context::open_ledger(g)?;
    let terminal = till_core::settings::terminal(&ledger)?;
    let within = Duration::from_secs(timeout.max(1));
    loop {
        let round = answered(within, async {
            let client = till_shop::connect(url.expose()).await?;
            forward::sync_once(&mut ledger, &client, &terminal).await
        })
        .await;
        let waiting = forward::waiting(&ledger)?;
        match round {
            Ok(s) => say(
                g,
                json!({"ok": true, "accepted": s.accepted, "duplicates": s.duplicates,
                       "head_id": s.head_id, "waiting": waiting}),
                &g.lang.fill(
                    "cli_shop_synced",
                    &[
                        ("accepted", &s.accepted),
                        ("duplicates", &s.duplicates),
                        ("head", &s.head_id),
                    ],
                ),
            ),
            Err(e) if once => return Err(e.into()),
            Err(e) => {
                if g.json {
                    output::line(&json!({"ok": false, "error": e.to_string(), "waiting": waiting}));
                } else {
                    eprintln!("till: {e}");
                }
            }
        }
        if once {
            return Ok(0);
        }
        tokio::time::sleep(Duration::from_secs(every.max(1))).await;
    }
}

/// The shop's books read with the till's login, and the shop's time zone (the till's own).
async fn shop_books(g: &Globals) -> Result<(till_shop::books::Shop, chrono_tz::Tz), Failure> {
    let (url, _) = till_login()?;
    let (_, ledger) = context::open_ledger(g)?;
    let tz = report::shop_timezone(&ledger)?;
    let shop = answered(ANSWER_WITHIN, async {
        let mut client = till_shop::connect(url.expose()).await?;
        books::read_at_once(&mut client).await
    })
    .await?;
    let tz = shop.zone(tz);
    Ok((shop, tz))
}

async fn shop_report(g: &Globals, day: Option<&str>) -> Result<u8, Failure> {
    let day = day.map(calendar::parse_day).transpose()?;
    let (shop, tz) = shop_books(g).await?;
    let now = chrono::Utc::now();
    let r = match day {
        Some(d) => shop.day_report(d, tz, now)?,
        None => shop.x_report(tz, now)?,
    };
    print_shop_report(g, &r);
    Ok(0)
}

async fn close_day(g: &Globals, day: Option<&str>, without: &[String]) -> Result<u8, Failure> {
    let (url, _) = till_login()?;
    let (_, ledger) = context::open_ledger(g)?;
    let tz = report::shop_timezone(&ledger)?;
    let day = day.map(calendar::parse_day).transpose()?;
    let by = g.actor();
    let closed = answered(ANSWER_WITHIN, async {
        let mut client = till_shop::connect(url.expose()).await?;
        books::close_day(&mut client, day, tz, &by, without).await
    })
    .await;
    let closed = match closed {
        Err(e @ ShopError::Waiting { .. }) => {
            return Err(Failure {
                message: e.to_string(),
                code: 4,
            })
        }
        other => other?,
    };
    print_shop_report(g, &closed);
    if !g.json {
        println!(
            "{}",
            g.lang.fill(
                "cli_shop_closed",
                &[
                    ("label", &closed.report.label),
                    ("head", &closed.report.chain_head)
                ]
            )
        );
    }
    Ok(0)
}

async fn verify(g: &Globals) -> Result<u8, Failure> {
    let (shop, _) = shop_books(g).await?;
    let v = shop.verify()?;
    let ok = v.alarms.is_empty();
    if g.json {
        output::line(&json!({"ok": ok, "tills": v.tills, "entries": v.entries,
            "z_reports": v.z_reports, "closes": v.closes, "head": v.head, "alarms": v.alarms}));
    } else {
        println!(
            "{}",
            g.lang.fill(
                "cli_shop_verifies",
                &[
                    ("tills", &v.tills),
                    ("entries", &v.entries),
                    ("z", &v.z_reports),
                    ("closes", &v.closes),
                    ("head", &v.head)
                ]
            )
        );
        for a in &v.alarms {
            println!("{}", g.lang.fill("cli_shop_alarm", &[("alarm", a)]));
        }
    }
    Ok(if ok { 0 } else { 1 })
}

/// A shop report: `--json` as `till report` (the same fields, terminal `shop`) with each
/// till's part; as text, the report and a line per till.
fn print_shop_report(g: &Globals, r: &books::ShopReport) {
    if g.json {
        output::line(&serde_json::to_value(r).unwrap_or_default());
        return;
    }
    print!("{}", report::render_in(&r.report, g.lang));
    for t in &r.tills {
        let received = t
            .received
            .iter()
            .map(|l| format!("{} {}", l.amount, l.currency))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "{}",
            g.lang.fill(
                "cli_shop_till_line",
                &[
                    ("terminal", &t.terminal),
                    ("documents", &t.documents),
                    (
                        "received",
                        &if received.is_empty() {
                            "-".into()
                        } else {
                            received
                        }
                    ),
                    (
                        "zs",
                        &if t.zs.is_empty() {
                            "-".into()
                        } else {
                            t.zs.join(" ")
                        }
                    ),
                ]
            )
        );
    }
}
