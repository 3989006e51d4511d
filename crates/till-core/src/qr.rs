//! QR codes for the screen: the invoice as `LIGHTNING:` + the upper-case BOLT11 (the scheme and
//! bech32 are case-insensitive, and upper case keeps the whole code in alphanumeric mode: fewer
//! modules, easier to scan), with a four-module quiet zone, as SVG; and the bare modules for the
//! receipt, which draws them as vector squares so they stay sharp on any printer.

use qrcode::{EcLevel, QrCode};

/// Why a QR could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text is too long for a QR code")]
pub struct TooLong;

/// What a sale's QR shows: its invoice (`LIGHTNING:` + upper case), or with `pay_url` the
/// gateway's hosted checkout page; `None` when the sale has no such thing to show.
pub fn sale_text(sale: &crate::ledger::Sale, pay_url: bool) -> Option<String> {
    if pay_url {
        sale.pay_url.clone()
    } else {
        sale.payment_request.as_deref().map(invoice_uri)
    }
}

/// The payload a wallet scans for an invoice.
pub fn invoice_uri(payment_request: &str) -> String {
    format!("LIGHTNING:{}", payment_request.trim().to_ascii_uppercase())
}

/// An SVG QR of `text` that scales to its container (no fixed size), black on white, with a
/// four-module quiet zone. Drawn as one path of horizontal runs: a tenth of the text of one
/// square per module, and quicker to make and to paint.
pub fn svg(text: &str) -> Result<String, TooLong> {
    let (width, dark) = modules(text)?;
    let side = width + 8;
    let mut path = String::with_capacity(width * width);
    for y in 0..width {
        let row = &dark[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            path.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + 4,
                y + 4,
                x - start,
                x - start
            ));
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" standalone=\"yes\"?><svg xmlns=\"http://www.w3.org/2000/svg\" \
         version=\"1.1\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\" \
         width=\"256\" height=\"256\"><rect width=\"{side}\" height=\"{side}\" fill=\"#ffffff\"/>\
         <path fill=\"#000000\" d=\"{path}\"/></svg>"
    ))
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
    fn the_svg_draws_exactly_the_dark_modules() {
        let text = invoice_uri("lnbcrt1abcdef");
        let (width, dark) = modules(&text).unwrap();
        let s = svg(&text).unwrap();
        let d = &s[s.find(" d=\"").unwrap() + 4..s.rfind('"').unwrap()];
        let mut drawn = vec![false; width * width];
        for run in d.split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = run
                .trim_start_matches('M')
                .split([' ', 'h', 'v'])
                .filter_map(|n| n.parse().ok())
                .collect();
            let (x, y, w) = (nums[0] - 4, nums[1] - 4, nums[2]);
            for i in x..x + w {
                assert!(!drawn[y * width + i], "drawn twice");
                drawn[y * width + i] = true;
            }
        }
        assert_eq!(drawn, dark);
        assert!(
            s.contains(&format!("viewBox=\"0 0 {0} {0}\"", width + 8)),
            "a quiet zone of four"
        );
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
