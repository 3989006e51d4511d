//! The settings screen's settings (and `till settings`): read together, checked together, and
//! saved in one transaction, so a refused value leaves every setting as it was.

use serde::{Deserialize, Serialize};

use super::{
    flag, gateway, idle_lock_minutes, shop_name, shop_timezone, AUTO_EXPORT_DIR, CUSTOMER_DISPLAY,
    GATEWAY_URL, IDLE_LOCK_MINUTES, NETWORK, SHOP_NAME, SOUND, TIMEZONE,
};
use crate::{
    environment::check_base_url,
    ledger::{Ledger, LedgerError},
    Environment,
};

/// The longest shop name.
pub const MAX_SHOP_NAME_CHARS: usize = 60;
/// The longest idle lock, in minutes.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 240;

/// The settings a manager can change (nothing here is secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    /// The shop's name (receipts, customer display).
    pub shop_name: String,
    /// The paid chime.
    pub sound: bool,
    /// Minutes without a touch or key before the till locks itself (0: never; at most 240).
    pub idle_lock_minutes: u32,
    /// Open the customer display when the app starts.
    pub customer_display: bool,
    /// `bitcoin`, `testnet`, `signet` or `regtest`.
    pub network: String,
    /// The gateway's address (advanced).
    pub gateway_url: String,
    /// A folder each Z report's documents are exported to as CSV; empty for none.
    pub auto_export_dir: String,
    /// The shop's time zone (IANA name), for its days.
    pub timezone: String,
    /// Set by environment variables, so not editable here: `network`, `gateway_url`.
    pub fixed: Vec<String>,
}

/// The keys `till settings set` takes, as the settings screen names them.
pub const KEYS: [&str; 8] = [
    "shop_name",
    "sound",
    "idle_lock_minutes",
    "customer_display",
    "network",
    "gateway_url",
    "auto_export_dir",
    "timezone",
];

/// Why settings were not saved. Nothing was saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value is not usable; the sentence says which and what to give instead.
    #[error("{0}")]
    Bad(String),
    /// No such setting.
    #[error("there is no setting \"{0}\"; the settings are {keys}", keys = KEYS.join(", "))]
    UnknownKey(String),
    /// An environment variable sets it; change it there.
    #[error("{0} is set by the environment variable {1}, which wins; change it there")]
    Fixed(&'static str, &'static str),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

fn bad(message: impl Into<String>) -> SettingsError {
    SettingsError::Bad(message.into())
}

/// The one rule for a shop's name: control characters become spaces, runs of space one space,
/// and what is left is 1 to 60 characters.
pub fn check_shop_name(text: &str) -> Result<String, SettingsError> {
    let cleaned = crate::till::clean_text(text, MAX_SHOP_NAME_CHARS)
        .map_err(|max| bad(format!("the shop's name is longer than {max} characters")))?;
    if cleaned.is_empty() {
        return Err(bad("give the shop's name"));
    }
    Ok(cleaned)
}

/// The one rule for a terminal's name: 1 to 32 lower-case letters, digits or dashes (it is part
/// of file names and of every receipt's identity).
pub fn check_terminal(text: &str) -> Result<String, SettingsError> {
    let t = text.trim().to_lowercase();
    let ok = (1..=32).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        return Err(bad(
            "a terminal name is 1 to 32 letters, digits or dashes, such as till-1",
        ));
    }
    Ok(t)
}

/// What a save changed that needs the till started again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    /// The gateway address, the network or the shop's name changed: the running till must be
    /// started again with them.
    pub restart_needed: bool,
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

impl Settings {
    /// The settings as stored (and as the environment overrides them).
    pub fn load(ledger: &Ledger, env: &Environment) -> Result<Self, SettingsError> {
        let (url, network) = gateway(ledger, env)?;
        let mut fixed = Vec::new();
        if env.network_set {
            fixed.push("network".to_owned());
        }
        if env.base_url_set {
            fixed.push("gateway_url".to_owned());
        }
        Ok(Self {
            shop_name: shop_name(ledger)?,
            sound: flag(ledger, SOUND, true),
            idle_lock_minutes: idle_lock_minutes(ledger),
            customer_display: flag(ledger, CUSTOMER_DISPLAY, false),
            network: network.to_string(),
            gateway_url: url,
            auto_export_dir: ledger.setting(AUTO_EXPORT_DIR)?.unwrap_or_default(),
            timezone: shop_timezone(ledger)
                .map(|tz| tz.name().to_owned())
                .unwrap_or_default(),
            fixed,
        })
    }

