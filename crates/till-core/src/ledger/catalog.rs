//! The catalog the till sells from: tax rates, categories and items. The catalog is the shop's
//! price list, not a record: a sale copies what it sold (name, price, rate) into its bill, so a
//! price changed later never changes a receipt. It is therefore not journaled.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::{read_all, Ledger, LedgerError};
use crate::money::bill::{Percent, Tax};

/// A tax rate the shop uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxRate {
    /// Row id.
    pub id: i64,
    /// Its name on receipts ("VAT 21%", "Sales tax").
    pub name: String,
    /// The rate and whether prices include it.
    pub tax: Tax,
}

/// A category: a tab on the selling screen, a line in the report by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Row id.
    pub id: i64,
    /// Its name (unique, whatever the case).
    pub name: String,
    /// How many active items it holds.
    pub items: i64,
}

/// An item for sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Row id.
    pub id: i64,
    /// The shop's stock code (unique when set).
    pub sku: Option<String>,
    /// Its name.
    pub name: String,
    /// Its category's name.
    pub category: Option<String>,
    /// The shelf price in minor units of the shop's currency.
    pub price_minor: i64,
    /// Its tax rate.
    pub tax_rate: TaxRate,
    /// The barcode a scanner reads (unique when set).
    pub barcode: Option<String>,
    /// A short label for its button.
    pub label: Option<String>,
    /// Its button's colour (`#rrggbb`).
    pub colour: Option<String>,
    /// For sale now.
    pub active: bool,
}

/// An item as it is written (checked by `crate::catalog`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// Its stock code.
    pub sku: Option<String>,
    /// Its name.
    pub name: String,
    /// Its category's name (made when new).
    pub category: Option<String>,
    /// The shelf price in minor units.
    pub price_minor: i64,
    /// Its tax rate (made when new).
    pub tax: Tax,
    /// Its barcode.
    pub barcode: Option<String>,
    /// A short label.
    pub label: Option<String>,
    /// A colour.
    pub colour: Option<String>,
    /// For sale.
    pub active: bool,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Items new to the catalog.
    pub added: u64,
    /// Items found by SKU (or, without one, by name) and replaced.
    pub updated: u64,
}

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemQuery {
    /// Only this category.
    pub category: Option<i64>,
    /// Name, SKU or barcode containing this (any case).
    pub text: Option<String>,
    /// Inactive items too (the owner's catalog screen).
    pub inactive: bool,
    /// At most this many (0: all).
    pub limit: usize,
}

const ITEM_COLUMNS: &str =
    "i.id, i.sku, i.name, c.name, i.price_minor, t.id, t.name, t.rate, t.included, \
     i.barcode, i.label, i.colour, i.active";
const ITEM_FROM: &str =
    "items i JOIN tax_rates t ON t.id = i.tax_rate_id LEFT JOIN categories c ON c.id = i.category_id";

fn tax_from(rate: &str, included: bool) -> Result<Tax, LedgerError> {
    Ok(Tax {
        rate: Percent::parse(rate)
            .map_err(|_| LedgerError::Corrupt(format!("tax rate {rate:?}")))?,
        included,
    })
}

fn item_from_row(r: &Row<'_>) -> Result<Item, LedgerError> {
    Ok(Item {
        id: r.get(0)?,
        sku: r.get(1)?,
        name: r.get(2)?,
        category: r.get(3)?,
        price_minor: r.get(4)?,
        tax_rate: TaxRate {
            id: r.get(5)?,
            name: r.get(6)?,
            tax: tax_from(&r.get::<_, String>(7)?, r.get(8)?)?,
        },
        barcode: r.get(9)?,
        label: r.get(10)?,
        colour: r.get(11)?,
        active: r.get(12)?,
    })
}

/// The name a rate is given when an import or a setting makes it: `21% included`.
pub fn rate_name(tax: Tax) -> String {
    format!(
        "{} {}",
        tax.rate,
        if tax.included { "included" } else { "added" }
    )
}

