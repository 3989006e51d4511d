//! The wire types: what Aurpay sends and receives, field for field.
//!
//! Rules, from what is known of the gateway (`shared/aurpay-api.md`, section 4):
//! - money is an [`Amount`], read exactly from a number or a string;
//! - `order_id` is a string (a number is accepted too, read as its digits);
//! - timestamps carry no zone and are taken as UTC;
//! - unknown fields are ignored, absent optional fields are `None`, never an error.
//!
//! Shapes marked **unverified** are not in Aurpay's public documentation; they are our best
//! reading, kept here in one place and agreed with the simulator so the choice is tested.

mod catalogue;
mod envelope;
mod lenient;
mod order;
mod payouts;
mod requests;

pub(crate) use catalogue::ApiKeyAnswer;
pub use catalogue::{CurrencyInfo, PaymentInfo, PaymentUrl, Transaction};
pub(crate) use envelope::Envelope;
pub use envelope::Reply;
pub(crate) use lenient::excerpt;
pub use lenient::Timestamp;
pub use order::{BlnOrder, Order, OrderStatus, Page};
pub use payouts::{BlnBalance, BlnWithdrawal, Refund, RefundInfo};
pub use requests::{
    ApiKeyRequest, BlnWithdrawRequest, CreateBlnOrder, PaymentInfoRequest, PaymentUrlRequest,
    RefundRequest, Urls,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Amount;

    #[test]
    fn requests_serialize_flat_with_exact_prices_and_no_empty_urls() {
        let mut req = CreateBlnOrder::new(Amount::parse("12.50").unwrap(), "USD");
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"price":12.5,"currency":"USD"}"#
        );
        req.urls.callback_url = Some("https://shop.example/cb".into());
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"price":12.5,"currency":"USD","callback_url":"https://shop.example/cb"}"#
        );
    }

    #[test]
    fn excerpts_are_bounded_after_escaping() {
        assert_eq!(excerpt("abc", 10), "abc");
        assert_eq!(excerpt("a\nb", 10), "a\\nb");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        let wide = "\u{fffd}".repeat(50);
        let e = excerpt(&wide, 20);
        assert!(e.chars().count() <= 21, "{e}");
        assert!(e.ends_with('…'));
    }

    #[test]
    fn the_api_key_request_never_prints_the_password() {
        let r = ApiKeyRequest {
            username: "u@x".into(),
            password: "pa55word".into(),
        };
        assert!(!format!("{r:?}").contains("pa55word"));
    }
}
