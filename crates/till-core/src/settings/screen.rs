//! The settings screen's settings (and `till settings`): read together, checked together, and
//! saved in one transaction, so a refused value leaves every setting as it was.

use crate::words::Lang;
use serde::{Deserialize, Serialize};

use super::{
    flag, gateway, get_or, idle_lock_minutes, selling, shop_name, shop_timezone, AUTO_EXPORT_DIR,
    CUSTOMER_DISPLAY, GATEWAY_URL, IDLE_LOCK_MINUTES, NETWORK, SHOP_NAME, SOUND, TIMEZONE,
};
use crate::{
    environment::check_base_url,
    ledger::{Ledger, LedgerError},
    money::bill::{Percent, Tax},
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
    /// The tax rate of a typed amount: `21% included`, `8.375% added` or `none`.
    pub default_tax: String,
    /// Offer the customer a tip before the QR is made.
    pub tips: bool,
    /// The tip percentages offered, as `10,15,20`.
    pub tip_presets: String,
    /// Tips include tax at the default rate (off: tips are untaxed).
    pub tips_taxed: bool,
    /// The largest order discount, in percent, a cashier gives without the PIN.
    pub discount_limit: String,
    /// The shop's tax number, printed on receipts (empty: none).
    pub tax_number: String,
    /// The shop's language (`en`, `es`, `pt-BR`, `de`, `fr`): the screen, receipts, reports.
    pub language: String,
    /// The customer display's language; empty: the shop's.
    pub customer_language: String,
    /// Set by environment variables, so not editable here: `network`, `gateway_url`.
    pub fixed: Vec<String>,
}

