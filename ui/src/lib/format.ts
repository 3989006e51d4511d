// Presentation only: how amounts, sats and times read on screen. No arithmetic on money here;
// amounts arrive from Rust as exact decimal text.
import type { SaleState } from './bindings/SaleState';

/** Digits grouped in threes: 12500 -> "12,500". */
export function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12.50" + "USD" -> "12.50 USD", with the integer part grouped. */
export function fiat(amount: string, currency: string): string {
  const [whole = '0', frac] = amount.split('.');
  return `${group(whole)}${frac !== undefined ? '.' + frac : ''} ${currency}`;
}

/** Whole sats (Rust rounds them from millisatoshis), grouped: 12500 -> "12,500 sats". */
export function sats(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return `${group(String(n))} sats`;
}

/** Seconds left until `iso`, never negative. */
export function secondsLeft(iso: string | null | undefined, now: number): number {
  if (!iso) return 0;
  return Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
}

/** 754 -> "12:34". */
export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Local time of day for an RFC 3339 time. */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The words for each sale state; a state added in Rust fails the type check here. */
const SALE_STATE_WORDS: Record<SaleState, string> = {
  creating: 'Creating invoice',
  awaiting_payment: 'Waiting for payment',
  paid: 'Paid',
  timed_out: 'Timed out',
  paid_late: 'Paid late',
  cancelled: 'Cancelled',
  failed: 'Failed',
  uncertain: 'Checking with the gateway',
};

/** The words for a sale's state, or for a report line's status (which may be `net`). */
export function statusWords(status: SaleState | string): string {
  return Object.hasOwn(SALE_STATE_WORDS, status) ? SALE_STATE_WORDS[status as SaleState] : status;
}

/** Whether an exact decimal string from Rust is zero (`0`, `0.00`): a check for showing a line,
 * never arithmetic. */
export function isZero(amount: string): boolean {
  return /^-?0+(\.0+)?$/.test(amount);
}
