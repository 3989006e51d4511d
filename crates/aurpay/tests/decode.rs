//! The verbatim answers of Aurpay's docs (shared/seeds) and the order object of the spec decode,
//! exactly, into the wire types.

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use aurpay::{wire, Amount, BlnOrder, Network, Order, OrderStatus};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The `data` of an envelope, decoded from its raw text (not through `serde_json::Value`, which
/// would turn numbers into floats before the wire types see them).
fn data<T: serde::de::DeserializeOwned>(envelope: &str) -> T {
    #[derive(serde::Deserialize)]
    struct Envelope {
        code: i64,
        data: Box<serde_json::value::RawValue>,
    }
    let e: Envelope = serde_json::from_str(envelope).unwrap();
    assert_eq!(e.code, 0);
    serde_json::from_str(e.data.get()).unwrap()
}

fn dec(s: &str) -> Amount {
    Amount(Decimal::from_str(s).unwrap())
}

/// The first example of the Create BLN Order page: amount as a number, no payment_addr.
const SEED_EXAMPLE: &str = r#"{
    "code": 0,
    "message": "ok",
    "data": {
        "order_id": "20240426103947614609",
        "status": "PENDING",
        "amount": 0.00155419,
        "create_time": "2024-04-26T10:39:47",
        "payment_request": "lntb1554190n1pnzhprnpp5xtqfy2fuaucnpfw6yw7h4hap7t8rurt8f3qgkf369knf4zhwxjdqdp58yukydt9xs6nsc3hve3rgcmyvgunqwp3x3nrqetrxucnsdpsvfjscqzzsxqyz5vqsp5fs2adjrcrcded6nzc2g3wj56kku89uflg9nh0t4ry5avdasp7shq9qyyssqdjs3txpu2w482w55gpnzauqdd20qjg4x8276u2kje2295tk8wg73rgxna2pqrw5w60ra8cy2lnx6yvn5wcjzqy42p5rh9ap5ymhv2jgqmk3j9g",
        "pay_url": "https://dashboard.aurpay.net/#/cashier/20240426103947614609"
    },
    "result": true
}"#;

/// The second example: amount as a string, with payment_addr and currency.
const SEED_RESPONSE_EXAMPLE: &str = r#"{
    "code": 0,
    "message": "ok",
    "data": {
        "order_id": "20240428125136525824",
        "status": "PENDING",
        "amount": "0.00019044",
        "create_time": "2024-04-28T12:00:00",
        "payment_request": "lnbc190440n1pnzu3jcpp5vyvhqq2deguqqdcth5z0hslaawcd4jqv68n9w88fkc9yqm476fwsdp5xscrjcehv3jkyvpsvg6rgdpnxgungwp4x56njdm9xa3x2dfnxfsscqzzsxqyz5vqsp5cfk04pxdn64fe0hde6u2qpkw7eu3fdequ8vw7r4le4trr3mwryks9qyyssqlavvjxan9jqus8hpdztrtfp6v0t7saqflxp2srruzf8a3sta0lajwfacpnpfdz7eaagrvrzwzhcwma8f4x3rnzf9yq7z6f67pd8lxmqqsxf4hh",
        "payment_addr": "c26cfa84cd9eaa9cbeedceb8a006cef67914b720e1d8ef0ebfcd5631c76e192d",
        "pay_url": "https://dashboard.aurpay.net/#/cashier/20240428125136525824",
        "currency": "BTC-LN"
    },
    "result": true
}"#;

#[test]
fn both_seed_examples_decode_and_their_invoices_check() {
    let a: BlnOrder = data(SEED_EXAMPLE);
    assert_eq!(a.order_id, "20240426103947614609");
    assert_eq!(a.status, OrderStatus::Pending);
    assert_eq!(a.amount, dec("0.00155419"));
    assert_eq!(a.create_time.unwrap().to_string(), "2024-04-26T10:39:47");
    assert_eq!(a.payment_addr, None);
    let now = aurpay::invoice::decode(&a.payment_request)
        .unwrap()
        .created_at;
    let checked = a.check_invoice(Network::Testnet, now).unwrap();
    assert_eq!(checked.amount_msat, 155_419_000);

    let b: BlnOrder = data(SEED_RESPONSE_EXAMPLE);
    assert_eq!(b.amount, dec("0.00019044"));
    assert_eq!(b.currency.as_deref(), Some("BTC-LN"));
    let now = aurpay::invoice::decode(&b.payment_request)
        .unwrap()
        .created_at;
    assert_eq!(
        b.check_invoice(Network::Bitcoin, now).unwrap().amount_msat,
        19_044_000
    );
    // The same order with a different payment_addr is refused.
    let mut c = b.clone();
    c.payment_addr = Some("00".repeat(32));
    assert_eq!(
        c.check_invoice(Network::Bitcoin, now),
        Err(aurpay::InvoiceError::PaymentAddrMismatch)
    );
}

