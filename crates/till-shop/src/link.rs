//! The till's link to the shop as its screens show it, and one round of forwarding as the app
//! runs it in the background.
//!
//! A round opens its own handle on the till's ledger, never the one sales are written through,
//! so a slow or silent server never holds a sale up: SQLite lets it read the journal while the
//! till writes, and its only write (the watermark) is one small transaction.

use std::{path::Path, time::Duration};

use serde::Serialize;
use till_core::{ledger::Ledger, secrets::SecretStore};

use crate::{connect, forward, login, ShopError};

/// The shop link's state: the readiness light beside the gateway's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LinkState {
    /// The till has joined a shop (nothing to show otherwise).
    pub joined: bool,
    /// The server, as an owner may see it (host, port, database).
    pub server: String,
    /// Journal entries the server has not confirmed.
    pub waiting: i64,
    /// When the server last confirmed the whole journal (UTC).
    pub last_sent_at: Option<String>,
    /// The alarm the server raised (a gap, a fork, a broken chain), while it stands.
    pub alarm: Option<String>,
    /// Why the last round did not go through (the server cannot be reached): the till keeps
    /// selling and tries again.
    pub problem: Option<String>,
}

/// One round for the till whose ledger is in `data_dir`: reads its login (environment or
/// keychain), sends what waits, and answers the link's state. Gives up on a server that has not
/// answered `within`.
pub async fn round(data_dir: &Path, store: &dyn SecretStore, within: Duration) -> LinkState {
    // The login first: a till that has not joined a shop opens nothing.
    let login = match login::load(store) {
        Ok(Some((url, _))) => url,
        Ok(None) => return LinkState::default(),
        Err(e) => {
            return LinkState {
                problem: Some(e.to_string()),
                ..LinkState::default()
            }
        }
    };
    let mut ledger = match Ledger::open_in(data_dir) {
        Ok(l) => l,
        Err(e) => {
            return LinkState {
                joined: true,
                server: login::shown(login.expose()),
                problem: Some(format!("the till's ledger: {e}")),
                ..LinkState::default()
            }
        }
    };
    let terminal = till_core::settings::terminal(&ledger).unwrap_or_default();
    let sent = tokio::time::timeout(within, async {
        let client = connect(login.expose()).await?;
        forward::sync_once(&mut ledger, &client, &terminal).await
    })
    .await
    .unwrap_or_else(|_| {
        Err(ShopError::Unreachable(format!(
            "no answer in {} s",
            within.as_secs()
        )))
    });
    let here = forward::local(&ledger).unwrap_or_default();
    LinkState {
        joined: true,
        server: login::shown(login.expose()),
        waiting: here.waiting,
        last_sent_at: here.last_sent_at,
        alarm: here.alarm,
        problem: match sent {
            Ok(_) | Err(ShopError::Alarm { .. }) => None,
            Err(e) => Some(e.to_string()),
        },
    }
}
