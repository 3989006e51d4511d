//! The words Rust puts on paper and in a terminal (receipts, PDFs, printed receipts, reports, the
//! CLI's human output), in the shop's language. They are not a second set kept by hand: they are
//! the UI's own catalogs (`ui/messages/AREA/LOCALE.json`, Paraglide's message format), compiled
//! into the binary, so `node ui/scripts/i18n.mjs` checks both sides for missing keys and
//! mismatched placeholders, and the words a sale's state has are the same on screen and on paper.
//!
//! Machine output never goes through here: CSV headers, `--json` keys and the receipt's QR stay
//! the same in every language.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

/// A language Till speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the catalogs' base.
    #[default]
    En,
    /// Spanish, as Latin America (El Salvador) speaks it.
    Es,
    /// Portuguese, as Brazil speaks it.
    PtBr,
    /// German.
    De,
    /// French.
    Fr,
}

/// The catalogs' areas Rust reads.
const AREAS: [&str; 3] = ["common", "print", "cli"];

macro_rules! catalogs {
    ($($locale:literal),*) => {
        [$(
            [
                include_str!(concat!("../../../ui/messages/common/", $locale, ".json")),
                include_str!(concat!("../../../ui/messages/print/", $locale, ".json")),
                include_str!(concat!("../../../ui/messages/cli/", $locale, ".json")),
            ],
        )*]
    };
}

/// The raw catalogs, in [`Lang::ALL`]'s order, each area in [`AREAS`]' order.
const RAW: [[&str; AREAS.len()]; 5] = catalogs!("en", "es", "pt-BR", "de", "fr");

