//! The schema, one numbered migration at a time. Never edit a released migration: add one.
//!
//! Migrations run with foreign keys off (SQLite ignores the pragma inside a transaction, and
//! rebuilding a table that others refer to needs it off); `Ledger::init` turns them on after and
//! [`migrate`] checks every reference once before it returns.

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

/// Training and live become two books (receipts, refunds and Z reports numbered per terminal and
/// book); Z reports are numbered and seal every document since the one before, so sales and
/// refunds carry the Z that sealed them; refunds get a payment state; sales get the reference the
/// gateway may echo and the reason a manager is needed. The old day closes become the first Z
/// reports; `upgrade::run` finishes in Rust what SQL cannot (which sales they sealed, the old
/// numbering) and removes the `upgrade_v3` marker.
const V3: &str = r#"
CREATE TABLE z_reports (
    id          INTEGER PRIMARY KEY,
    terminal    TEXT    NOT NULL,
    training    INTEGER NOT NULL,
    z_no        INTEGER NOT NULL,
    closed_at   TEXT    NOT NULL,
    cutoff      TEXT    NOT NULL,
    legacy_day  TEXT,
    report      TEXT    NOT NULL,
    event_id    INTEGER NOT NULL REFERENCES events (id),
    chain_head  TEXT    NOT NULL,
    UNIQUE (terminal, training, z_no)
);
INSERT INTO z_reports (terminal, training, z_no, closed_at, cutoff, legacy_day, report, event_id, chain_head)
SELECT terminal, training,
       ROW_NUMBER() OVER (PARTITION BY terminal, training ORDER BY event_id),
       closed_at, closed_at, day, report, event_id, chain_head
FROM (SELECT *, CASE WHEN json_extract(report, '$.training') THEN 1 ELSE 0 END AS training FROM day_closes);
DROP TABLE day_closes;

CREATE TABLE sales_v3 (
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
    reference          TEXT,
    attention          TEXT,
    z_id               INTEGER REFERENCES z_reports (id),
    z_state            TEXT,
    late_z_id          INTEGER REFERENCES z_reports (id),
    UNIQUE (terminal, training, receipt_no)
);
INSERT INTO sales_v3 (id, terminal, receipt_no, created_at, amount_minor, currency, memo, cashier, training,
    state, underpaid, partial, order_id, btc_amount, amount_msat, rate, payment_request, payment_hash, pay_url,
    order_created_at, order_expires_at, invoice_expires_at, paid_at, error, replaces, updated_at)
SELECT id, terminal, receipt_no, created_at, amount_minor, currency, memo, cashier, training,
    state, underpaid, partial, order_id, btc_amount, amount_msat, rate, payment_request, payment_hash, pay_url,
    order_created_at, order_expires_at, invoice_expires_at, paid_at, error, replaces, updated_at
FROM sales;
DROP TABLE sales;
ALTER TABLE sales_v3 RENAME TO sales;
CREATE INDEX sales_created ON sales (created_at);
-- The watcher's start-up read: open states, and timed-out or cancelled sales whose invoice lives.
CREATE INDEX sales_watch ON sales (state, invoice_expires_at);
CREATE UNIQUE INDEX sales_order ON sales (order_id) WHERE order_id IS NOT NULL;
-- What the next Z seals: only the few documents since the last Z are in these indexes.
CREATE INDEX sales_unsealed ON sales (terminal, training) WHERE z_id IS NULL;
CREATE INDEX sales_late ON sales (terminal, training)
    WHERE late_z_id IS NULL AND state = 'paid_late' AND z_state IN ('timed_out', 'cancelled');
CREATE INDEX sales_z ON sales (z_id);
CREATE INDEX sales_late_z ON sales (late_z_id) WHERE late_z_id IS NOT NULL;

CREATE TABLE refunds_v3 (
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
    state        TEXT    NOT NULL,
    payment_hash TEXT,
    amount_msat  INTEGER,
    answer       TEXT,
    updated_at   TEXT    NOT NULL,
    z_id         INTEGER REFERENCES z_reports (id),
    UNIQUE (terminal, training, refund_no)
);
INSERT INTO refunds_v3 (id, terminal, refund_no, sale_id, created_at, amount_minor, currency, reason, method,
    training, event_id, state, updated_at)
SELECT id, terminal, refund_no, sale_id, created_at, amount_minor, currency, reason, method, training, event_id,
    CASE method WHEN 'cash' THEN 'done' ELSE 'legacy' END, created_at
FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_v3 RENAME TO refunds;
CREATE INDEX refunds_sale ON refunds (sale_id);
CREATE INDEX refunds_created ON refunds (created_at);
CREATE UNIQUE INDEX refunds_invoice ON refunds (payment_hash) WHERE payment_hash IS NOT NULL;
CREATE INDEX refunds_unsealed ON refunds (terminal, training) WHERE z_id IS NULL;
CREATE INDEX refunds_z ON refunds (z_id);

