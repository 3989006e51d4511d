// Generated from the #[tauri::command] functions in src-tauri/ by src-tauri/tests/bindings.rs
// when `cargo test` runs. Do not edit: change the Rust command and run the tests.

import { call } from '../call';
import type { AppInfo } from './AppInfo';
import type { Readiness } from './Readiness';
import type { SaleDetail } from './SaleDetail';
import type { SaleView } from './SaleView';

/**
 * The till's version, mode, shop and data folder.
 */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/**
 * Rings up a sale in the shop's currency and starts watching it.
 */
export function charge(amount: string, memo: string): Promise<SaleView> {
  return call<SaleView>('charge', { amount, memo });
}

/**
 * A new sale for the same amount as a timed-out one, linked to it.
 */
export function requote(receiptNo: number): Promise<SaleView> {
  return call<SaleView>('requote', { receiptNo });
}

/**
 * Cancels a sale waiting for payment (still watched for a late payment).
 */
export function cancelSale(receiptNo: number): Promise<SaleView> {
  return call<SaleView>('cancel_sale', { receiptNo });
}

/**
 * Asks the gateway about a sale now: "the customer says they paid".
 */
export function checkSale(receiptNo: number): Promise<SaleView> {
  return call<SaleView>('check_sale', { receiptNo });
}

/**
 * Demo mode only: the simulated customer pays (a timed-out order is paid late).
 */
export function simulatePayment(receiptNo: number): Promise<SaleView> {
  return call<SaleView>('simulate_payment', { receiptNo });
}

/**
 * Today's sales (in the shop's time zone), newest first, optionally filtered by receipt number,
 * amount or memo.
 */
export function salesToday(query?: string | null): Promise<Array<SaleView>> {
  return call<Array<SaleView>>('sales_today', { query });
}

/**
 * A sale and its timeline.
 */
export function saleDetail(receiptNo: number): Promise<SaleDetail> {
  return call<SaleDetail>('sale_detail', { receiptNo });
}

/**
 * The QR the customer scans, drawn in Rust as SVG: the invoice (`LIGHTNING:` + upper case), or
 * the gateway's hosted checkout page.
 */
export function invoiceQr(receiptNo: number, payUrl: boolean): Promise<string> {
  return call<string>('invoice_qr', { receiptNo, payUrl });
}

/**
 * Paid-late sales the cashier has not acknowledged yet (they survive a restart).
 */
export function pendingAlerts(): Promise<Array<SaleView>> {
  return call<Array<SaleView>>('pending_alerts');
}

/**
 * The cashier has seen a paid-late alert.
 */
export function acknowledgeAlert(receiptNo: number): Promise<void> {
  return call<void>('acknowledge_alert', { receiptNo });
}

/**
 * Opens (or brings forward) the customer-facing window.
 */
export function openCustomerDisplay(): Promise<void> {
  return call<void>('open_customer_display');
}

/**
 * The customer display's idle screen needs the shop's name; the current sale comes by events.
 */
export function currentSale(): Promise<SaleView | null> {
  return call<SaleView | null>('current_sale');
}

/**
 * Asks the gateway for one order: it answers only when reachable and the credentials work.
 */
export function gatewayReady(): Promise<Readiness> {
  return call<Readiness>('gateway_ready');
}

/**
 * Saves a sale's receipt as a PDF in the data folder's `receipts` folder; returns its path.
 */
export function saveReceipt(receiptNo: number): Promise<string> {
  return call<string>('save_receipt', { receiptNo });
}
