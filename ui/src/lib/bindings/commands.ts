// Generated from the #[tauri::command] functions in src-tauri/ by src-tauri/tests/bindings.rs
// when `cargo test` runs. Do not edit: change the Rust command and run the tests.

import { call } from '../call';
import type { AppInfo } from './AppInfo';
import type { Balance } from './Balance';
import type { CartChange } from './CartChange';
import type { CartView } from './CartView';
import type { CashMoveKind } from './CashMoveKind';
import type { CashQuoteView } from './CashQuoteView';
import type { CatalogImported } from './CatalogImported';
import type { CategoryView } from './CategoryView';
import type { ClosedDay } from './ClosedDay';
import type { ConnectionResult } from './ConnectionResult';
import type { CountLine } from './CountLine';
import type { CredentialKind } from './CredentialKind';
import type { CredentialStatus } from './CredentialStatus';
import type { CurrencyList } from './CurrencyList';
import type { DayClosed } from './DayClosed';
import type { DrawerView } from './DrawerView';
import type { ExportFormat } from './ExportFormat';
import type { InvoicePreview } from './InvoicePreview';
import type { ItemFilter } from './ItemFilter';
import type { ItemForm } from './ItemForm';
import type { ItemView } from './ItemView';
import type { LockState } from './LockState';
import type { Member } from './Member';
import type { Person } from './Person';
import type { Pick } from './Pick';
import type { Printed } from './Printed';
import type { PrinterSettings } from './PrinterSettings';
import type { PrinterView } from './PrinterView';
import type { Readiness } from './Readiness';
import type { Refund } from './Refund';
import type { RefundMade } from './RefundMade';
import type { Report } from './Report';
import type { Role } from './Role';
import type { SaleDetail } from './SaleDetail';
import type { SaleView } from './SaleView';
import type { Settings } from './Settings';
import type { Shift } from './Shift';
import type { ShopLink } from './ShopLink';
import type { TipOffer } from './TipOffer';
import type { WithdrawalView } from './WithdrawalView';

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
 * Today's newest sales (in the shop's time zone; at most `till_core::history::HISTORY_ROWS`),
 * optionally filtered by receipt number, amount or memo.
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
 * Closes the customer display, as its window's close button does (a display made fullscreen on
 * a second screen has none to reach); nothing when it is not open.
 */
export function closeCustomerDisplay(): Promise<void> {
  return call<void>('close_customer_display');
}

/**
 * The main window's page renewed in a new web process (`windows::renew_main_process`: the
 * customer display, if open, closed first and opened again in the new process); false where it
 * cannot be, and the page reloads its document itself.
 */
export function renewPage(): Promise<boolean> {
  return call<boolean>('renew_page');
}

/**
 * The customer display's idle screen needs the shop's name; the current sale comes by events.
 */
export function currentSale(): Promise<SaleView | null> {
  return call<SaleView | null>('current_sale');
}

/**
 * Whether the gateway answers and accepts the credentials (the readiness light).
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

/**
 * Arms the card reader for a sale waiting for payment ("Tap card"); a reader armed for another
 * sale stops first. Its progress arrives as `card-tap` events.
 */
export function tapCard(receiptNo: number): Promise<void> {
  return call<void>('tap_card', { receiptNo });
}

/**
 * Stops the card reader (the sale ended, or the cashier turned it off).
 */
export function stopCard(): Promise<void> {
  return call<void>('stop_card');
}

/**
 * Pays a sale from an LNURL-withdraw link pasted or scanned (a QR scanner types it). `Ok`
 * means the link's service took the invoice; the sale is paid when the gateway says so.
 */
export function payByLink(receiptNo: number, link: string): Promise<void> {
  return call<void>('pay_by_link', { receiptNo, link });
}

/**
 * Where the credentials come from, masked.
 */
export function credentialStatus(): Promise<CredentialStatus> {
  return call<CredentialStatus>('credential_status');
}

/**
 * Tries credentials against the gateway and, only if it accepts them, saves them to the
 * keychain and switches the till to live mode.
 */