-- The numbers the old shared series reached, per terminal: each book goes on from there.
CREATE TABLE legacy_numbers (
    terminal TEXT    NOT NULL,
    series   TEXT    NOT NULL CHECK (series IN ('receipt', 'refund')),
    last     INTEGER NOT NULL,
    PRIMARY KEY (terminal, series)
);



INSERT INTO settings (key, value) VALUES ('upgrade_v3', 'pending');
"#;

/// The catalog (tax rates, categories, items), the cart each terminal is building, and the bill
/// a sale was priced with (its lines, discounts, tax per rate and tip, as JSON that is part of
/// the sale's snapshot) and the lines an itemized refund took back.
const V4: &str = r#"
CREATE TABLE tax_rates (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL,
    rate     TEXT    NOT NULL,
    included INTEGER NOT NULL,
    UNIQUE (rate, included)
);
CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE items (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    UNIQUE,
    name        TEXT    NOT NULL,
    category_id INTEGER REFERENCES categories (id),
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    tax_rate_id INTEGER NOT NULL REFERENCES tax_rates (id),
    barcode     TEXT    UNIQUE,
    label       TEXT,
    colour      TEXT,
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX items_category ON items (category_id, active);
CREATE INDEX items_name ON items (name COLLATE NOCASE);

CREATE TABLE cart_lines (
    id          INTEGER PRIMARY KEY,
    terminal    TEXT    NOT NULL,
    item_id     INTEGER REFERENCES items (id),
    custom      INTEGER,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    discount    TEXT,
    CHECK ((item_id IS NULL) <> (custom IS NULL))
);
CREATE INDEX cart_lines_terminal ON cart_lines (terminal);
CREATE TABLE carts (
    terminal TEXT PRIMARY KEY,
    discount TEXT,
    tip      TEXT,
    approved INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE sales ADD COLUMN bill TEXT;
ALTER TABLE refunds ADD COLUMN lines TEXT;
"#;

const V5: &str = r#"
CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role       TEXT    NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
    pin_hash   TEXT    NOT NULL,
    added_at   TEXT    NOT NULL,
    removed_at TEXT
);

CREATE TABLE shifts (
    id           INTEGER PRIMARY KEY,
    terminal     TEXT    NOT NULL,
    training     INTEGER NOT NULL,
    shift_no     INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    opened_at    TEXT    NOT NULL,
    opened_by    TEXT    NOT NULL,
    float_minor  INTEGER NOT NULL CHECK (float_minor >= 0),
    closed_at    TEXT,
    closed_by    TEXT,
    expected_minor INTEGER,
    counted_minor  INTEGER,
    counts       TEXT,
    z_id         INTEGER REFERENCES z_reports (id),
    UNIQUE (terminal, training, shift_no)
);
-- At most one open shift per terminal and book.
CREATE UNIQUE INDEX shifts_open ON shifts (terminal, training) WHERE closed_at IS NULL;
CREATE INDEX shifts_unsealed ON shifts (terminal, training) WHERE z_id IS NULL;

CREATE TABLE cash_moves (
    id           INTEGER PRIMARY KEY,
    shift_id     INTEGER NOT NULL REFERENCES shifts (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('pay_in', 'pay_out')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    reason       TEXT    NOT NULL,
    made_by      TEXT    NOT NULL,
    at           TEXT    NOT NULL
);
CREATE INDEX cash_moves_shift ON cash_moves (shift_id);

ALTER TABLE sales ADD COLUMN tendered_minor INTEGER;
ALTER TABLE sales ADD COLUMN change_minor INTEGER;
ALTER TABLE sales ADD COLUMN approved_by TEXT;
ALTER TABLE sales ADD COLUMN shift_id INTEGER REFERENCES shifts (id);
CREATE INDEX sales_shift ON sales (shift_id) WHERE shift_id IS NOT NULL;
ALTER TABLE refunds ADD COLUMN made_by TEXT;
ALTER TABLE refunds ADD COLUMN approved_by TEXT;
ALTER TABLE refunds ADD COLUMN shift_id INTEGER REFERENCES shifts (id);
CREATE INDEX refunds_shift ON refunds (shift_id) WHERE shift_id IS NOT NULL;
ALTER TABLE carts ADD COLUMN approved_by TEXT;

INSERT INTO settings (key, value) VALUES ('upgrade_v5', 'pending');
"#;

/// Who asked for a withdrawal (the owner whose PIN sent it); none on rows written before.
const V6: &str = r#"
ALTER TABLE withdrawals ADD COLUMN made_by TEXT;
"#;

/// The print queue (see `ledger/print_jobs.rs`).
const V7: &str = r#"
CREATE TABLE print_jobs (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT    NOT NULL,
    what        TEXT    NOT NULL,
    printer     TEXT    NOT NULL,
    bytes       BLOB    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('waiting', 'printed', 'dropped')),
    tries       INTEGER NOT NULL DEFAULT 0,
    problem     TEXT,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX print_jobs_waiting ON print_jobs (id) WHERE state = 'waiting';
"#;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), LedgerError> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3).foreign_key_check(),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
    ])
    .to_latest(conn)
    .map_err(|e| LedgerError::Migration(e.to_string()))
}
