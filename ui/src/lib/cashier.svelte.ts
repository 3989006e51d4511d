// The cashier's screen state. Everything it knows comes from Rust (command answers and
// `sale-updated` events); it only decides which screen shows what.
import * as ipc from './ipc';
import type { AppInfo, CashQuoteView, SaleState, SaleUpdated, SaleView } from './ipc';
import { TillError, toTillError } from './ipc';
import { press, type Key } from './keypad';
import { Sell } from './sell.svelte';
import { chime } from './sound';
import { m } from './paraglide/messages.js';

export type Screen = 'keypad' | 'tip' | 'invoice' | 'paid' | 'timed_out' | 'failed' | 'history' | 'drawer';

/** The commands the cashier's screens use; tests pass a fake. */
export type Api = Pick<
  typeof ipc,
  | 'appInfo'
  | 'charge'
  | 'chargeCart'
  | 'cancelTip'
  | 'onTipChosen'
  | 'requote'
  | 'cancelSale'
  | 'checkSale'
  | 'simulatePayment'
  | 'pendingAlerts'
  | 'acknowledgeAlert'
  | 'onSaleUpdated'
  | 'cashQuote'
  | 'sellForCash'
>;

/** Which screen a sale's status belongs on. */
export function screenFor(status: SaleState): Screen {
  switch (status) {
    case 'paid':
    case 'paid_late':
      return 'paid';
    case 'timed_out':
    case 'cancelled':
      return 'timed_out';
    case 'failed':
      return 'failed';
    case 'creating':
    case 'awaiting_payment':
    case 'uncertain':
      return 'invoice';
  }
}

export class Cashier {
  info = $state<AppInfo | null>(null);
  startError = $state<TillError | null>(null);
  screen = $state<Screen>('keypad');
  typed = $state('');
  memo = $state('');
  sale = $state<SaleView | null>(null);
  busy = $state(false);
  /** Counts the sales the cashier moved on from ("Next sale", a cancel): an answer asked for
   * in an earlier turn is stale. */
  private turn = 0;
  /** How many sales the cashier has moved on from since the page loaded. */
  get turns(): number {
    return this.turn;
  }
  /** A sentence for the keypad: why an amount was refused, or what just happened. */
  message = $state<string | null>(null);
  /** Paid-late sales waiting for the cashier to acknowledge them. */
  alerts = $state<SaleView[]>([]);

  readonly api: Api;
  /** The catalog and the cart. */
  readonly sell: Sell;
  private unlisten: (() => void) | null = null;
  private unlistenTip: (() => void) | null = null;

  constructor(api: Api = ipc, sell: Sell = new Sell()) {
    this.api = api;
    this.sell = sell;
  }

  get exponent(): number {
    return this.info?.currency_exponent ?? 2;
  }

  async start(): Promise<void> {
    try {
      this.info = await this.api.appInfo();
      this.unlisten = await this.api.onSaleUpdated((u) => this.onUpdate(u));
      // The customer chose a tip on their display (or the cashier on this one): charge now.
      this.unlistenTip = await this.api.onTipChosen(() => void this.tipChosen());
      await this.loadAlerts();
    } catch (raw) {
      this.startError = toTillError(raw);
    }
  }

  /** Re-reads what changed underneath: the shop, the mode, the currency (after settings or
   * credentials changed), and the alerts a locked till could not read. */
  async reload(): Promise<void> {
    try {
      this.info = await this.api.appInfo();
      await this.loadAlerts();
    } catch (raw) {
      this.message = toTillError(raw).message;
    }
  }

  /** The alerts waiting, read from Rust; one it did not know of yet sounds, as one heard as an
   * event does: a late payment that came while the page was loading (a renewal, a start, a
   * lock) would otherwise show in silence. */
  private async loadAlerts(): Promise<void> {
    try {
      const pending = await this.api.pendingAlerts();
      const known = new Set(this.alerts.map((a) => a.receipt_no));
      this.alerts = pending;
      if (pending.some((a) => !known.has(a.receipt_no))) chime('alert');
    } catch (raw) {
      // A locked till reads them once it is unlocked.
      if (toTillError(raw).code !== 'locked') throw raw;
    }
  }

  stop(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.unlistenTip?.();
    this.unlistenTip = null;
  }

  /** Takes back digits a barcode scanner typed onto the keypad (they were a code, not an
   * amount). */
  untype(code: string): void {
    const digits = code.replace(/\D/g, '');
    if (digits && this.typed.endsWith(digits)) this.typed = this.typed.slice(0, -digits.length);
    else if (digits) this.typed = '';
  }

  press(key: Key): void {
    if (this.screen !== 'keypad') return;
    this.typed = press(this.typed, key, this.exponent);
    this.message = null;
  }

  private async run(action: () => Promise<SaleView>, stayOnError: Screen | null = null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const asked = this.turn;
    try {
      const sale = await action();
      // The sale's own update can arrive before the answer (the paid screen shows, the cashier
      // taps "Next sale"): an answer for a sale the cashier has left never takes the screen back.
      if (asked === this.turn) this.show(sale);
    } catch (raw) {
      const err = toTillError(raw);
      this.message = err.message;
      if (stayOnError) this.screen = stayOnError;
    } finally {
      this.busy = false;
    }
  }