export function saveCredentials(kind: CredentialKind, apiKey?: string | null, token?: string | null, secret?: string | null): Promise<ConnectionResult> {
  return call<ConnectionResult>('save_credentials', { kind, apiKey, token, secret });
}

/**
 * Signs in with the Aurpay account (Get API-Key): the username and password are used for this
 * one request and never stored; the API key it returns is tested and saved like a pasted one.
 */
export function signIn(username: string, password: string): Promise<ConnectionResult> {
  return call<ConnectionResult>('sign_in', { username, password });
}

/**
 * Tests the credentials in use now.
 */
export function testConnection(): Promise<ConnectionResult> {
  return call<ConnectionResult>('test_connection');
}

/**
 * Removes the saved credentials; the till goes back to demo mode.
 */
export function forgetCredentials(): Promise<void> {
  return call<void>('forget_credentials');
}

/**
 * The X report of the open period (what the next Z would seal), or with `day` the report of
 * that calendar day: a look that changes nothing.
 */
export function xReport(day?: string | null): Promise<Report> {
  return call<Report>('x_report', { day });
}

/**
 * Closes the period: seals the next Z report with every document since the previous one (with
 * `day`, only up to the end of that day), refuses when sales are still waiting or nothing
 * happened, and exports what it sealed as CSV into the automatic export folder when one is set.
 */
export function closeDay(day?: string | null): Promise<DayClosed> {
  return call<DayClosed>('close_day', { day });
}

/**
 * Every Z report of this terminal's book, newest first.
 */
export function closedDays(): Promise<Array<ClosedDay>> {
  return call<Array<ClosedDay>>('closed_days');
}

/**
 * A past Z report, as sealed, by number.
 */
export function zReport(zNo: number): Promise<Report> {
  return call<Report>('z_report', { zNo });
}

/**
 * Exports the days `first..=last` as CSV or JSON to a file the owner picks in the system save
 * dialog. Returns the path written, or nothing when the dialog was cancelled.
 */
export function exportSales(first: string, last: string, format: ExportFormat): Promise<string | null> {
  return call<string | null>('export_sales', { first, last, format });
}

/**
 * Picks the automatic export folder in the system folder dialog; returns it (not yet saved:
 * the settings screen saves it with the rest).
 */
export function chooseExportFolder(): Promise<string | null> {
  return call<string | null>('choose_export_folder');
}

/**
 * The lock's state (answered while locked too).
 */
export function lockState(): Promise<LockState> {
  return call<LockState>('lock_state');
}

/**
 * Locks the till now (the cashier walks away, or the idle time passed).
 */
export function lock(): Promise<void> {
  return call<void>('lock');
}

/**
 * A touch or a key in the window: the till is in use (the idle lock counts from the last one).
 */
export function activity(): Promise<void> {
  return call<void>('activity');
}

/**
 * "Who is selling?": the PIN says who, and they are at the till (switching cashier is the same
 * call). A manager or the owner also has the manager screens for a few minutes. Wrong PINs slow
 * down: after three, each try waits longer.
 */
export function unlock(pin: string): Promise<Person> {
  return call<Person>('unlock', { pin });
}

/**
 * A manager steps in at an open till with their PIN (the manager screens open for them; the
 * cashier keeps selling).
 */
export function stepIn(pin: string): Promise<Person> {
  return call<Person>('step_in', { pin });
}

/**
 * Closes the manager screens (the till stays unlocked for the cashier).
 */
export function endManager(): Promise<void> {
  return call<void>('end_manager');
}

/**
 * Changes a PIN: whoever the current one belongs to gets the new one. A till with no PIN yet
 * gets the owner's (from the owner's screens).
 */
export function changePin(current: string, newPin: string): Promise<void> {
  return call<void>('change_pin', { current, newPin });
}

/**
 * The sound setting, for the paid screen (a cashier setting: no PIN).
 */
export function soundOn(): Promise<boolean> {
  return call<boolean>('sound_on');
}

/**
 * The settings as stored (and as the environment overrides them).
 */
export function getSettings(): Promise<Settings> {
  return call<Settings>('get_settings');
}

