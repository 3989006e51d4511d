//! At the counter, through the real IPC path: a sale paid from a card's link prints its receipt
//! by itself on a printer (a listener on 127.0.0.1), a printer that is off keeps the reprint in
//! the queue until it is back, and a Bolt Card tapped on the virtual reader pays a sale.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    io::Read,
    net::TcpListener,
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use common::{app_with, call, code, invoke, set_up, sim_accepting};
use serde_json::{json, Value};
use tauri::{test::MockRuntime, App};
use till_app::{ErrorCode, SaleView};
use till_core::sale::SaleState;

const KEY: &str = "counter-key-0123456789";

/// A printer on 127.0.0.1: each connection's bytes, whole, on the channel.
fn printer() -> (String, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("tcp://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for conn in listener.incoming().take(20) {
            let Ok(mut conn) = conn else { return };
            conn.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut bytes = Vec::new();
            let _ = conn.read_to_end(&mut bytes);
            // The readiness light's status request (DLE EOT 4) is not a print.
            if bytes != [0x10, 0x04, 4] && tx.send(bytes).is_err() {
                return;
            }
        }
    });
    (address, rx)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The app live against a simulator, set up, with the printer at `address`.
fn live_app(
    sim: &aurpay_sim::RunningSim,
    address: &str,
    when_paid: bool,
) -> (App<MockRuntime>, tempfile::TempDir) {
    let (app, dir) = app_with(&[
        ("AURPAY_API_KEY", KEY),
        ("AURPAY_BASE_URL", sim.url()),
        ("AURPAY_NETWORK", "regtest"),
    ]);
    set_up(&app);
    let saved: Value = call(
        &app,
        "save_printer",
        json!({"settings": {"printer": address, "columns": 32, "code_page": "pc858", "print_when_paid": when_paid, "address": "Rue du Marché 4|1003 Lausanne"}}),
    )
    .unwrap();
    assert_eq!(saved["printer"], address);
    (app, dir)
}

