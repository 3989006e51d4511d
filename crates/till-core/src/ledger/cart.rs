//! The cart each terminal is building, kept so that it survives a restart until it is charged
//! or cleared. Not a record: nothing in it has been sold, so it is not journaled.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::{read_all, Ledger, LedgerError};
use crate::money::bill::Adjustment;

/// One line of a cart: an item of the catalog, or an amount typed on the keypad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The catalog item (priced as the catalog has it now).
    pub item_id: Option<i64>,
    /// A typed amount, in minor units (taxed at the default rate).
    pub custom: Option<i64>,
    /// How many.
    pub quantity: i64,
    /// Its discount.
    pub discount: Option<Adjustment>,
}

/// A terminal's cart as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCart {
    /// Its lines, in the order they were added.
    pub lines: Vec<CartLine>,
    /// The order discount.
    pub discount: Option<Adjustment>,
    /// The tip chosen so far.
    pub tip: Option<Adjustment>,
    /// A manager's PIN approved the discounts as they stand (above the cashier's limit); set
    /// again whenever a discount is changed.
    #[serde(default)]
    pub approved: bool,
    /// Who approved them.
    #[serde(default)]
    pub approved_by: Option<String>,
}

fn json<T: Serialize>(v: &Option<T>) -> Result<Option<String>, LedgerError> {
    v.as_ref()
        .map(|v| serde_json::to_string(v).map_err(|e| LedgerError::Corrupt(e.to_string())))
        .transpose()
}

fn from_json<T: for<'a> Deserialize<'a>>(v: Option<String>) -> Result<Option<T>, LedgerError> {
    v.map(|s| serde_json::from_str(&s).map_err(|e| LedgerError::Corrupt(format!("cart: {e}"))))
        .transpose()
}

/// The terminal's cart as stored, read on `conn` (a transaction's, for a sale written from it).
pub(super) fn load(conn: &rusqlite::Connection, terminal: &str) -> Result<StoredCart, LedgerError> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, custom, quantity, discount FROM cart_lines WHERE terminal = ?1 ORDER BY id",
    )?;
    let lines = read_all(&mut stmt, [terminal], |r| {
        Ok(CartLine {
            item_id: r.get(0)?,
            custom: r.get(1)?,
            quantity: r.get(2)?,
            discount: from_json(r.get(3)?)?,
        })
    })?;
    let (discount, tip, approved, approved_by) = conn
        .query_row(
            "SELECT discount, tip, approved, approved_by FROM carts WHERE terminal = ?1",
            [terminal],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?
        .unwrap_or_default();
    Ok(StoredCart {
        lines,
        discount: from_json(discount)?,
        tip: from_json(tip)?,
        approved,
        approved_by,
    })
}

/// Empties the terminal's cart inside the caller's transaction.
pub(super) fn clear(tx: &Transaction<'_>, terminal: &str) -> Result<(), LedgerError> {
    tx.execute("DELETE FROM cart_lines WHERE terminal = ?1", [terminal])?;
    tx.execute("DELETE FROM carts WHERE terminal = ?1", [terminal])?;
    Ok(())
}

impl Ledger {
    /// The terminal's cart (empty when it has none).
    pub fn cart(&self, terminal: &str) -> Result<StoredCart, LedgerError> {
        load(self.conn(), terminal)
    }

    /// Replaces the terminal's cart, in one transaction.
    pub fn save_cart(&mut self, terminal: &str, cart: &StoredCart) -> Result<(), LedgerError> {
        let tx = self.write()?;
        clear(&tx, terminal)?;
        for l in &cart.lines {
            tx.execute(
                "INSERT INTO cart_lines (terminal, item_id, custom, quantity, discount) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![terminal, l.item_id, l.custom, l.quantity, json(&l.discount)?],
            )?;
        }
        tx.execute(
            "INSERT INTO carts (terminal, discount, tip, approved, approved_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                terminal,
                json(&cart.discount)?,
                json(&cart.tip)?,
                cart.approved,
                cart.approved_by
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}