/**
 * Checks and saves the settings; all are checked before any is saved, and saved at once. A
 * changed network, gateway address or shop name restarts the till with them.
 */
export function saveSettings(settings: Settings): Promise<Settings> {
  return call<Settings>('save_settings', { settings });
}

/**
 * The BLN balance, from the gateway.
 */
export function balance(): Promise<Balance> {
  return call<Balance>('balance');
}

/**
 * Decodes a pasted invoice: amount, expiry, and whether it suits this till's network.
 */
export function previewInvoice(invoice: string): Promise<InvoicePreview> {
  return call<InvoicePreview>('preview_invoice', { invoice });
}

/**
 * Pays a pasted invoice from the balance, after the PIN. Recorded before and after the
 * gateway is asked; an invoice already sent is refused.
 */
export function withdraw(invoice: string, pin: string): Promise<WithdrawalView> {
  return call<WithdrawalView>('withdraw', { invoice, pin });
}

/**
 * Every withdrawal, newest first.
 */
export function withdrawals(): Promise<Array<WithdrawalView>> {
  return call<Array<WithdrawalView>>('withdrawals');
}

/**
 * Records a full or partial refund against a paid sale with a reason and the PIN: an amount, or
 * lines picked from the sale (with or without its tip; tax reversed per rate). With the
 * customer's invoice, the gateway is asked to pay it.
 */
export function refund(receiptNo: number, amount: string, reason: string, invoice: string | null, lines: Array<Pick> | null, tip: boolean | null, pin: string): Promise<RefundMade> {
  return call<RefundMade>('refund', { receiptNo, amount, reason, invoice, lines, tip, pin });
}

/**
 * Settles a sale the till could not, after the PIN: one whose gateway answer was lost (with
 * the order found on the Aurpay dashboard, or void with a reason), or one the gateway said
 * something impossible about (void).
 */
export function settleSale(receiptNo: number, orderId: string | null, reason: string | null, pin: string): Promise<SaleView> {
  return call<SaleView>('settle_sale', { receiptNo, orderId, reason, pin });
}

/**
 * The refunds of one sale, oldest first (the history's detail shows them).
 */
export function refundsOf(receiptNo: number): Promise<Array<Refund>> {
  return call<Array<Refund>>('refunds_of', { receiptNo });
}

/**
 * The people on the staff (the owner's screen).
 */
export function staffList(): Promise<Array<Member>> {
  return call<Array<Member>>('staff_list');
}

/**
 * Adds someone with their role and PIN (no two people share a PIN).
 */
export function addStaff(name: string, role: Role, pin: string): Promise<Member> {
  return call<Member>('add_staff', { name, role, pin });
}

/**
 * Takes someone off the staff (the last owner stays).
 */
export function removeStaff(name: string): Promise<void> {
  return call<void>('remove_staff', { name });
}

/**
 * The drawer: the shift and what it should hold.
 */
export function drawer(): Promise<DrawerView> {
  return call<DrawerView>('drawer');
}

/**
 * Opens a shift with the float counted into the drawer.
 */
export function openShift(float: string): Promise<Shift> {
  return call<Shift>('open_shift', { float });
}

/**
 * Pays cash into or out of the drawer, with a reason: paying in is anyone's at the till,
 * paying out a manager's (who is recorded as making it).
 */
export function moveCash(kind: CashMoveKind, amount: string, reason: string): Promise<DrawerView> {
  return call<DrawerView>('move_cash', { kind, amount, reason });
}

/**
 * The total of a count by denomination, as the drawer screen shows it while the cashier counts
 * (the window adds no money itself).
 */
export function countDrawer(counts: Array<CountLine>): Promise<string> {
  return call<string>('count_drawer', { counts });
}

/**
 * Counts the drawer and closes the shift: a total, or how many of each note and coin. A
 * cashier's till needs a manager's PIN for it.
 */
export function closeShift(counted?: string | null, counts?: Array<CountLine> | null, pin?: string | null): Promise<DrawerView> {
  return call<DrawerView>('close_shift', { counted, counts, pin });
}

