// Generated from the Event constants in src-tauri/events.rs by src-tauri/tests/bindings.rs
// when `cargo test` runs. Do not edit: change the Rust constant and run the tests.

import type { SaleUpdated } from './SaleUpdated';

/** A sale changed. */
export const SALE_UPDATED = 'sale-updated';

/** The idle lock locked the till from Rust. */
export const LOCK_CHANGED = 'lock-changed';

/** Every event by name, with what it carries. */
export interface Events {
  'sale-updated': SaleUpdated;
  'lock-changed': null;
}
