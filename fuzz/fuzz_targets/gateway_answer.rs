//! Any bytes as a gateway answer, under every answer type and a few statuses: the decoder must
//! return a value or an error, never panic, and an error's text must stay short.
#![no_main]

use aurpay::{
    decode_answer, BlnBalance, BlnOrder, BlnWithdrawal, CurrencyInfo, Error, Order, Page, Refund,
};
use libfuzzer_sys::fuzz_target;

fn check<T: serde::de::DeserializeOwned>(status: u16, data: &[u8]) {
    if let Err(e) = decode_answer::<T>(status, data) {
        let text = e.to_string();
        assert!(
            text.len() < 2_000,
            "an error sentence grew to {} bytes",
            text.len()
        );
        if let Error::Malformed { excerpt, .. } = &e {
            // 160 characters after escaping, plus the ellipsis, plus redaction markers.
            assert!(
                excerpt.chars().count() <= 161,
                "excerpt of {} chars",
                excerpt.chars().count()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let status = match data.first() {
        Some(b) if b % 7 == 0 => 500,
        Some(b) if b % 11 == 0 => 401,
        _ => 200,
    };
    check::<BlnOrder>(status, data);
    check::<Order>(status, data);
    check::<Page<Order>>(status, data);
    check::<BlnBalance>(status, data);
    check::<BlnWithdrawal>(status, data);
    check::<Refund>(status, data);
    check::<Vec<CurrencyInfo>>(status, data);
});
