//! The shop's shared ledger on PostgreSQL (issue 19): several tills, one set of books.
//!
//! Each till stays the single writer of its own documents: its SQLite ledger is written first,
//! as always. What this crate adds is the way its journal reaches the shop's server, entry for
//! entry, and what the server checks on the way in, in PostgreSQL itself:
//!
//! - [`server`]: the server's versioned SQL (`sql/v*.sql`: the schema, `till_shop.ingest`, the
//!   tills' role) applied by [`server::init`], idempotent; and [`server::join`], which gives a till
//!   its own login role, able to call `ingest` for its own terminal and nothing else.
//! - [`forward`]: a till's side, [`forward::send`]: a batch of journal entries in one call of
//!   `ingest`, whose answer says how many were accepted, how many were already there (the same
//!   bytes: a resend after a lost answer), and the alarm that stopped it (a gap, a fork, a broken
//!   chain), which the server keeps until the owner has looked.
//!
//! The server recomputes every entry's SHA-256 from the bytes sent (`till_shop.entry_hash`, the
//! same fields and encoding as `till_core::ledger::chain`), so the shop's copy of each till's
//! chain verifies end to end.

pub mod books;
pub mod forward;
pub mod link;
pub mod login;
pub mod server;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tls;

/// Why a call to the shop's server did not do what was asked, in words a till's owner can act on.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    /// The server cannot be reached, or refused the login: the till keeps selling and tries later.
    #[error("the shop's server cannot be reached: {0}")]
    Unreachable(String),
    /// The server refused what was asked (a name already taken, a role without the right).
    #[error("the shop's server refused: {0}")]
    Refused(String),
    /// The server stopped taking this till's entries: a gap, a fork or a broken chain.
    #[error("the shop's server raised an alarm on entry {entry_id} ({kind}): {detail}")]
    Alarm {
        /// `gap`, `fork`, `broken_chain`, or `standing` (raised earlier, not yet cleared).
        kind: String,
        /// The entry it stopped at.
        entry_id: i64,
        /// What the server said.
        detail: String,
    },
    /// A shop day close cannot be made yet: these tills have documents of the day no Z of
    /// theirs has sealed (or their alarm stands).
    #[error("waiting for {}: {why}", tills.join(", "))]
    Waiting {
        /// The tills' names.
        tills: Vec<String>,
        /// What each one lacks.
        why: String,
    },
    /// The shop's copy of the books does not read or add up (a till's journal, a close).
    #[error("the shop's books: {0}")]
    Books(String),
    /// Another transaction got there first (PostgreSQL's serialization failure): try again.
    #[error("another writer got there first: {0}")]
    Retry(String),
    /// The OS keychain, where a till keeps its login, cannot be used.
    #[error("the keychain: {0}")]
    Keychain(String),
    /// The till's own ledger could not be read.
    #[error("the till's ledger: {0}")]
    Ledger(#[from] till_core::ledger::LedgerError),
}

impl From<tokio_postgres::Error> for ShopError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.as_db_error() {
            // The server is going away or out of room (class 57: shutting down, 08: the
            // connection, 53: resources): the till tries again later, as when it cannot connect.
            Some(db) if ["57", "08", "53"].contains(&&db.code().code()[..2]) => {
                ShopError::Unreachable(db.message().to_owned())
            }
            // The server answered: it refused the statement, in its own words.
            Some(db) => ShopError::Refused(db.message().to_owned()),
            None => ShopError::Unreachable(with_causes(&e)),
        }
    }
}

/// Connects with a `postgres://` URL: in the clear only to this computer, otherwise over TLS
/// with the server's certificate checked (see [`tls`]); the connection is driven on the current
/// tokio runtime.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, ShopError> {
    let (url, plan) = tls::plan(url)?;
    match plan {
        tls::Plan::Plain => open(&url, tokio_postgres::NoTls).await,
        tls::Plan::Tls { root } => open(&url, tls::connector(root.as_deref())?).await,
    }
}

/// Connects through `tls` and drives the connection until its client is dropped or the server
/// goes: either way the next call says so.
async fn open<T>(url: &str, tls: T) -> Result<tokio_postgres::Client, ShopError>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
    T::Stream: Send + 'static,
{
    let (client, connection) = tokio_postgres::connect(url, tls)
        .await
        .map_err(|e| ShopError::Unreachable(with_causes(&e)))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// An error with what caused it ("error performing TLS handshake: invalid peer certificate:
/// UnknownIssuer"): the first line alone seldom says what to fix.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_text = c.to_string();
        if !out.contains(&c_text) {
            out = format!("{out}: {c_text}");
        }
        cause = c.source();
    }
    out
}