/**
 * Sells the cart for cash: `tendered` must cover the total; the change is in the answer. No
 * gateway is involved.
 */
export function sellForCash(tendered: string, memo: string): Promise<SaleView> {
  return call<SaleView>('sell_for_cash', { tendered, memo });
}

/**
 * What the cash screen shows: the cart's total, quick keys, the change for `tendered` (short
 * cash is refused in plain words). Writes nothing.
 */
export function cashQuote(tendered?: string | null): Promise<CashQuoteView> {
  return call<CashQuoteView>('cash_quote', { tendered });
}

/**
 * The printer's state, asked now.
 */
export function printer(): Promise<PrinterView> {
  return call<PrinterView>('printer');
}

/**
 * Prints a sale's receipt (`copy`: a reprint, which says COPY and leaves the drawer shut). A
 * receipt printed before is always a COPY: only its first print is the original, so this
 * never opens a cash drawer twice.
 */
export function printReceipt(receiptNo: number, copy: boolean): Promise<Printed> {
  return call<Printed>('print_receipt', { receiptNo, copy });
}

/**
 * Prints a report: `x` (the open period), a sealed Z by number, or `shift` (the open shift, or
 * the last one closed).
 */
export function printReport(kind: string, zNo?: number | null): Promise<Printed> {
  return call<Printed>('print_report', { kind, zNo });
}

/**
 * Tries the waiting print jobs again, oldest first.
 */
export function retryPrints(): Promise<Printed> {
  return call<Printed>('retry_prints');
}

/**
 * The printer settings (the owner's).
 */
export function printerSettings(): Promise<PrinterSettings> {
  return call<PrinterSettings>('printer_settings');
}

/**
 * Checks and saves the printer settings together (an empty address: no printer).
 */
export function savePrinter(settings: PrinterSettings): Promise<PrinterSettings> {
  return call<PrinterSettings>('save_printer', { settings });
}

/**
 * Prints the test page on the printer as typed (saved or not), now, without the queue.
 */
export function printTestPage(settings: PrinterSettings): Promise<Printed> {
  return call<Printed>('print_test_page', { settings });
}

/**
 * Items as the filter asks, by name.
 */
export function items(filter: ItemFilter): Promise<Array<ItemView>> {
  return call<Array<ItemView>>('items', { filter });
}

/**
 * The categories, as tabs.
 */
export function categories(): Promise<Array<CategoryView>> {
  return call<Array<CategoryView>>('categories');
}

/**
 * The terminal's cart, priced.
 */
export function cart(): Promise<CartView> {
  return call<CartView>('cart');
}

/**
 * Changes the cart and answers it priced; a refused change leaves it as it was. An order
 * discount above the owner's limit answers `pin_required`: ask for the PIN and send the change
 * again with it.
 */
export function cartChange(change: CartChange, pin?: string | null): Promise<CartView> {
  return call<CartView>('cart_change', { change, pin });
}

/**
 * The tips offered on this cart (none when the owner has tips off), shown to the customer
 * display too (`tip-asked`), where the customer may choose.
 */
export function askTip(): Promise<TipOffer> {
  return call<TipOffer>('ask_tip');
}

/**
 * The tips being offered now, if the customer is choosing: the customer display asks when it
 * opens, in case it opened in the middle of that.
 */
export function currentTip(): Promise<TipOffer | null> {
  return call<TipOffer | null>('current_tip');
}

/**
 * The cashier went back to the cart without a tip chosen: the customer display leaves the tip
 * screen too (`tip-asked` with nothing).
 */
export function cancelTip(): Promise<void> {
  return call<void>('cancel_tip');
}

/**
 * The tip chosen, by the customer on their display or by the cashier (`15%`, `2.00`, or none):
 * kept on the cart, and told to every window (`tip-chosen`) so both leave the tip screen. Only
 * while a tip is being asked for: the customer window can set nothing at any other time.
 */
export function chooseTip(tip?: string | null): Promise<CartView> {
  return call<CartView>('choose_tip', { tip });
}

