//! Any text as a payment request: decoding and checking must refuse or accept, never panic, and
//! an accepted invoice must really have the amount and network it was checked for.
#![no_main]

use aurpay::{invoice, Network};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(decoded) = invoice::decode(text) {
        let now = decoded.created_at;
        let checked = invoice::check(text, decoded.amount_msat, decoded.network, now)
            .expect("a decoded invoice passes a check made from its own values");
        assert_eq!(checked.amount_msat, decoded.amount_msat);
        assert!(invoice::check(
            text,
            decoded.amount_msat.wrapping_add(1),
            decoded.network,
            now
        )
        .is_err());
    }
    for network in Network::ALL {
        let _ = invoice::check(text, 155_419_000, network, chrono::Utc::now());
    }
});