fn rate_id(tx: &Transaction<'_>, tax: Tax) -> Result<i64, LedgerError> {
    let rate = tax.rate.value().to_string();
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM tax_rates WHERE rate = ?1 AND included = ?2",
            params![rate, tax.included],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO tax_rates (name, rate, included) VALUES (?1, ?2, ?3)",
        params![rate_name(tax), rate, tax.included],
    )?;
    Ok(tx.last_insert_rowid())
}

fn category_id(tx: &Transaction<'_>, name: Option<&str>) -> Result<Option<i64>, LedgerError> {
    let Some(name) = name else { return Ok(None) };
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM categories WHERE name = ?1 COLLATE NOCASE",
            [name],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(Some(id));
    }
    tx.execute("INSERT INTO categories (name) VALUES (?1)", [name])?;
    Ok(Some(tx.last_insert_rowid()))
}

/// Writes one item: the one with its SKU (or, without one, its name) is replaced, or it is new.
fn upsert(
    tx: &Transaction<'_>,
    row: &ItemRow,
    id: Option<i64>,
) -> Result<(i64, bool), LedgerError> {
    let tax_rate_id = rate_id(tx, row.tax)?;
    let category_id = category_id(tx, row.category.as_deref())?;
    let existing: Option<i64> = match (id, &row.sku) {
        (Some(id), _) => Some(id),
        (None, Some(sku)) => tx
            .query_row("SELECT id FROM items WHERE sku = ?1", [sku], |r| r.get(0))
            .optional()?,
        (None, None) => tx
            .query_row(
                "SELECT id FROM items WHERE sku IS NULL AND name = ?1",
                [&row.name],
                |r| r.get(0),
            )
            .optional()?,
    };
    let values = params![
        existing,
        row.sku,
        row.name,
        category_id,
        row.price_minor,
        tax_rate_id,
        row.barcode,
        row.label,
        row.colour,
        row.active
    ];
    match existing {
        Some(id) => {
            let n = tx.execute(
                "UPDATE items SET sku = ?2, name = ?3, category_id = ?4, price_minor = ?5, tax_rate_id = ?6, \
                 barcode = ?7, label = ?8, colour = ?9, active = ?10 WHERE id = ?1",
                values,
            )?;
            if n == 0 {
                return Err(LedgerError::NotFound(format!("item {id}")));
            }
            Ok((id, false))
        }
        None => {
            tx.execute(
                "INSERT INTO items (id, sku, name, category_id, price_minor, tax_rate_id, barcode, label, colour, active) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                values,
            )?;
            Ok((tx.last_insert_rowid(), true))
        }
    }
}

