// Generated from the Event constants in src-tauri/events.rs by src-tauri/tests/bindings.rs
// when `cargo test` runs. Do not edit: change the Rust constant and run the tests.

import type { CardTap } from './CardTap';
import type { CartView } from './CartView';
import type { PrinterView } from './PrinterView';
import type { SaleUpdated } from './SaleUpdated';
import type { ShopLink } from './ShopLink';
import type { TipOffer } from './TipOffer';

/** A sale changed. */
export const SALE_UPDATED = 'sale-updated';

/** The cashier pressed Charge on a cart and tips are on: the customer display offers these */
/** (nothing: the cashier went back to the cart, leave the tip screen). */
export const TIP_ASKED = 'tip-asked';

/** A tip was chosen (on either screen): the cart as it now is, tip included. */
export const TIP_CHOSEN = 'tip-chosen';

/** The idle lock locked the till from Rust. */
export const LOCK_CHANGED = 'lock-changed';

/** The card reader armed for a sale changed: armed, reading, sent, refused, unavailable, stopped. */
export const CARD_TAP = 'card-tap';

/** The printer's state or its queue changed (the readiness light). */
export const PRINTER_CHANGED = 'printer-changed';

/** The shop link's state changed: entries sent, the server lost or found, an alarm (the shop */
/** light). */
export const SHOP_CHANGED = 'shop-changed';

/** Every event by name, with what it carries. */
export interface Events {
  'sale-updated': SaleUpdated;
  'tip-asked': TipOffer | null;
  'tip-chosen': CartView;
  'lock-changed': null;
  'card-tap': CardTap;
  'printer-changed': PrinterView;
  'shop-changed': ShopLink;
}
