// Presentation only: how amounts, sats and times read on screen. No arithmetic on money here;
// amounts arrive from Rust as exact decimal text.

/** Digits grouped in threes: 12500 -> "12,500". */
export function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12.50" + "USD" -> "12.50 USD", with the integer part grouped. */
export function fiat(amount: string, currency: string): string {
  const [whole = '0', frac] = amount.split('.');
  return `${group(whole)}${frac !== undefined ? '.' + frac : ''} ${currency}`;
}

/** Millisatoshis to whole sats, grouped: 12500000 -> "12,500 sats". */
export function sats(msat: number | null | undefined): string {
  if (msat === null || msat === undefined) return '';
  return `${group(String(Math.floor(msat / 1000)))} sats`;
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

/** The words for a status. */
export function statusWords(status: string): string {
  switch (status) {
    case 'creating':
      return 'Creating invoice';
    case 'awaiting_payment':
      return 'Waiting for payment';
    case 'paid':
      return 'Paid';
    case 'timed_out':
      return 'Timed out';
    case 'paid_late':
      return 'Paid late';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
    case 'uncertain':
      return 'Checking with the gateway';
    default:
      return status;
  }
}
