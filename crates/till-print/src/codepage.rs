//! Text in the printer's code page. Thermal printers do not speak UTF-8: each has code pages
//! chosen with `ESC t n`, and a byte above 0x7F means what that page says. Sending UTF-8 prints
//! two or three wrong characters for every accented letter, so every character is converted
//! here: to its byte in the page, else to its closest ASCII (`deunicode`: "€" -> "EUR" on a page
//! without the euro, "ł" -> "l", "…" -> "..."), else `?`. The spaces money is formatted with in
//! many languages (no-break U+00A0, narrow no-break U+202F, thin U+2009) print as a plain space.

use oem_cp::code_table::{ENCODING_TABLE_CP437, ENCODING_TABLE_CP850, ENCODING_TABLE_CP858};

/// A code page a printer is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    /// PC437, the original IBM PC page (no euro).
    Pc437,
    /// PC850, Western European DOS (no euro).
    Pc850,
    /// PC858, PC850 with the euro at 0xD5: the common choice in Europe.
    Pc858,
    /// WPC1252, Windows Western European (euro at 0x80).
    Wpc1252,
}

impl CodePage {
    /// Every page, for settings screens.
    pub const ALL: [CodePage; 4] = [Self::Pc858, Self::Wpc1252, Self::Pc850, Self::Pc437];

    /// As settings and the CLI name it: `pc858`, `wpc1252`, `pc850`, `pc437`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pc437 => "pc437",
            Self::Pc850 => "pc850",
            Self::Pc858 => "pc858",
            Self::Wpc1252 => "wpc1252",
        }
    }

    /// From its name (any case, `PC858` or `cp858` too).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase().replace("cp", "pc");
        Self::ALL.into_iter().find(|p| p.as_str() == t)
    }

    /// `n` of `ESC t n` on Epson's printers (page 0 is PC437, 2 PC850, 16 WPC1252, 19 PC858).
    pub fn escpos_number(self) -> u8 {
        match self {
            Self::Pc437 => 0,
            Self::Pc850 => 2,
            Self::Wpc1252 => 16,
            Self::Pc858 => 19,
        }
    }

    /// The byte of `c` in this page, if it has one.
    fn byte(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return u8::try_from(u32::from(c)).ok();
        }
        match self {
            Self::Pc437 => oem_cp::encode_char_checked(c, &ENCODING_TABLE_CP437),
            Self::Pc850 => oem_cp::encode_char_checked(c, &ENCODING_TABLE_CP850),
            Self::Pc858 => oem_cp::encode_char_checked(c, &ENCODING_TABLE_CP858),
            Self::Wpc1252 => {
                let mut buf = [0u8; 4];
                let (bytes, _, unmappable) =
                    encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
                (!unmappable && bytes.len() == 1).then(|| bytes[0])
            }
        }
    }

    /// `text` as this page's bytes: nothing above 0x7F that the page does not mean, no control
    /// character but the newline (a stray ESC in a shop's name must not become a command).
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' => out.push(b'\n'),
                '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\t' => out.push(b' '),
                c if c.is_control() => out.push(b'?'),
                c => match self.byte(c) {
                    Some(b) => out.push(b),
                    None => match deunicode::deunicode_char(c) {
                        Some(ascii) if !ascii.is_empty() && ascii.is_ascii() => {
                            out.extend(ascii.bytes().filter(|b| !b.is_ascii_control()));
                        }
                        _ => out.push(b'?'),
                    },
                },
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn each_page_has_its_own_bytes_for_the_same_letters() {
        // "Café 5,00 €" in each page: é and € where the page keeps them.
        assert_eq!(CodePage::Pc858.encode("é€"), [0x82, 0xD5]);
        assert_eq!(CodePage::Wpc1252.encode("é€"), [0xE9, 0x80]);
        assert_eq!(CodePage::Pc850.encode("é€"), [0x82, b'E', b'U', b'R']);
        assert_eq!(CodePage::Pc437.encode("ñÜ"), [0xA4, 0x9A]);
        assert_eq!(CodePage::Pc858.encode("ß"), [0xE1]);
    }

    #[test]
    fn never_utf8_and_never_a_command() {
        for page in CodePage::ALL {
            // Money in fr-CH and de-DE formats, a Polish name, a dash, an ellipsis, a stray ESC.
            let bytes = page.encode("1\u{202f}234,50\u{a0}CHF Łukasz − ok \u{1b}@ 猫");
            assert!(
                std::str::from_utf8(&bytes).is_err() || bytes.is_ascii(),
                "{page:?} sent UTF-8: {bytes:?}"
            );
            assert!(!bytes.contains(&0x1b), "{page:?} let ESC through");
            let text: String = bytes.iter().map(|&b| char::from(b)).collect();
            assert!(
                text.starts_with("1 234,50 CHF Lukasz - ok ?@"),
                "{page:?}: {text}"
            );
        }
        // An ellipsis where the page has one, three dots where it has not.
        assert_eq!(CodePage::Wpc1252.encode("…"), [0x85]);
        assert_eq!(CodePage::Pc858.encode("…"), b"...");
    }

    #[test]
    fn pages_are_named_as_settings_write_them() {
        for page in CodePage::ALL {
            assert_eq!(CodePage::parse(page.as_str()), Some(page));
        }
        assert_eq!(CodePage::parse(" CP858 "), Some(CodePage::Pc858));
        assert_eq!(CodePage::parse("utf8"), None);
    }
}
