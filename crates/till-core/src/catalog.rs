//! The catalog's rules: what an item may be, and the CSV a shop keeps its price list in.
//!
//! The CSV has the header `sku,name,category,price,tax_rate,tax_included` (the columns in any
//! order), and may add `barcode,label,colour,active`; export writes all ten. An import is all or
//! nothing: every row is checked first, and the first bad one is named by its line with the
//! reason, and nothing is written. A row whose SKU is in the catalog replaces that item; a row
//! without a SKU replaces the item without one of the same name; any other row is a new item.

use std::{collections::HashMap, io};

use serde::Deserialize;

use crate::{
    ledger::{Imported, ItemQuery, ItemRow, Ledger, LedgerError},
    money::{
        bill::{Percent, Tax},
        decimal_text, Currency, Fiat, MoneyError,
    },
};

/// The columns an import needs, as `till catalog export` writes them first.
pub const REQUIRED: [&str; 6] = [
    "sku",
    "name",
    "category",
    "price",
    "tax_rate",
    "tax_included",
];
/// The columns an import may add.
pub const OPTIONAL: [&str; 4] = ["barcode", "label", "colour", "active"];

/// Why an item or a catalog file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// One field of an item.
    #[error("{0}")]
    Item(String),
    /// A row of a file, by its line number (the header is line 1).
    #[error("line {line}: {why}; nothing was imported")]
    Line {
        /// The line.
        line: u64,
        /// Why.
        why: String,
    },
    /// The file as a whole.
    #[error("{0}; nothing was imported")]
    File(String),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// An item as a form or a file gives it: text, checked by [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ItemForm {
    /// Stock code (optional).
    pub sku: String,
    /// Name.
    pub name: String,
    /// Category name (optional).
    pub category: String,
    /// Price, as `3.50`.
    pub price: String,
    /// Tax rate percentage, as `21` or `8.375`.
    pub tax_rate: String,
    /// `true` or `false`.
    pub tax_included: String,
    /// Barcode (optional).
    pub barcode: String,
    /// Short label (optional).
    pub label: String,
    /// Colour, `#rrggbb` (optional).
    pub colour: String,
    /// `true` or `false` (default true).
    pub active: String,
}

fn plain(field: &str, text: &str, max: usize) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.chars().any(char::is_control) {
        return Err(format!("the {field} has a control character"));
    }
    if t.chars().count() > max {
        return Err(format!("the {field} is longer than {max} characters"));
    }
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

fn code(field: &str, text: &str) -> Result<Option<String>, String> {
    let v = plain(field, text, 40)?;
    if v.as_deref()
        .is_some_and(|v| v.contains(char::is_whitespace))
    {
        return Err(format!("the {field} \"{}\" has a space", text.trim()));
    }
    Ok(v)
}

fn yes_no(field: &str, text: &str, default: Option<bool>) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        "" if default.is_some() => Ok(default.unwrap_or_default()),
        other => Err(format!("{field} must be true or false, not \"{other}\"")),
    }
}

/// Checks an item: a name, a price of zero or more in the shop's currency, a tax rate from 0 to
/// 100, codes without spaces, a colour as `#rrggbb`.
pub fn check(form: &ItemForm, currency: Currency) -> Result<ItemRow, String> {
    let name = plain("name", &form.name, 80)?.ok_or("the name is empty")?;
    let price_minor = match Fiat::parse(&form.price, currency) {
        Ok(f) => f.minor,
        Err(MoneyError::Zero) => 0,
        Err(e) => return Err(format!("price: {e}")),
    };
    let rate = Percent::parse(&form.tax_rate).map_err(|_| {
        format!(
            "the tax rate \"{}\" is not a percentage from 0 to 100 (write 21 or 8.375)",
            form.tax_rate.trim()
        )
    })?;
    let colour = plain("colour", &form.colour, 7)?;
    if let Some(c) = &colour {
        if !(c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|d| d.is_ascii_hexdigit())) {
            return Err(format!("the colour \"{c}\" is not written as #rrggbb"));
        }
    }
    Ok(ItemRow {
        sku: code("SKU", &form.sku)?,
        name,
        category: plain("category", &form.category, 40)?,
        price_minor,
        tax: Tax {
            rate,
            included: yes_no("tax_included", &form.tax_included, None)?,
        },
        barcode: code("barcode", &form.barcode)?,
        label: plain("label", &form.label, 16)?,
        colour: colour.map(|c| c.to_ascii_lowercase()),
        active: yes_no("active", &form.active, Some(true))?,
    })
}

