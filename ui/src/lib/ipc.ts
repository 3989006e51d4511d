// The web view's only door into Rust. Types, command functions and event names are generated
// from the Rust shell (src/lib/bindings; never edit them by hand); this file gathers them and
// adds the event listeners.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { CARD_TAP, LOCK_CHANGED, PRINTER_CHANGED, SALE_UPDATED, SHOP_CHANGED, TIP_ASKED, TIP_CHOSEN, type Events } from './bindings/events';

export * from './bindings/commands';
export { CARD_TAP, LOCK_CHANGED, PRINTER_CHANGED, SALE_UPDATED, SHOP_CHANGED, TIP_ASKED, TIP_CHOSEN, type Events } from './bindings/events';
export { TillError, toTillError } from './call';
export type { AppInfo } from './bindings/AppInfo';
export type { BillView } from './bindings/BillView';
export type { CartChange } from './bindings/CartChange';
export type { CartView } from './bindings/CartView';
export type { CatalogImported } from './bindings/CatalogImported';
export type { CategoryView } from './bindings/CategoryView';
export type { ItemForm } from './bindings/ItemForm';
export type { ItemView } from './bindings/ItemView';
export type { TipChoice } from './bindings/TipChoice';
export type { TipOffer } from './bindings/TipOffer';
export type { Balance } from './bindings/Balance';
export type { ClosedDay } from './bindings/ClosedDay';
export type { ConnectionResult } from './bindings/ConnectionResult';
export type { CredentialKind } from './bindings/CredentialKind';
export type { CredentialSource } from './bindings/CredentialSource';
export type { CredentialStatus } from './bindings/CredentialStatus';
export type { CurrencyList } from './bindings/CurrencyList';
export type { CurrencyOption } from './bindings/CurrencyOption';
export type { DayClosed } from './bindings/DayClosed';
export type { ErrorCode } from './bindings/ErrorCode';
export type { ExportFormat } from './bindings/ExportFormat';
export type { InvoicePreview } from './bindings/InvoicePreview';
export type { IpcError } from './bindings/IpcError';
export type { Line } from './bindings/Line';
export type { Probe } from './bindings/Probe';
export type { LockState } from './bindings/LockState';
export type { Readiness } from './bindings/Readiness';
export type { Refund } from './bindings/Refund';
export type { RefundState } from './bindings/RefundState';
export type { RefundMade } from './bindings/RefundMade';
export type { Report } from './bindings/Report';
export type { SaleDetail } from './bindings/SaleDetail';
export type { SaleState } from './bindings/SaleState';
export type { SaleUpdated } from './bindings/SaleUpdated';
export type { SaleView } from './bindings/SaleView';
export type { Settings } from './bindings/Settings';
export type { TimelineEntry } from './bindings/TimelineEntry';
export type { Withdrawal } from './bindings/Withdrawal';
export type { WithdrawalState } from './bindings/WithdrawalState';
export type { WithdrawalView } from './bindings/WithdrawalView';
export type { Person } from './bindings/Person';
export type { Member } from './bindings/Member';
export type { Role } from './bindings/Role';
export type { DrawerView } from './bindings/DrawerView';
export type { MoveLine } from './bindings/MoveLine';
export type { ShiftLine } from './bindings/ShiftLine';
export type { CashQuoteView } from './bindings/CashQuoteView';
export type { CountLine } from './bindings/CountLine';
export type { CashMoveKind } from './bindings/CashMoveKind';
export type { TenderLine } from './bindings/TenderLine';
export type { PersonLine } from './bindings/PersonLine';
export type { PrinterView } from './bindings/PrinterView';
export type { ShopLink } from './bindings/ShopLink';
export type { Printed } from './bindings/Printed';
export type { PrinterSettings } from './bindings/PrinterSettings';
export type { CardTap } from './bindings/CardTap';
export type { CardState } from './bindings/CardState';

/** Sale changes pushed from Rust (the watcher); the UI never polls. */
export function onSaleUpdated(handler: (update: Events[typeof SALE_UPDATED]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof SALE_UPDATED]>(SALE_UPDATED, (event) => handler(event.payload));
}

/** Rust locked the till (the idle lock). */
export function onLockChanged(handler: () => void): Promise<UnlistenFn> {
  return listen<Events[typeof LOCK_CHANGED]>(LOCK_CHANGED, () => handler());
}

/** The cashier pressed Charge with tips on: the customer display offers these. */
export function onTipAsked(handler: (tips: Events[typeof TIP_ASKED]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof TIP_ASKED]>(TIP_ASKED, (event) => handler(event.payload));
}

/** A tip was chosen on either screen. */
export function onTipChosen(handler: (cart: Events[typeof TIP_CHOSEN]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof TIP_CHOSEN]>(TIP_CHOSEN, (event) => handler(event.payload));
}

/** The printer's state changed (the readiness light). */
export function onPrinterChanged(handler: (printer: Events[typeof PRINTER_CHANGED]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof PRINTER_CHANGED]>(PRINTER_CHANGED, (event) => handler(event.payload));
}

/** The shop link's state changed (the shop light). */
export function onShopChanged(handler: (link: Events[typeof SHOP_CHANGED]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof SHOP_CHANGED]>(SHOP_CHANGED, (event) => handler(event.payload));
}

/** The card reader armed for a sale changed. */
export function onCardTap(handler: (tap: Events[typeof CARD_TAP]) => void): Promise<UnlistenFn> {
  return listen<Events[typeof CARD_TAP]>(CARD_TAP, (event) => handler(event.payload));
}

/** A listener for as long as the screen that asked for it: the function returned stops it, even
 * when called before Tauri has answered. A screen left at once (a sale paid as it shows) would
 * otherwise keep its listener, and through it the screen's part of the page, for the whole day.
 * Stopping twice stops once; a stop that fails (the window closing) is let go quietly. */
export function whileShown(listening: Promise<UnlistenFn>): () => void {
  let left = false;
  let stop: UnlistenFn | undefined;
  const off = (u: UnlistenFn) => void Promise.resolve().then(u).catch(() => undefined);
  listening.then(
    (u) => (left ? off(u) : (stop = u)),
    () => undefined,
  );
  return () => {
    if (left) return;
    left = true;
    if (stop) off(stop);
    stop = undefined;
  };
}