  private show(sale: SaleView): void {
    this.sale = sale;
    this.screen = screenFor(sale.status);
    if (this.screen === 'paid') chime('paid');
  }

  /** Charges the cart (with what is typed added to it first); with tips on, the tip screen
   * comes first, on both screens, and the charge follows the choice. */
  async chargeCart(): Promise<void> {
    if (this.busy) return;
    if (this.typed !== '') {
      if (!(await this.sell.addAmount(this.typed))) return;
      this.typed = '';
    }
    if (this.sell.count === 0) {
      this.message = m.cashier_cart_empty();
      return;
    }
    try {
      if (await this.sell.askTip()) {
        this.screen = 'tip';
        return;
      }
    } catch (raw) {
      this.sell.message = toTillError(raw).message;
      return;
    }
    await this.finishCharge();
  }

  /** A tip was chosen while the tip screen was up. */
  private async tipChosen(): Promise<void> {
    if (this.screen !== 'tip') return;
    this.screen = 'keypad';
    await this.finishCharge();
  }

  /** Back from the tip screen without charging (the customer display leaves it too). */
  leaveTip(): void {
    if (this.screen === 'tip') this.screen = 'keypad';
    this.sell.tips = null;
    this.api.cancelTip().catch(() => undefined);
  }

  private async finishCharge(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const sale = await this.api.chargeCart(this.memo);
      this.sell.charged();
      this.show(sale);
    } catch (raw) {
      this.sell.message = toTillError(raw).message;
      this.screen = 'keypad';
    } finally {
      this.busy = false;
    }
  }

  /** Paying in cash: the cart's total and quick keys while the cash screen is up. */
  cash = $state<CashQuoteView | null>(null);

  /** Opens the cash screen for the cart (with what is typed added to it first). */
  async startCash(): Promise<void> {
    if (this.busy) return;
    if (this.typed !== '') {
      if (!(await this.sell.addAmount(this.typed))) return;
      this.typed = '';
    }
    if (this.sell.count === 0) {
      this.message = m.cashier_nothing_to_pay();
      return;
    }
    try {
      this.cash = await this.api.cashQuote(null);
    } catch (raw) {
      this.sell.message = toTillError(raw).message;
    }
  }

  /** The change for what the customer handed over, as Rust counts it; a short amount is
   * refused with Rust's sentence. */
  async quoteCash(tendered: string): Promise<{ change: string | null; problem: string | null }> {
    try {
      const q = await this.api.cashQuote(tendered);
      return { change: q.change, problem: null };
    } catch (raw) {
      return { change: null, problem: toTillError(raw).message };
    }
  }

  /** Sells the cart for the cash handed over: written paid at once, the change on the paid
   * screen. Null when it went through, else why not (the cash screen stays up). */
  async payCash(tendered: string): Promise<string | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const sale = await this.api.sellForCash(tendered, this.memo);
      this.sell.charged();
      this.cash = null;
      this.show(sale);
      return null;
    } catch (raw) {
      return toTillError(raw).message;
    } finally {
      this.busy = false;
    }
  }

  async charge(): Promise<void> {
    if (this.sell.count > 0) {
      await this.chargeCart();
      return;
    }
    if (this.typed === '') {
      this.message = m.cashier_type_amount();
      return;
    }
    this.message = null;
    await this.run(() => this.api.charge(this.typed, this.memo), 'keypad');
  }

  async requote(): Promise<void> {
    const sale = this.sale;
    if (!sale) return;
    await this.run(() => this.api.requote(sale.receipt_no));
  }

  async cancel(): Promise<void> {
    const sale = this.sale;
    if (!sale || this.busy) return;
    this.busy = true;
    try {
      await this.api.cancelSale(sale.receipt_no);
      this.newSale();
      this.message = m.cashier_cancelled({ receipt: sale.label });
    } catch (raw) {
      this.message = toTillError(raw).message;
    } finally {
      this.busy = false;
    }
  }

  async simulate(): Promise<void> {
    const sale = this.sale;
    if (!sale) return;
    await this.run(() => this.api.simulatePayment(sale.receipt_no));
  }

  async checkAgain(): Promise<void> {
    const sale = this.sale;
    if (!sale) return;
    await this.run(() => this.api.checkSale(sale.receipt_no));
  }

  newSale(): void {
    this.turn++;
    this.typed = '';
    this.memo = '';
    this.sale = null;
    this.message = null;
    this.screen = 'keypad';
  }

  onUpdate(update: SaleUpdated): void {
    if (update.paid_late && !this.alerts.some((a) => a.receipt_no === update.sale.receipt_no)) {
      this.alerts = [...this.alerts, update.sale];
      chime('alert');
    }
    const current = this.sale;
    if (current && update.sale.receipt_no === current.receipt_no && this.screen !== 'history' && this.screen !== 'drawer') {
      const before = this.screen;
      this.sale = update.sale;
      this.screen = screenFor(update.sale.status);
      if (this.screen === 'paid' && before !== 'paid') chime('paid');
    }
  }

  async acknowledge(receiptNo: number): Promise<void> {
    try {
      await this.api.acknowledgeAlert(receiptNo);
      this.alerts = this.alerts.filter((a) => a.receipt_no !== receiptNo);
    } catch (raw) {
      this.message = toTillError(raw).message;
    }
  }
}