static CATALOGS: LazyLock<Vec<HashMap<String, String>>> = LazyLock::new(|| {
    RAW.iter()
        .map(|areas| {
            let mut words = HashMap::new();
            for text in areas {
                // The files are compiled in and checked by the UI's catalog check and this
                // module's tests: a broken one is a build defect, found before any release.
                let map: HashMap<String, serde_json::Value> =
                    serde_json::from_str(text).expect("a catalog is valid JSON");
                for (k, v) in map {
                    if let serde_json::Value::String(s) = v {
                        if k != "$schema" {
                            words.insert(k, s);
                        }
                    }
                }
            }
            words
        })
        .collect()
});

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::PtBr, Lang::De, Lang::Fr];

    /// Its BCP 47 tag, as the settings and the UI have it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::PtBr => "pt-BR",
            Lang::De => "de",
            Lang::Fr => "fr",
        }
    }

    /// The closest language to a tag or a POSIX locale: `de_CH.UTF-8` and `de-AT` are German,
    /// `pt_PT` is Portuguese as Brazil writes it; `C`, `POSIX` and the unknown are None.
    pub fn closest(tag: &str) -> Option<Lang> {
        let tag = tag.split(['.', '@']).next().unwrap_or("").replace('_', "-");
        let base = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "pt" => Some(Lang::PtBr),
            "de" => Some(Lang::De),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The language a terminal asks for, as POSIX orders it: `LC_ALL`, then `LC_MESSAGES`, then
    /// `LANG` (the first one set decides, even when it names a language Till lacks).
    pub fn from_env() -> Option<Lang> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// The system's language: the user's UI language on Windows and macOS, the locale variables
    /// on Linux (`sys-locale`); None when Till does not speak it.
    pub fn from_system() -> Option<Lang> {
        sys_locale::get_locale().and_then(|tag| Lang::closest(&tag))
    }

    /// [`Lang::from_env`] over any source of variables (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| var(k).filter(|v| !v.is_empty()))
            .map(|v| Lang::closest(&v))
            .next()
            .flatten()
    }

    fn words(self) -> &'static HashMap<String, String> {
        let i = Lang::ALL.iter().position(|l| *l == self).unwrap_or(0);
        &CATALOGS[i]
    }

    /// The words for `key`; English when this language lacks them (the catalog check makes that
    /// a failed build), the key itself when English lacks them too (a test renders every text).
    pub fn text(self, key: &str) -> &'static str {
        self.words()
            .get(key)
            .or_else(|| Lang::En.words().get(key))
            .map(String::as_str)
            .unwrap_or_else(|| {
                debug_assert!(false, "no words for {key}");
                "?"
            })
    }

    /// The words for `key` with each `{name}` replaced by its value.
    pub fn fill(self, key: &str, values: &[(&str, &dyn Display)]) -> String {
        let mut out = self.text(key).to_owned();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }

    /// A sale state's (or a report line's) word, lower case as a receipt or a report column has
    /// it: the screen's own words for it, from the `state_` keys.
    pub fn state_word(self, status: &str) -> String {
        self.text(&format!("state_{status}")).to_lowercase()
    }

    /// A tax rate with how it applies (`21% incl.`, `8,375% added`), as receipts and reports
    /// label a rate's row.
    pub fn tax_rate(self, rate: &str, included: bool) -> String {
        let key = if included {
            "print_rate_incl"
        } else {
            "print_rate_added"
        };
        self.fill(key, &[("rate", &self.amount(rate))])
    }

    /// A bill line's name as this language says it: the amount typed on the keypad is stored as
    /// [`crate::cart::CUSTOM_AMOUNT`] (the ledger and exports keep one stable name) and read in
    /// the reader's language; an item's name is the shop's own and stays as it is.
    pub fn line_name(self, name: &str) -> String {
        if name == crate::cart::CUSTOM_AMOUNT {
            self.text("print_custom_amount").to_owned()
        } else {
            name.to_owned()
        }
    }

    /// An exact decimal amount as this language writes it: `1234.50` stays in English and
    /// becomes `1234,50` in the others. Only the separator changes: never a rounding, never a
    /// parse, so the text on paper is the ledger's number.
    pub fn amount(self, decimal: &str) -> String {
        match self {
            Lang::En => decimal.to_owned(),
            _ => decimal.replace('.', ","),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// `text` padded with spaces to `width` characters, or cut with an ellipsis: a label in a
/// column whatever its language's word is.
pub fn fit(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        let mut s = text.to_owned();
        s.extend(std::iter::repeat_n(' ', width - n));
        return s;
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let en = Lang::En.words();
        assert!(en.len() > 50, "only {} keys", en.len());
        for lang in Lang::ALL {
            let words = lang.words();
            for (key, text) in en {
                let theirs = words
                    .get(key)
                    .unwrap_or_else(|| panic!("{lang}: {key} is missing"));
                assert!(!theirs.trim().is_empty(), "{lang}: {key} is empty");
                assert_eq!(
                    placeholders(theirs),
                    placeholders(text),
                    "{lang}: {key} has other placeholders than English"
                );
            }
            assert_eq!(words.len(), en.len(), "{lang} has keys English lacks");
        }
    }

    #[test]
    fn the_language_follows_lc_all_then_lc_messages_then_lang() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "de_DE.UTF-8")])),
            Some(Lang::De)
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "de_DE.UTF-8"), ("LC_ALL", "es_SV.UTF-8")])),
            Some(Lang::Es)
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANG", "fr_CH.UTF-8"), ("LC_MESSAGES", "pt_BR")])),
            Some(Lang::PtBr)
        );
        // C asks for no language: the caller falls back to the shop's.
        assert_eq!(Lang::from_vars(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(Lang::from_vars(env(&[("LANG", "")])), None);
        assert_eq!(Lang::from_vars(env(&[])), None);
        assert_eq!(Lang::closest("pt-PT"), Some(Lang::PtBr));
        assert_eq!(Lang::closest("de-CH"), Some(Lang::De));
        assert_eq!(Lang::closest("ja"), None);
    }

    #[test]
    fn placeholders_are_filled_and_amounts_keep_their_digits() {
        assert_eq!(
            Lang::De.fill("print_served_by", &[("name", &"Ana")]),
            "Bedient von Ana"
        );
        assert_eq!(Lang::De.amount("-1234.50"), "-1234,50");
        assert_eq!(Lang::En.amount("1234.50"), "1234.50");
        assert_eq!(fit("Wechselkurs", 6), "Wechs…");
        assert_eq!(fit("Rate", 6), "Rate  ");
    }
}