/// The keys `till settings set` takes, as the settings screen names them.
pub const KEYS: [&str; 16] = [
    "shop_name",
    "sound",
    "idle_lock_minutes",
    "customer_display",
    "network",
    "gateway_url",
    "auto_export_dir",
    "timezone",
    "default_tax",
    "tips",
    "tip_presets",
    "tips_taxed",
    "discount_limit",
    "tax_number",
    "language",
    "customer_language",
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
    /// The terminal already has sales under its name, which therefore cannot change (receipt
    /// numbers count per terminal).
    #[error("this till already has sales as terminal {0}; its name cannot change")]
    TerminalInUse(String),
    /// The PIN's format is refused, or it could not be hashed.
    #[error(transparent)]
    Pin(#[from] crate::pin::PinError),
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

/// A language Till speaks, by its tag (`de`, `pt-BR`; `de-CH` or `de_DE.UTF-8` are German).
pub fn check_language(tag: &str) -> Result<Lang, SettingsError> {
    Lang::closest(tag.trim()).ok_or_else(|| {
        let tags: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
        bad(format!(
            "Till speaks {}; not \"{}\"",
            tags.join(", "),
            tag.trim().chars().take(20).collect::<String>()
        ))
    })
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
            default_tax: match ledger
                .setting(selling::DEFAULT_TAX)?
                .as_deref()
                .map(Tax::parse)
            {
                Some(Ok(t)) if t != Tax::NONE => t.to_string(),
                Some(Err(_)) => ledger.setting(selling::DEFAULT_TAX)?.unwrap_or_default(),
                _ => "none".to_owned(),
            },
            tips: flag(ledger, selling::TIPS, false),
            tip_presets: get_or(ledger, selling::TIP_PRESETS, selling::DEFAULT_TIP_PRESETS)?,
            tips_taxed: flag(ledger, selling::TIPS_TAXED, false),
            discount_limit: get_or(
                ledger,
                selling::DISCOUNT_LIMIT,
                selling::DEFAULT_DISCOUNT_LIMIT,
            )?,
            tax_number: ledger.setting(selling::TAX_NUMBER)?.unwrap_or_default(),
            language: super::language(ledger).tag().to_owned(),
            customer_language: ledger
                .setting(super::CUSTOMER_LANGUAGE)?
                .and_then(|t| Lang::closest(&t))
                .map(|l| l.tag().to_owned())
                .unwrap_or_default(),
            fixed,
        })
    }

    /// Checks every value that changed, then saves those in one transaction; nothing else is
    /// written, so a default (the system's time zone, the default gateway) is never frozen into
    /// the ledger by saving something else, and one setting that was stored unusable does not
    /// stop the others from being changed. The network and the gateway address are saved only
    /// when no environment variable sets them.
    pub fn save(&self, ledger: &mut Ledger, env: &Environment) -> Result<Saved, SettingsError> {
        let now = Self::load(ledger, env)?;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.shop_name != now.shop_name {
            pairs.push((SHOP_NAME, check_shop_name(&self.shop_name)?));
        }
        if self.sound != now.sound {
            pairs.push((SOUND, on_off(self.sound).into()));
        }
        if self.idle_lock_minutes != now.idle_lock_minutes {
            if self.idle_lock_minutes > MAX_IDLE_LOCK_MINUTES {
                return Err(bad(format!(
                    "the idle lock is 0 (never) to {MAX_IDLE_LOCK_MINUTES} minutes"
                )));
            }
            pairs.push((IDLE_LOCK_MINUTES, self.idle_lock_minutes.to_string()));
        }
        if self.customer_display != now.customer_display {
            pairs.push((CUSTOMER_DISPLAY, on_off(self.customer_display).into()));
        }
        if self.network != now.network && !env.network_set {
            let network: aurpay::Network = self
                .network
                .trim()
                .parse()
                .map_err(|e: aurpay::network::UnknownNetwork| bad(e.to_string()))?;
            pairs.push((NETWORK, network.to_string()));
        }
        if self.gateway_url != now.gateway_url && !env.base_url_set {
            // Said as the screen names it: the environment variable's wording would mislead here.
            let url = check_base_url(&self.gateway_url).map_err(|_| {
                bad(format!(
                    "the gateway address \"{}\" is not a web address; it must start with http:// or https://",
                    self.gateway_url.trim().chars().take(80).collect::<String>().escape_debug()
                ))
            })?;
            pairs.push((GATEWAY_URL, url));
        }
        if self.auto_export_dir != now.auto_export_dir {
            let dir = self.auto_export_dir.trim();
            if !dir.is_empty() {
                let path = std::path::Path::new(dir);
                if !path.is_absolute() || !path.is_dir() {
                    return Err(bad(format!(
                        "the export folder {dir} does not exist (give a full path to a folder)"
                    )));
                }
            }
            pairs.push((AUTO_EXPORT_DIR, dir.to_owned()));
        }
        if self.timezone != now.timezone {
            let tz = self.timezone.trim();
            if tz.parse::<chrono_tz::Tz>().is_err() {
                return Err(bad(format!(
                    "the time zone \"{}\" is not known; use a name such as Europe/Zurich",
                    tz.chars().take(40).collect::<String>()
                )));
            }
            pairs.push((TIMEZONE, tz.to_owned()));
        }
        if self.default_tax != now.default_tax {
            let tax = Tax::parse(&self.default_tax).map_err(|e| bad(e.to_string()))?;
            pairs.push((
                selling::DEFAULT_TAX,
                if tax == Tax::NONE {
                    String::new()
                } else {
                    tax.to_string()
                },
            ));
        }
        if self.tips != now.tips {
            pairs.push((selling::TIPS, on_off(self.tips).into()));
        }
        if self.tip_presets != now.tip_presets {
            let presets = selling::parse_presets(&self.tip_presets).map_err(|_| {
                bad(format!(
                    "the tip choices \"{}\" are not percentages from 0 to 100 separated by commas, such as 10,15,20",
                    self.tip_presets.trim().chars().take(40).collect::<String>()
                ))
            })?;
            if presets.len() > 4 {
                return Err(bad("offer at most four tip percentages"));
            }
            let text: Vec<String> = presets.iter().map(|p| p.value().to_string()).collect();
            pairs.push((selling::TIP_PRESETS, text.join(",")));
        }
        if self.tips_taxed != now.tips_taxed {
            pairs.push((selling::TIPS_TAXED, on_off(self.tips_taxed).into()));
        }
        if self.discount_limit != now.discount_limit {
            let limit = Percent::parse(&self.discount_limit).map_err(|_| {
                bad(format!(
                    "the discount limit \"{}\" is not a percentage from 0 to 100",
                    self.discount_limit
                        .trim()
                        .chars()
                        .take(40)
                        .collect::<String>()
                ))
            })?;
            pairs.push((selling::DISCOUNT_LIMIT, limit.value().to_string()));
        }
        if self.tax_number != now.tax_number {
            let number = crate::till::clean_text(&self.tax_number, 40)
                .map_err(|max| bad(format!("the tax number is longer than {max} characters")))?;
            pairs.push((selling::TAX_NUMBER, number));
        }
        if self.language != now.language {
            pairs.push((
                super::LANGUAGE,
                check_language(&self.language)?.tag().into(),
            ));
        }
        if self.customer_language != now.customer_language {
            let tag = match self.customer_language.trim() {
                "" => String::new(),
                t => check_language(t)?.tag().into(),
            };
            pairs.push((super::CUSTOMER_LANGUAGE, tag));
        }
        if pairs.is_empty() {
            return Ok(Saved {
                restart_needed: false,
            });
        }
        let before = (gateway(ledger, env)?, shop_name(ledger)?);
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        ledger.set_settings(&refs)?;
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
            "default_tax" => s.default_tax = value.into(),
            "tips" => s.tips = yes_no(value)?,
            "tip_presets" => s.tip_presets = value.into(),
            "tips_taxed" => s.tips_taxed = yes_no(value)?,
            "discount_limit" => s.discount_limit = value.into(),
            "tax_number" => s.tax_number = value.into(),
            "language" => s.language = value.into(),
            "customer_language" => s.customer_language = value.into(),
            other => return Err(SettingsError::UnknownKey(other.chars().take(40).collect())),
        }
        let saved = s.save(ledger, env)?;
        Ok((Self::load(ledger, env)?, saved))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::from_lookup(|k| (k == "TILL_DATA_DIR").then(|| "/tmp/till-settings".into()))
            .unwrap()
    }

    #[test]
    fn one_setting_changed_writes_that_one_only() {
        let mut ledger = Ledger::in_memory().unwrap();
        let env = env();
        let (s, saved) = Settings::set(&mut ledger, &env, "sound", "off").unwrap();
        assert!(!s.sound);
        assert!(!saved.restart_needed);
        assert_eq!(ledger.setting(SOUND).unwrap().as_deref(), Some("off"));
        for untouched in [TIMEZONE, NETWORK, GATEWAY_URL, SHOP_NAME, IDLE_LOCK_MINUTES] {
            assert_eq!(ledger.setting(untouched).unwrap(), None, "{untouched}");
        }
        let (_, saved) = Settings::set(&mut ledger, &env, "shop_name", "Corner Café").unwrap();
        assert!(saved.restart_needed, "the running till shows the name");
    }

    #[test]
    fn the_language_is_one_till_speaks_and_the_customer_may_have_another() {
        let mut ledger = Ledger::in_memory().unwrap();
        let env = env();
        let (s, _) = Settings::set(&mut ledger, &env, "language", "de_CH.UTF-8").unwrap();
        assert_eq!(s.language, "de");
        assert_eq!(s.customer_language, "");
        let (s, _) = Settings::set(&mut ledger, &env, "customer_language", "en").unwrap();
        assert_eq!(
            (s.language.as_str(), s.customer_language.as_str()),
            ("de", "en")
        );
        let err = Settings::set(&mut ledger, &env, "language", "klingon").unwrap_err();
        assert!(
            err.to_string()
                .contains("Till speaks en, es, pt-BR, de, fr"),
            "{err}"
        );
        assert_eq!(
            ledger.setting(super::super::LANGUAGE).unwrap().as_deref(),
            Some("de")
        );
        let (s, _) = Settings::set(&mut ledger, &env, "customer_language", "").unwrap();
        assert_eq!(s.customer_language, "");
    }

    #[test]
    fn a_setting_stored_unusable_does_not_block_the_others() {
        let mut ledger = Ledger::in_memory().unwrap();
        ledger.set_setting(TIMEZONE, "Mars/Olympus").unwrap();
        let env = env();
        Settings::set(&mut ledger, &env, "idle_lock_minutes", "9").unwrap();
        assert_eq!(
            ledger.setting(IDLE_LOCK_MINUTES).unwrap().as_deref(),
            Some("9")
        );
        let err = Settings::set(&mut ledger, &env, "idle_lock_minutes", "241").unwrap_err();
        assert!(err.to_string().contains("0 (never) to 240"), "{err}");
        Settings::set(&mut ledger, &env, "timezone", "Europe/Zurich").unwrap();
        assert_eq!(
            ledger.setting(TIMEZONE).unwrap().as_deref(),
            Some("Europe/Zurich")
        );
    }
}