/// A unique SKU or barcode taken twice names what clashed.
fn clash(e: LedgerError, row: &ItemRow) -> LedgerError {
    match &e {
        LedgerError::Storage(rusqlite::Error::SqliteFailure(f, Some(m)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            let what = if m.contains("barcode") {
                format!("barcode {}", row.barcode.as_deref().unwrap_or(""))
            } else {
                format!("SKU {}", row.sku.as_deref().unwrap_or(""))
            };
            LedgerError::Refused(format!("another item already has the {what}"))
        }
        _ => e,
    }
}

impl Ledger {
    /// The shop's tax rates, by rate.
    pub fn tax_rates(&self) -> Result<Vec<TaxRate>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, rate, included FROM tax_rates ORDER BY CAST(rate AS REAL), included DESC, id",
        )?;
        read_all(&mut stmt, [], |r| {
            Ok(TaxRate {
                id: r.get(0)?,
                name: r.get(1)?,
                tax: tax_from(&r.get::<_, String>(2)?, r.get(3)?)?,
            })
        })
    }

    /// The rate with this id.
    pub fn tax_rate(&self, id: i64) -> Result<TaxRate, LedgerError> {
        self.tax_rates()?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| LedgerError::NotFound(format!("tax rate {id}")))
    }

    /// The rate for `tax`, made (and named) if the shop has none like it.
    pub fn ensure_tax_rate(&mut self, tax: Tax) -> Result<TaxRate, LedgerError> {
        let tx = self.write()?;
        let id = rate_id(&tx, tax)?;
        tx.commit()?;
        self.tax_rate(id)
    }

    /// Renames a tax rate.
    pub fn rename_tax_rate(&mut self, id: i64, name: &str) -> Result<(), LedgerError> {
        let n = self.conn().execute(
            "UPDATE tax_rates SET name = ?2 WHERE id = ?1",
            params![id, name],
        )?;
        if n == 0 {
            return Err(LedgerError::NotFound(format!("tax rate {id}")));
        }
        Ok(())
    }

    /// The categories, by name, with how many active items each holds.
    pub fn categories(&self) -> Result<Vec<Category>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, c.name, (SELECT COUNT(*) FROM items i WHERE i.category_id = c.id AND i.active) \
             FROM categories c ORDER BY c.name COLLATE NOCASE",
        )?;
        read_all(&mut stmt, [], |r| {
            Ok(Category {
                id: r.get(0)?,
                name: r.get(1)?,
                items: r.get(2)?,
            })
        })
    }

    /// Items by name, as `q` asks.
    pub fn items(&self, q: &ItemQuery) -> Result<Vec<Item>, LedgerError> {
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let pattern = text.map(|t| {
            let escaped = t
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        });
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} \
             WHERE (?1 IS NULL OR i.category_id = ?1) AND (?2 OR i.active) \
             AND (?3 IS NULL OR i.name LIKE ?3 ESCAPE '\\' OR i.sku LIKE ?3 ESCAPE '\\' OR i.barcode LIKE ?3 ESCAPE '\\') \
             ORDER BY i.name COLLATE NOCASE, i.id LIMIT ?4"
        ))?;
        let limit = if q.limit == 0 { -1 } else { q.limit as i64 };
        read_all(
            &mut stmt,
            params![q.category, q.inactive, pattern, limit],
            item_from_row,
        )
    }

    /// The item with this id.
    pub fn item(&self, id: i64) -> Result<Option<Item>, LedgerError> {
        self.item_where("i.id = ?1", &id)
    }

    /// The item with this SKU.
    pub fn item_by_sku(&self, sku: &str) -> Result<Option<Item>, LedgerError> {
        self.item_where("i.sku = ?1", &sku)
    }

    /// The item a scanner read: its barcode, or else its SKU.
    pub fn item_by_code(&self, code: &str) -> Result<Option<Item>, LedgerError> {
        match self.item_where("i.barcode = ?1", &code)? {
            Some(i) => Ok(Some(i)),
            None => self.item_by_sku(code),
        }
    }

    fn item_where(
        &self,
        clause: &str,
        arg: &dyn rusqlite::ToSql,
    ) -> Result<Option<Item>, LedgerError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE {clause}"
        ))?;
        let mut rows = stmt.query([arg])?;
        rows.next()?.map(item_from_row).transpose()
    }

    /// Writes one item: `id` replaces that item; without it, the item with the row's SKU (or,
    /// without a SKU, its name) is replaced, or a new one is made.
    pub fn save_item(&mut self, id: Option<i64>, row: &ItemRow) -> Result<Item, LedgerError> {
        let tx = self.write()?;
        let (id, _) = upsert(&tx, row, id).map_err(|e| clash(e, row))?;
        tx.commit()?;
        self.item(id)?
            .ok_or_else(|| LedgerError::NotFound(format!("item {id}")))
    }

    /// Writes many items in one transaction: all of them or, at the first that cannot be
    /// written, none (the error names its position, from 0).
    pub fn import_items(&mut self, rows: &[ItemRow]) -> Result<Imported, (usize, LedgerError)> {
        let tx = self.write().map_err(|e| (0, e))?;
        let mut done = Imported::default();
        for (n, row) in rows.iter().enumerate() {
            let (_, new) = upsert(&tx, row, None).map_err(|e| (n, clash(e, row)))?;
            if new {
                done.added += 1;
            } else {
                done.updated += 1;
            }
        }
        tx.commit().map_err(|e| (rows.len(), e.into()))?;
        Ok(done)
    }
}
