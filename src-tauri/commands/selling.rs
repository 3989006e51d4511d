//! Selling from the catalog: the items and categories, the cart, tips, and charging the cart.
//! The cashier's commands; changing the catalog is the owner's (`catalog_*` with the PIN).

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use till_core::{
    cart::{self, CartChange, CartView},
    catalog::{self, ItemForm},
    ledger::ItemQuery,
};
use ts_rs::TS;

use super::day::documents;
use crate::{
    events,
    views::{CategoryView, ItemView, SaleView, TipChoice, TipOffer},
    ErrorCode, IpcError, Shell,
};
use till_core::people::Action;

/// Which items the selling screen shows.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ItemFilter {
    /// Only this category.
    #[ts(type = "number | null")]
    pub category: Option<i64>,
    /// Name, SKU or barcode containing this.
    pub text: Option<String>,
    /// Inactive items too (the owner's catalog screen).
    #[serde(default)]
    pub inactive: bool,
    /// At most this many (0: all).
    #[serde(default)]
    #[ts(type = "number")]
    pub limit: usize,
}

/// Items as the filter asks, by name.
#[tauri::command]
pub fn items(shell: State<'_, Shell>, filter: ItemFilter) -> Result<Vec<ItemView>, IpcError> {
    let core = shell.core()?;
    let list = core.till.ledger().items(&ItemQuery {
        category: filter.category,
        text: filter.text,
        inactive: filter.inactive,
        limit: filter.limit,
    })?;
    Ok(list
        .iter()
        .map(|i| ItemView::new(i, &core.currency))
        .collect())
}

/// The categories, as tabs.
#[tauri::command]
pub fn categories(shell: State<'_, Shell>) -> Result<Vec<CategoryView>, IpcError> {
    let list = shell.core()?.till.ledger().categories()?;
    Ok(list
        .into_iter()
        .map(|c| CategoryView {
            id: c.id,
            name: c.name,
            items: c.items,
        })
        .collect())
}

/// The terminal's cart, priced.
#[tauri::command]
pub fn cart(shell: State<'_, Shell>) -> Result<CartView, IpcError> {
    let core = shell.core()?;
    let terminal = core.till.config().terminal.clone();
    let view = cart::view(&core.till.ledger(), &terminal)?;
    Ok(view)
}

/// Changes the cart and answers it priced; a refused change leaves it as it was. An order
/// discount above the owner's limit answers `pin_required`: ask for the PIN and send the change
/// again with it.
#[tauri::command]
pub fn cart_change(
    shell: State<'_, Shell>,
    change: CartChange,
    pin: Option<String>,
) -> Result<CartView, IpcError> {
    // A manager selling approves their own discounts; a cashier's need a manager's PIN.
    let (core, approver) = match pin {
        Some(p) => {
            let (core, who) = shell.approve(&p)?;
            (core, Some(who.name))
        }
        None => {
            let core = shell.core()?;
            let own = shell
                .seller()
                .filter(|p| p.may(Action::ApproveDiscount).is_ok())
                .map(|p| p.name);
            (core, own)
        }
    };
    let terminal = core.till.config().terminal.clone();
    let view = cart::change(
        &mut core.till.ledger(),
        &terminal,
        change,
        approver.as_deref(),
    )?;
    Ok(view)
}

/// The tips offered on this cart (none when the owner has tips off), shown to the customer
/// display too (`tip-asked`), where the customer may choose.
#[tauri::command]
pub fn ask_tip<R: Runtime>(app: AppHandle<R>) -> Result<TipOffer, IpcError> {
    let core = app.state::<Shell>().core()?;
    let (total, choices) = cart::tip_choices(&core.till.ledger(), &core.till.config().terminal)?;
    let offer = TipOffer {
        total,
        currency: core.currency.clone(),
        choices: choices
            .into_iter()
            .map(|(p, amount)| TipChoice {
                percent: p.value().to_string(),
                amount,
            })
            .collect(),
    };
    if !offer.choices.is_empty() {
        app.state::<Shell>().set_tip_offer(Some(offer.clone()));
        let _ = events::TIP_ASKED.emit(&app, Some(offer.clone()));
    }
    Ok(offer)
}

/// The tips being offered now, if the customer is choosing: the customer display asks when it
/// opens, in case it opened in the middle of that.
#[tauri::command]
pub fn current_tip(shell: State<'_, Shell>) -> Result<Option<TipOffer>, IpcError> {
    shell.any_core()?;
    Ok(shell.tip_offer())
}