/**
 * Rings up the cart (with its tip) and starts watching the sale; the cart is emptied.
 */
export function chargeCart(memo: string): Promise<SaleView> {
  return call<SaleView>('charge_cart', { memo });
}

/**
 * Adds or changes an item of the catalog (the owner's, with the manager screens open).
 */
export function saveItem(id: number | null, form: ItemForm): Promise<ItemView> {
  return call<ItemView>('save_item', { id, form });
}

/**
 * Imports a catalog CSV the owner picks in the system open dialog: all rows, or (a bad row named
 * by its line) none. Nothing when the dialog was cancelled.
 */
export function importCatalog(): Promise<CatalogImported | null> {
  return call<CatalogImported | null>('import_catalog');
}

/**
 * Writes the catalog as CSV to a file the owner picks in the system save dialog; the path
 * written, or nothing when the dialog was cancelled.
 */
export function exportCatalog(): Promise<string | null> {
  return call<string | null>('export_catalog');
}

/**
 * The gateway's real (fiat) currencies, or a fallback list when it cannot be asked. Only codes
 * this till knows (ISO 4217) are offered.
 */
export function currencies(): Promise<CurrencyList> {
  return call<CurrencyList>('currencies');
}

/**
 * Finishes the first run: the shop's name, this terminal's name, the currency and the manager
 * PIN (4 to 12 digits), and the shop's language (the system's when not given). Everything is checked before anything is saved, and saved at once. Once
 * set up with a PIN, running it again needs the manager.
 */
export function finishSetup(shopName: string, terminal: string, currency: string, pin: string, language?: string | null): Promise<void> {
  return call<void>('finish_setup', { shopName, terminal, currency, pin, language });
}

/**
 * The shop link's state, as last found (for whoever is at the till, as the gateway's light).
 */
export function shopLink(): Promise<ShopLink> {
  return call<ShopLink>('shop_link');
}

/**
 * Every command by the name it is invoked with: the arguments it is sent and what it
 * answers. Fakes and the browser suite's mock are typed against this, so they cannot drift
 * from Rust unnoticed.
 */