/// Asks the gateway about the sale until it is paid (at most 15 s).
fn until_paid(app: &App<MockRuntime>, receipt_no: i64) -> SaleView {
    let started = Instant::now();
    loop {
        let sale: SaleView = call(app, "check_sale", json!({"receiptNo": receipt_no})).unwrap();
        if sale.status == SaleState::Paid {
            return sale;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never paid: {sale:?}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_link_pays_the_sale_and_its_receipt_prints_by_itself() {
    let sim = sim_accepting(KEY, None);
    let (address, printed) = printer();
    let (app, _dir) = live_app(&sim, &address, true);
    let sale: SaleView = call(&app, "charge", json!({"amount": "5.00", "memo": ""})).unwrap();
    let (card, link) = sim.state().new_card(10_000_000);
    // A link that is no link, or one over the card's limit, is refused in plain words.
    let bad = invoke(
        &app,
        "main",
        "pay_by_link",
        json!({"receiptNo": sale.receipt_no, "link": "hello"}),
    );
    assert_eq!(bad.unwrap_err()["code"], "card");
    let (_, small) = sim.state().new_card(1_000_000);
    let over = invoke(
        &app,
        "main",
        "pay_by_link",
        json!({"receiptNo": sale.receipt_no, "link": small}),
    )
    .unwrap_err();
    assert_eq!(over["code"], "card");
    assert!(
        over["message"]
            .as_str()
            .unwrap()
            .contains("over the card's limit"),
        "{over}"
    );
    // The card pays; the sale is paid when the gateway says so.
    call::<()>(
        &app,
        "pay_by_link",
        json!({"receiptNo": sale.receipt_no, "link": link}),
    )
    .unwrap();
    until_paid(&app, sale.receipt_no);
    assert_eq!(sim.state().card(&card).unwrap().paid.len(), 1);
    // Paid: the receipt came out by itself, laid out for 32 columns, with its QR reference.
    let receipt = printed.recv_timeout(Duration::from_secs(15)).unwrap();
    assert!(
        contains(&receipt, "Corner Caf"),
        "{}",
        String::from_utf8_lossy(&receipt)
    );
    assert!(contains(&receipt, "till:front:1"));
    assert!(
        contains(&receipt, "1003 Lausanne"),
        "the shop's address under its name"
    );
    assert!(!contains(&receipt, "COPY"));
    // Printed once, every later print is a COPY (the drawer of a cash sale stays shut).
    let again: Value = call(
        &app,
        "print_receipt",
        json!({"receiptNo": sale.receipt_no, "copy": false}),
    )
    .unwrap();
    assert_eq!(again["printed"], true, "{again}");
    assert!(contains(
        &printed.recv_timeout(Duration::from_secs(15)).unwrap(),
        "COPY"
    ));
    // A paid sale takes no card.
    let again = invoke(
        &app,
        "main",
        "pay_by_link",
        json!({"receiptNo": sale.receipt_no, "link": link}),
    );
    assert_eq!(again.unwrap_err()["code"], "not_allowed");
}

#[test]
fn a_reprint_waits_while_the_printer_is_off_and_prints_when_it_is_back() {
    let sim = sim_accepting(KEY, None);
    // A printer that is switched off: nothing listens at its address.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("tcp://127.0.0.1:{port}");
    let (app, _dir) = live_app(&sim, &address, false);
    let sale: SaleView = call(&app, "charge", json!({"amount": "2.40", "memo": ""})).unwrap();
    let printed: Value = call(
        &app,
        "print_receipt",
        json!({"receiptNo": sale.receipt_no, "copy": true}),
    )
    .unwrap();
    assert_eq!(printed["printed"], false);
    assert!(
        printed["message"]
            .as_str()
            .unwrap()
            .contains("waits in the print queue"),
        "{printed}"
    );
    let state: Value = call(&app, "printer", json!({})).unwrap();
    assert_eq!(state["waiting"], 1);
    assert_eq!(state["ready"], false);
    // Switched on again: the retry prints the copy.
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let got = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut bytes = Vec::new();
        let _ = conn.read_to_end(&mut bytes);
        bytes
    });
    let retried: Value = call(&app, "retry_prints", json!({})).unwrap();
    assert_eq!(retried["printed"], true, "{retried}");
    let bytes = got.join().unwrap();
    assert!(contains(&bytes, "COPY"));
    let state: Value = call(&app, "printer", json!({})).unwrap();
    assert_eq!(state["waiting"], 0);
    // A printer setting that cannot be used is refused and nothing is saved.
    let bad = invoke(
        &app,
        "main",
        "save_printer",
        json!({"settings": {"printer": "lpt1", "columns": 48, "code_page": "pc858", "print_when_paid": false, "address": ""}}),
    );
    assert_eq!(
        code::<Value>(bad.map_err(|e| serde_json::from_value(e).unwrap())),
        ErrorCode::BadInput
    );
    let long = invoke(
        &app,
        "main",
        "save_printer",
        json!({"settings": {"printer": "tcp://127.0.0.1:9", "columns": 48, "code_page": "pc858", "print_when_paid": false, "address": "1|2|3|4"}}),
    );
    assert_eq!(long.unwrap_err()["code"], "bad_input");
    let kept: Value = call(&app, "printer_settings", json!({})).unwrap();
    assert_eq!(kept["printer"], address);
    assert_eq!(kept["address"], "Rue du Marché 4\n1003 Lausanne");
}

#[cfg(target_os = "linux")]
#[test]
fn a_bolt_card_tapped_on_the_reader_pays_the_sale() {
    use tauri::Listener;
    use till_nfc::virtual_card::{ensure_service, tap, Hold, VPCD};
    ensure_service().unwrap();
    let sim = sim_accepting(KEY, None);
    let (address, _printed) = printer();
    let (app, _dir) = live_app(&sim, &address, false);
    let (tx, states) = mpsc::channel::<Value>();
    app.listen_any("card-tap", move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).unwrap());
    });
    let sale: SaleView = call(&app, "charge", json!({"amount": "3.00", "memo": ""})).unwrap();
    let (card, link) = sim.state().new_card(10_000_000);
    call::<()>(&app, "tap_card", json!({"receiptNo": sale.receipt_no})).unwrap();
    let next = || states.recv_timeout(Duration::from_secs(15)).unwrap()["state"].clone();
    assert_eq!(next(), "armed");
    let tapped = thread::spawn(move || {
        tap(
            VPCD,
            &format!("{link}?c=7"),
            Hold::UntilRead,
            Duration::from_secs(15),
        )
    });
    assert_eq!(next(), "reading");
    assert_eq!(next(), "sent");
    assert!(tapped.join().unwrap().unwrap().read_whole);
    until_paid(&app, sale.receipt_no);
    assert_eq!(sim.state().card(&card).unwrap().last_counter, 7);
    // The service took the invoice: the reader asks for no second card.
    assert!(states.recv_timeout(Duration::from_millis(300)).is_err());
}
