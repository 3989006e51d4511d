//! The schema, one numbered migration at a time. Never edit a released migration: add one.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use super::LedgerError;

const V1: &str = r#"
CREATE TABLE sales (
    id                 INTEGER PRIMARY KEY,
    terminal           TEXT    NOT NULL,
    receipt_no         INTEGER NOT NULL,
    created_at         TEXT    NOT NULL,
    amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
    currency           TEXT    NOT NULL,
    memo               TEXT    NOT NULL DEFAULT '',
    cashier            TEXT    NOT NULL DEFAULT '',
    training           INTEGER NOT NULL DEFAULT 0,
    state              TEXT    NOT NULL,
    underpaid          INTEGER NOT NULL DEFAULT 0,
    partial            INTEGER NOT NULL DEFAULT 0,
    order_id           TEXT,
    btc_amount         TEXT,
    amount_msat        INTEGER,
    rate               TEXT,
    payment_request    TEXT,
    payment_hash       TEXT,
    pay_url            TEXT,
    order_created_at   TEXT,
    order_expires_at   TEXT,
    invoice_expires_at TEXT,
    paid_at            TEXT,
    error              TEXT,
    replaces           INTEGER,
    updated_at         TEXT    NOT NULL,
    UNIQUE (terminal, receipt_no)
);
CREATE INDEX sales_created ON sales (created_at);
CREATE INDEX sales_state ON sales (state);
CREATE UNIQUE INDEX sales_order ON sales (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    sale_id   INTEGER REFERENCES sales (id),
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    detail    TEXT NOT NULL,
    snapshot  TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX events_sale ON events (sale_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE day_closes (
    day        TEXT NOT NULL,
    terminal   TEXT NOT NULL,
    closed_at  TEXT NOT NULL,
    report     TEXT NOT NULL,
    event_id   INTEGER NOT NULL REFERENCES events (id),
    chain_head TEXT NOT NULL,
    PRIMARY KEY (day, terminal)
);
"#;

/// Refunds (numbered documents) and withdrawals (one per invoice).
const V2: &str = r#"
CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    terminal     TEXT    NOT NULL,
    refund_no    INTEGER NOT NULL,
    sale_id      INTEGER NOT NULL REFERENCES sales (id),
    created_at   TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    method       TEXT    NOT NULL CHECK (method IN ('cash', 'lightning')),
    training     INTEGER NOT NULL DEFAULT 0,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    UNIQUE (terminal, refund_no)
);
CREATE INDEX refunds_sale ON refunds (sale_id);
CREATE INDEX refunds_created ON refunds (created_at);

CREATE TABLE withdrawals (
    id           INTEGER PRIMARY KEY,
    payment_hash TEXT    NOT NULL UNIQUE,
    invoice      TEXT    NOT NULL,
    amount_msat  INTEGER NOT NULL CHECK (amount_msat > 0),
    state        TEXT    NOT NULL,
    answer       TEXT,
    training     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
"#;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), LedgerError> {
    Migrations::new(vec![M::up(V1), M::up(V2)])
        .to_latest(conn)
        .map_err(|e| LedgerError::Migration(e.to_string()))
}
