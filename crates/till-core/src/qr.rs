//! QR codes for the screen: the invoice as `LIGHTNING:` + the upper-case BOLT11 (the scheme and
//! bech32 are case-insensitive, and upper case keeps the whole code in alphanumeric mode: fewer
//! modules, easier to scan), with a four-module quiet zone, as SVG; and the bare modules for the
//! receipt, which draws them as vector squares so they stay sharp on any printer.

use qrcode::{render::svg, EcLevel, QrCode};

/// Why a QR could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text is too long for a QR code")]
pub struct TooLong;

/// The payload a wallet scans for an invoice.
pub fn invoice_uri(payment_request: &str) -> String {
    format!("LIGHTNING:{}", payment_request.trim().to_ascii_uppercase())
}

/// An SVG QR of `text` that scales to its container (no fixed size), black on white.
pub fn svg(text: &str) -> Result<String, TooLong> {
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| TooLong)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The dark modules of a QR of `text`: `(width, dark)` with `dark[y * width + x]`, no quiet zone.
pub fn modules(text: &str) -> Result<(usize, Vec<bool>), TooLong> {
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| TooLong)?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoices_are_upper_case_with_the_scheme() {
        assert_eq!(invoice_uri(" lnbcrt1abc "), "LIGHTNING:LNBCRT1ABC");
    }

    #[test]
    fn an_svg_is_drawn_and_huge_text_is_refused() {
        let s = svg(&invoice_uri(
            "lnbcrt125u1p4sf4dhdp5x93rjer9x4jrye3kvvmkgwp5xyckgdp3vd3nyv34xccxywfhvvusp",
        ))
        .unwrap();
        assert!(s.starts_with("<?xml") && s.contains("<svg") && s.contains("#000000"));
        assert_eq!(svg(&"A".repeat(10_000)), Err(TooLong));
    }

    #[test]
    fn modules_are_a_square_with_finder_patterns() {
        let (width, dark) = modules("Receipt 42").unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21);
        // The top-left finder pattern: a dark 7x7 ring around a light ring.
        assert!(dark[0] && dark[6] && dark[6 * width]);
        assert!(!dark[width + 1]);
        assert!(modules(&"A".repeat(10_000)).is_err());
    }
}