export interface Commands {
  app_info: { args: Record<string, never>; returns: AppInfo };
  charge: { args: { amount: string; memo: string }; returns: SaleView };
  requote: { args: { receiptNo: number }; returns: SaleView };
  cancel_sale: { args: { receiptNo: number }; returns: SaleView };
  check_sale: { args: { receiptNo: number }; returns: SaleView };
  simulate_payment: { args: { receiptNo: number }; returns: SaleView };
  sales_today: { args: { query?: string | null }; returns: Array<SaleView> };
  sale_detail: { args: { receiptNo: number }; returns: SaleDetail };
  invoice_qr: { args: { receiptNo: number; payUrl: boolean }; returns: string };
  pending_alerts: { args: Record<string, never>; returns: Array<SaleView> };
  acknowledge_alert: { args: { receiptNo: number }; returns: void };
  open_customer_display: { args: Record<string, never>; returns: void };
  close_customer_display: { args: Record<string, never>; returns: void };
  renew_page: { args: Record<string, never>; returns: boolean };
  current_sale: { args: Record<string, never>; returns: SaleView | null };
  gateway_ready: { args: Record<string, never>; returns: Readiness };
  save_receipt: { args: { receiptNo: number }; returns: string };
  tap_card: { args: { receiptNo: number }; returns: void };
  stop_card: { args: Record<string, never>; returns: void };
  pay_by_link: { args: { receiptNo: number; link: string }; returns: void };
  credential_status: { args: Record<string, never>; returns: CredentialStatus };
  save_credentials: { args: { kind: CredentialKind; apiKey?: string | null; token?: string | null; secret?: string | null }; returns: ConnectionResult };
  sign_in: { args: { username: string; password: string }; returns: ConnectionResult };
  test_connection: { args: Record<string, never>; returns: ConnectionResult };
  forget_credentials: { args: Record<string, never>; returns: void };
  x_report: { args: { day?: string | null }; returns: Report };
  close_day: { args: { day?: string | null }; returns: DayClosed };
  closed_days: { args: Record<string, never>; returns: Array<ClosedDay> };
  z_report: { args: { zNo: number }; returns: Report };
  export_sales: { args: { first: string; last: string; format: ExportFormat }; returns: string | null };
  choose_export_folder: { args: Record<string, never>; returns: string | null };
  lock_state: { args: Record<string, never>; returns: LockState };
  lock: { args: Record<string, never>; returns: void };
  activity: { args: Record<string, never>; returns: void };
  unlock: { args: { pin: string }; returns: Person };
  step_in: { args: { pin: string }; returns: Person };
  end_manager: { args: Record<string, never>; returns: void };
  change_pin: { args: { current: string; newPin: string }; returns: void };
  sound_on: { args: Record<string, never>; returns: boolean };
  get_settings: { args: Record<string, never>; returns: Settings };
  save_settings: { args: { settings: Settings }; returns: Settings };
  balance: { args: Record<string, never>; returns: Balance };
  preview_invoice: { args: { invoice: string }; returns: InvoicePreview };
  withdraw: { args: { invoice: string; pin: string }; returns: WithdrawalView };
  withdrawals: { args: Record<string, never>; returns: Array<WithdrawalView> };
  refund: { args: { receiptNo: number; amount: string; reason: string; invoice?: string | null; lines?: Array<Pick> | null; tip?: boolean | null; pin: string }; returns: RefundMade };
  settle_sale: { args: { receiptNo: number; orderId?: string | null; reason?: string | null; pin: string }; returns: SaleView };
  refunds_of: { args: { receiptNo: number }; returns: Array<Refund> };
  staff_list: { args: Record<string, never>; returns: Array<Member> };
  add_staff: { args: { name: string; role: Role; pin: string }; returns: Member };
  remove_staff: { args: { name: string }; returns: void };
  drawer: { args: Record<string, never>; returns: DrawerView };
  open_shift: { args: { float: string }; returns: Shift };
  move_cash: { args: { kind: CashMoveKind; amount: string; reason: string }; returns: DrawerView };
  count_drawer: { args: { counts: Array<CountLine> }; returns: string };
  close_shift: { args: { counted?: string | null; counts?: Array<CountLine> | null; pin?: string | null }; returns: DrawerView };
  sell_for_cash: { args: { tendered: string; memo: string }; returns: SaleView };
  cash_quote: { args: { tendered?: string | null }; returns: CashQuoteView };
  printer: { args: Record<string, never>; returns: PrinterView };
  print_receipt: { args: { receiptNo: number; copy: boolean }; returns: Printed };
  print_report: { args: { kind: string; zNo?: number | null }; returns: Printed };
  retry_prints: { args: Record<string, never>; returns: Printed };
  printer_settings: { args: Record<string, never>; returns: PrinterSettings };
  save_printer: { args: { settings: PrinterSettings }; returns: PrinterSettings };
  print_test_page: { args: { settings: PrinterSettings }; returns: Printed };
  items: { args: { filter: ItemFilter }; returns: Array<ItemView> };
  categories: { args: Record<string, never>; returns: Array<CategoryView> };
  cart: { args: Record<string, never>; returns: CartView };
  cart_change: { args: { change: CartChange; pin?: string | null }; returns: CartView };
  ask_tip: { args: Record<string, never>; returns: TipOffer };
  current_tip: { args: Record<string, never>; returns: TipOffer | null };
  cancel_tip: { args: Record<string, never>; returns: void };
  choose_tip: { args: { tip?: string | null }; returns: CartView };
  charge_cart: { args: { memo: string }; returns: SaleView };
  save_item: { args: { id?: number | null; form: ItemForm }; returns: ItemView };
  import_catalog: { args: Record<string, never>; returns: CatalogImported | null };
  export_catalog: { args: Record<string, never>; returns: string | null };
  currencies: { args: Record<string, never>; returns: CurrencyList };
  finish_setup: { args: { shopName: string; terminal: string; currency: string; pin: string; language?: string | null }; returns: void };
  shop_link: { args: Record<string, never>; returns: ShopLink };
}