/// Reads a catalog CSV and writes it in one transaction, or nothing.
pub fn import(
    ledger: &mut Ledger,
    file: impl io::Read,
    currency: Currency,
) -> Result<Imported, CatalogError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(file);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| CatalogError::File(format!("the file cannot be read as CSV ({e})")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if header.len() == 1 && header[0].contains(';') {
        return Err(CatalogError::File(
            "the columns are separated by semicolons; save the file with commas".into(),
        ));
    }
    for name in REQUIRED {
        if !header.iter().any(|h| h == name) {
            return Err(CatalogError::File(format!(
                "the header has no {name} column (it needs {})",
                REQUIRED.join(",")
            )));
        }
    }
    if let Some(h) = header
        .iter()
        .find(|h| !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()))
    {
        return Err(CatalogError::File(format!(
            "the header has an unknown column \"{h}\""
        )));
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut seen: HashMap<(bool, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            CatalogError::Line {
                line,
                why: match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("it has {len} fields where the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".into(),
                    _ => e.to_string(),
                },
            }
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let mut form = ItemForm::default();
        for (h, value) in header.iter().zip(record.iter()) {
            let slot = match h.as_str() {
                "sku" => &mut form.sku,
                "name" => &mut form.name,
                "category" => &mut form.category,
                "price" => &mut form.price,
                "tax_rate" => &mut form.tax_rate,
                "tax_included" => &mut form.tax_included,
                "barcode" => &mut form.barcode,
                "label" => &mut form.label,
                "colour" => &mut form.colour,
                _ => &mut form.active,
            };
            *slot = value.to_owned();
        }
        let row = check(&form, currency).map_err(|why| CatalogError::Line { line, why })?;
        let keys = [
            row.sku.clone().map(|s| (true, s)),
            row.barcode.clone().map(|b| (false, b)),
        ];
        for (is_sku, key) in keys.into_iter().flatten() {
            if let Some(first) = seen.insert((is_sku, key.clone()), line) {
                return Err(CatalogError::Line {
                    line,
                    why: format!(
                        "the {} {key} is on line {first} too",
                        if is_sku { "SKU" } else { "barcode" }
                    ),
                });
            }
        }
        rows.push(row);
        lines.push(line);
    }
    if rows.is_empty() {
        return Err(CatalogError::File("the file has no items".into()));
    }
    ledger.import_items(&rows).map_err(|(n, e)| match e {
        LedgerError::Refused(why) => CatalogError::Line {
            line: lines.get(n).copied().unwrap_or(0),
            why,
        },
        other => CatalogError::Ledger(other),
    })
}

/// Writes the whole catalog (inactive items too) as CSV, by name; returns how many items.
pub fn export(ledger: &Ledger, out: impl io::Write) -> Result<u64, CatalogError> {
    let items = ledger.items(&ItemQuery {
        inactive: true,
        ..ItemQuery::default()
    })?;
    let mut w = csv::Writer::from_writer(out);
    let io_error =
        |e: csv::Error| CatalogError::File(format!("the catalog could not be written ({e})"));
    w.write_record(REQUIRED.iter().chain(OPTIONAL.iter()))
        .map_err(io_error)?;
    let currency = crate::settings::shop_currency(ledger)?;
    for i in &items {
        let price = decimal_text(i.price_minor, &currency);
        let rate = i.tax_rate.tax.rate.value().to_string();
        w.write_record([
            i.sku.as_deref().unwrap_or(""),
            &i.name,
            i.category.as_deref().unwrap_or(""),
            &price,
            &rate,
            if i.tax_rate.tax.included {
                "true"
            } else {
                "false"
            },
            i.barcode.as_deref().unwrap_or(""),
            i.label.as_deref().unwrap_or(""),
            i.colour.as_deref().unwrap_or(""),
            if i.active { "true" } else { "false" },
        ])
        .map_err(io_error)?;
    }
    w.flush()
        .map_err(|e| CatalogError::File(format!("the catalog could not be written ({e})")))?;
    Ok(items.len() as u64)
}

#[cfg(test)]
mod tests;
