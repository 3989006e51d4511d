// What the customer display shows, and for how long.

import type { SaleState } from './bindings/SaleState';

/** How long a sale's result (paid, timed out, failed) stays on the customer display before it
 * rests: long enough to read at arm's length, short enough to be gone for the next customer.
 * Rust's `current_sale` answers a finished sale for the same 15 s (`history::RESULT_SHOWN`). */
export const RESULT_SHOWN_MS = 15_000;

/** What is left at `now` of a result's time on screen, counted from `since` (ms since the
 * epoch), when the sale last changed: a display that loaded 10 s after a sale was paid shows it
 * 5 s more, not 15 s. A time that cannot be read (NaN) gives the whole of it. */
export function resultLeftMs(since: number, now: number): number {
  if (Number.isNaN(since)) return RESULT_SHOWN_MS;
  return Math.min(RESULT_SHOWN_MS, Math.max(0, RESULT_SHOWN_MS - (now - since)));
}

/** A result with less than this left is not shown at all: it would blink on and off. */
export const SHORTEST_RESULT_MS = 1_000;

/** Whether a sale in `status` has ended, so that the display shows its result for a while
 * rather than follow it until it does. */
export function isResult(status: SaleState): boolean {
  return !['creating', 'awaiting_payment', 'uncertain'].includes(status);
}
