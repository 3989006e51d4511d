//! The shop link's readiness light: the state the background forwarder (see
//! `events::watch_shop`) last found, asked by the window when it opens, and pushed to it as
//! `shop-changed` whenever it changes.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::State;
use till_shop::link::LinkState;
use ts_rs::TS;

use crate::{IpcError, Shell};

/// The shop link as the top bar shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShopLink {
    /// The till has joined a shop (the light shows only then).
    pub joined: bool,
    /// The server: host, port and database.
    pub server: String,
    /// Journal entries the shop has not confirmed yet.
    pub waiting: u32,
    /// When the shop last confirmed the whole journal (UTC).
    pub last_sent_at: Option<String>,
    /// The alarm the shop raised on this till's entries, while it stands.
    pub alarm: Option<String>,
    /// Why the last round did not reach the shop (the till keeps selling and sends later).
    pub problem: Option<String>,
}

impl From<LinkState> for ShopLink {
    fn from(s: LinkState) -> Self {
        Self {
            joined: s.joined,
            server: s.server,
            waiting: u32::try_from(s.waiting).unwrap_or(u32::MAX),
            last_sent_at: s.last_sent_at,
            alarm: s.alarm,
            problem: s.problem,
        }
    }
}

/// The last state the forwarder found.
#[derive(Debug, Default)]
pub struct LastLink(pub Mutex<ShopLink>);

/// The shop link's state, as last found (for whoever is at the till, as the gateway's light).
#[tauri::command]
pub fn shop_link(shell: State<'_, Shell>, last: State<'_, LastLink>) -> Result<ShopLink, IpcError> {
    shell.core()?;
    Ok(last.0.lock().map(|l| l.clone()).unwrap_or_default())
}