    /// Checks every value, then saves them all in one transaction. The network and the gateway
    /// address are saved only when no environment variable sets them.
    pub fn save(&self, ledger: &mut Ledger, env: &Environment) -> Result<Saved, SettingsError> {
        let name = check_shop_name(&self.shop_name)?;
        if self.idle_lock_minutes > MAX_IDLE_LOCK_MINUTES {
            return Err(bad(format!(
                "the idle lock is 0 (never) to {MAX_IDLE_LOCK_MINUTES} minutes"
            )));
        }
        let network: aurpay::Network = self
            .network
            .trim()
            .parse()
            .map_err(|e: aurpay::network::UnknownNetwork| bad(e.to_string()))?;
        // Said as the screen names it: the environment variable's wording would mislead here.
        let url = check_base_url(&self.gateway_url).map_err(|_| {
            bad(format!(
                "the gateway address \"{}\" is not a web address; it must start with http:// or https://",
                self.gateway_url.trim().chars().take(80).collect::<String>().escape_debug()
            ))
        })?;
        let dir = self.auto_export_dir.trim();
        if !dir.is_empty() {
            let path = std::path::Path::new(dir);
            if !path.is_absolute() || !path.is_dir() {
                return Err(bad(format!(
                    "the export folder {dir} does not exist (give a full path to a folder)"
                )));
            }
        }
        let tz = self.timezone.trim();
        if tz.parse::<chrono_tz::Tz>().is_err() {
            return Err(bad(format!(
                "the time zone \"{}\" is not known; use a name such as Europe/Zurich",
                tz.chars().take(40).collect::<String>()
            )));
        }
        let before = (gateway(ledger, env)?, shop_name(ledger)?);
        let idle = self.idle_lock_minutes.to_string();
        let network = network.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![
            (SHOP_NAME, &name),
            (SOUND, on_off(self.sound)),
            (IDLE_LOCK_MINUTES, &idle),
            (CUSTOMER_DISPLAY, on_off(self.customer_display)),
            (AUTO_EXPORT_DIR, dir),
            (TIMEZONE, tz),
        ];
        if !env.network_set {
            pairs.push((NETWORK, &network));
        }
        if !env.base_url_set {
            pairs.push((GATEWAY_URL, &url));
        }
        ledger.set_settings(&pairs)?;
        let after = (gateway(ledger, env)?, shop_name(ledger)?);
        Ok(Saved {
            restart_needed: before != after,
        })
    }

    /// Changes one setting by its key (`till settings set KEY VALUE`), through the same checks
    /// and the same save as the settings screen.
    pub fn set(
        ledger: &mut Ledger,
        env: &Environment,
        key: &str,
        value: &str,
    ) -> Result<(Self, Saved), SettingsError> {
        let mut s = Self::load(ledger, env)?;
        let yes_no = |v: &str| match v.trim().to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" => Ok(true),
            "off" | "false" | "no" | "0" => Ok(false),
            _ => Err(bad(format!("{key} is on or off, not \"{}\"", v.trim()))),
        };
        match key {
            "shop_name" => s.shop_name = value.into(),
            "sound" => s.sound = yes_no(value)?,
            "customer_display" => s.customer_display = yes_no(value)?,
            "idle_lock_minutes" => {
                s.idle_lock_minutes = value.trim().parse().map_err(|_| {
                    bad(format!(
                        "the idle lock is a number of minutes, 0 (never) to {MAX_IDLE_LOCK_MINUTES}"
                    ))
                })?
            }
            "network" if env.network_set => {
                return Err(SettingsError::Fixed("network", "AURPAY_NETWORK"))
            }
            "network" => s.network = value.into(),
            "gateway_url" if env.base_url_set => {
                return Err(SettingsError::Fixed("gateway_url", "AURPAY_BASE_URL"))
            }
            "gateway_url" => s.gateway_url = value.into(),
            "auto_export_dir" => s.auto_export_dir = value.into(),
            "timezone" => s.timezone = value.into(),
            other => return Err(SettingsError::UnknownKey(other.chars().take(40).collect())),
        }
        let saved = s.save(ledger, env)?;
        Ok((Self::load(ledger, env)?, saved))
    }
}
