//! The shop's server: its SQL, versioned like the till's own migrations, and the tills' roles.

use rand::Rng;

use crate::{connect, ShopError};

/// The server's migrations, in order; a released one is never edited, a change is a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../sql/v1.sql"),
    include_str!("../sql/v2.sql"),
    include_str!("../sql/v3.sql"),
    include_str!("../sql/v4.sql"),
    include_str!("../sql/v5.sql"),
];

/// An arbitrary key for PostgreSQL's advisory lock: two owners running `init` at once take
/// turns rather than both creating the schema.
const INIT_LOCK: i64 = 0x7469_6c6c_7368_6f70; // "tillshop"

/// Prepares or brings up to date the shop's schema, functions and roles, with an
/// administrator's URL, and sets the zone the shop's days are counted in (`timezone`, an IANA
/// name) unless the shop has one already. Idempotent: a second run finds every migration
/// applied and changes nothing. Returns the schema's version.
pub async fn init(admin_url: &str, timezone: &str) -> Result<u32, ShopError> {
    let mut client = connect(admin_url).await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS public.till_shop_version (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    let applied: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM public.till_shop_version",
            &[],
        )
        .await?
        .get(0);
    let applied = usize::try_from(applied).unwrap_or(0);
    if applied > MIGRATIONS.len() {
        return Err(ShopError::Refused(format!(
            "the shop's server was prepared by a newer Till (its schema is version {applied}, this Till knows {}): update this till first",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        tx.batch_execute(sql).await?;
        let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO public.till_shop_version (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO till_shop.settings (key, value) VALUES ('timezone', $1) ON CONFLICT (key) DO NOTHING",
        &[&timezone],
    )
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX))
}

/// What a till logs in with once it has joined: its own role and password.
#[derive(Clone, PartialEq, Eq)]
pub struct TillLogin {
    /// The PostgreSQL role: `till_`, the terminal's name and a mark of the shop's database.
    pub role: String,
    /// A fresh random password (for the till's keychain, never shown).
    pub password: String,
}

impl std::fmt::Debug for TillLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TillLogin")
            .field("role", &self.role)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Joins the terminal named `terminal` to the shop, with an administrator's URL: a login role
/// of its own, member of the shop's group of tills (which may call the tills' functions only),
/// and its row in `till_shop.terminals`. A name already in the shop is refused, and nothing
/// changes.
pub async fn join(admin_url: &str, terminal: &str) -> Result<TillLogin, ShopError> {
    if terminal.is_empty()
        || terminal.len() > 32
        || !terminal
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ShopError::Refused(format!(
            "{terminal:?} is not a till's name (1 to 32 of a-z, 0-9 and -)"
        )));
    }
    let password: String = rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    let mut client = connect(admin_url).await?;
    let tx = client.transaction().await?;
    // Roles belong to the whole server: the till's and its group's names carry a mark of this
    // shop's database, so two shops on one server never share one.
    let row = tx
        .query_one("SELECT till_shop.tag(), till_shop.tills_role()::text", &[])
        .await?;
    let (tag, group): (String, String) = (row.get(0), row.get(1));
    let role = format!("till_{}_{tag}", terminal.replace('-', "_"));
    let taken = tx
        .query_opt(
            "SELECT 1 FROM till_shop.terminals WHERE name = $1",
            &[&terminal],
        )
        .await?;
    if taken.is_some() {
        return Err(ShopError::Refused(format!(
            "a till named {terminal} is already in the shop: give this one another name"
        )));
    }
    // Role names and passwords cannot be bound parameters; the names are made of safe
    // characters, and the password goes as its SCRAM verifier (safe in a server's log).
    let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
    tx.batch_execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD '{verifier}' IN ROLE \"{group}\""
    ))
    .await?;
    tx.execute(
        "INSERT INTO till_shop.terminals (name, role) VALUES ($1, $2)",
        &[&terminal, &role],
    )
    .await?;
    tx.commit().await?;
    Ok(TillLogin { role, password })
}

/// Undoes a [`join`] that could not be finished (the till could not keep its login): the
/// terminal's row and its role go, as long as the shop holds none of its entries.
pub async fn leave(admin_url: &str, terminal: &str) -> Result<(), ShopError> {
    let mut client = connect(admin_url).await?;
    let tx = client.transaction().await?;
    let Some(row) = tx
        .query_opt(
            "SELECT role, head_id FROM till_shop.terminals WHERE name = $1 FOR UPDATE",
            &[&terminal],
        )
        .await?
    else {
        return Ok(());
    };
    let (role, head): (String, i64) = (row.get(0), row.get(1));
    if head > 0 {
        return Err(ShopError::Refused(format!(
            "the shop holds entries of {terminal}: it stays in the shop"
        )));
    }
    tx.execute(
        "DELETE FROM till_shop.terminals WHERE name = $1",
        &[&terminal],
    )
    .await?;
    // The role's name is made of safe characters (see `join`).
    tx.batch_execute(&format!("DROP ROLE {role}")).await?;
    tx.commit().await?;
    Ok(())
}

/// Clears a till's standing alarm, with an administrator's URL, once the owner has looked (a
/// till restored from an old backup must join again under a new name instead: its journal and
/// the shop's copy part ways). The alarm stays on record in `till_shop.alarms`.
pub async fn clear_alarm(admin_url: &str, terminal: &str) -> Result<(), ShopError> {
    let client = connect(admin_url).await?;
    client
        .execute("SELECT till_shop.clear_alarm($1)", &[&terminal])
        .await?;
    Ok(())
}