#[test]
fn the_order_object_decodes_with_nulls_numbers_and_unknown_fields() {
    let json = r#"{
        "user_id": "mct-123", "order_id": 20240428125136525824, "order_type": "ORDER",
        "platform": "AURPAY", "status": "SUCCESS", "chain": "BLN", "chain_name": "Bitcoin Lightning",
        "currency": "BTC-LN", "amount": "0.00019044", "vs_price": 20, "vs_currency": "USD",
        "remark": null, "refund": 0, "bind_id": null, "create_time": "2024-04-28T12:00:00",
        "update_time": "2024-04-28 12:03:10", "tx_id": 991, "tx_type": "payment", "obtained": 1.9e-4,
        "fee": "", "from_addr": null, "to_addr": null, "tx_hash": "abc", "tx_hash_list": ["abc"],
        "contract_id": null, "website": null, "something_new": {"nested": true}
    }"#;
    let o: Order = serde_json::from_str(json).unwrap();
    assert_eq!(
        o.order_id, "20240428125136525824",
        "a 20-digit number keeps every digit"
    );
    assert_eq!(o.status, OrderStatus::Success);
    assert!(o.status.is_paid());
    assert_eq!(o.amount, Some(dec("0.00019044")));
    assert_eq!(o.vs_price, Some(dec("20")));
    assert_eq!(o.obtained, Some(dec("0.00019")));
    assert_eq!(o.fee, None);
    assert_eq!(o.refund, Some(false));
    assert_eq!(o.tx_id.as_deref(), Some("991"));
    assert_eq!(o.update_time.unwrap().to_string(), "2024-04-28T12:03:10");
}

#[test]
fn unknown_statuses_are_kept_not_refused() {
    let o: Order = serde_json::from_str(r#"{"order_id":"1","status":"PAID_SOMEHOW"}"#).unwrap();
    assert_eq!(o.status, OrderStatus::Other("PAID_SOMEHOW".into()));
    assert!(!o.status.is_paid());
    for (s, paid) in [
        ("RESOLVED", true),
        ("PARTIAL", false),
        ("OVERDUE", false),
        ("TERMINATED", false),
    ] {
        let o: Order =
            serde_json::from_str(&format!(r#"{{"order_id":"1","status":"{s}"}}"#)).unwrap();
        assert_eq!(o.status.as_str(), s);
        assert_eq!(o.status.is_paid(), paid, "{s}");
    }
}

#[test]
fn pages_and_currency_lists_decode_in_either_form() {
    let p: wire::Page<Order> = serde_json::from_str(
        r#"{"page":"1","size":20,"total":1,"max_page":1,"data":[{"order_id":"7","status":"PENDING"}]}"#,
    )
    .unwrap();
    assert_eq!(
        (p.page, p.size, p.total, p.data.len()),
        (Some(1), Some(20), Some(1), 1)
    );
    let codes: Vec<aurpay::CurrencyInfo> = serde_json::from_str(r#"["USD","EUR"]"#).unwrap();
    assert_eq!(codes[1].code, "EUR");
    let objs: Vec<aurpay::CurrencyInfo> =
        serde_json::from_str(r#"[{"currency":"USD","name":"US Dollar"},{"code":"JPY"}]"#).unwrap();
    assert_eq!(
        (objs[0].code.as_str(), objs[0].name.as_deref()),
        ("USD", Some("US Dollar"))
    );
    assert_eq!(objs[1].code, "JPY");
}

#[test]
fn malformed_order_objects_are_refused_not_guessed() {
    for json in [
        r#"{"status":"PENDING"}"#,
        r#"{"order_id":"1"}"#,
        r#"{"order_id":"1","status":"PENDING","amount":"lots"}"#,
        r#"{"order_id":"1","status":"PENDING","create_time":"yesterday"}"#,
        r#"{"order_id":1.5,"status":"PENDING"}"#,
        r#"[]"#,
    ] {
        assert!(
            serde_json::from_str::<Order>(json).is_err(),
            "{json} was accepted"
        );
    }
}