/// The cashier went back to the cart without a tip chosen: the customer display leaves the tip
/// screen too (`tip-asked` with nothing).
#[tauri::command]
pub fn cancel_tip<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    let shell = app.state::<Shell>();
    shell.core()?;
    shell.set_tip_offer(None);
    let _ = events::TIP_ASKED.emit(&app, None);
    Ok(())
}

/// The tip chosen, by the customer on their display or by the cashier (`15%`, `2.00`, or none):
/// kept on the cart, and told to every window (`tip-chosen`) so both leave the tip screen. Only
/// while a tip is being asked for: the customer window can set nothing at any other time.
#[tauri::command]
pub fn choose_tip<R: Runtime>(
    app: AppHandle<R>,
    tip: Option<String>,
) -> Result<CartView, IpcError> {
    let shell = app.state::<Shell>();
    let core = shell.core()?;
    if shell.tip_offer().is_none() {
        return Err(IpcError::new(
            ErrorCode::NotAllowed,
            "no tip is being asked for now",
        ));
    }
    let terminal = core.till.config().terminal.clone();
    let view = cart::change(
        &mut core.till.ledger(),
        &terminal,
        CartChange::Tip { tip },
        None,
    )?;
    shell.set_tip_offer(None);
    let _ = events::TIP_CHOSEN.emit(&app, view.clone());
    Ok(view)
}

/// Rings up the cart (with its tip) and starts watching the sale; the cart is emptied.
#[tauri::command]
pub async fn charge_cart(shell: State<'_, Shell>, memo: String) -> Result<SaleView, IpcError> {
    let core = shell.core()?;
    shell.set_tip_offer(None);
    let sale = core.till.charge_cart(&memo).await?;
    core.watcher.track(sale.id);
    Ok(SaleView::from(&sale))
}

/// Adds or changes an item of the catalog (the owner's, with the manager screens open).
#[tauri::command]
pub fn save_item(
    shell: State<'_, Shell>,
    id: Option<i64>,
    form: ItemForm,
) -> Result<ItemView, IpcError> {
    let core = shell.manager(Action::Catalog)?;
    let currency =
        till_core::money::Currency::from_code(&core.currency).map_err(cart::CartError::from)?;
    let row = catalog::check(&form, currency).map_err(catalog::CatalogError::Item)?;
    let item = core.till.ledger().save_item(id, &row)?;
    Ok(ItemView::new(&item, &core.currency))
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogImported {
    /// New items.
    #[ts(type = "number")]
    pub added: u64,
    /// Items replaced (found by SKU, or without one by name).
    #[ts(type = "number")]
    pub updated: u64,
}

/// Imports a catalog CSV the owner picks in the system open dialog: all rows, or (a bad row named
/// by its line) none. Nothing when the dialog was cancelled.
#[tauri::command]
pub async fn import_catalog<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<CatalogImported>, IpcError> {
    let core = app.state::<Shell>().manager(Action::Catalog)?;
    let currency =
        till_core::money::Currency::from_code(&core.currency).map_err(cart::CartError::from)?;
    let picked = documents(app.dialog().file())
        .set_title("Catalog to import")
        .add_filter("CSV", &["csv"])
        .blocking_pick_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let file = std::fs::File::open(&path).map_err(|e| {
        catalog::CatalogError::File(format!("{} cannot be read ({e})", path.display()))
    })?;
    let done = catalog::import(
        &mut core.till.ledger(),
        std::io::BufReader::new(file),
        currency,
    )?;
    Ok(Some(CatalogImported {
        added: done.added,
        updated: done.updated,
    }))
}

/// Writes the catalog as CSV to a file the owner picks in the system save dialog; the path
/// written, or nothing when the dialog was cancelled.
#[tauri::command]
pub async fn export_catalog<R: Runtime>(app: AppHandle<R>) -> Result<Option<String>, IpcError> {
    let core = app.state::<Shell>().manager(Action::Catalog)?;
    let mut bytes = Vec::new();
    catalog::export(&core.till.ledger(), &mut bytes)?;
    let picked = documents(app.dialog().file())
        .set_title("Save the catalog")
        .set_file_name("catalog.csv")
        .add_filter("CSV", &["csv"])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    till_core::files::write_atomically(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}
