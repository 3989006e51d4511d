// Presentation only: how amounts, sats, numbers and times read on screen in the screen's
// language. No arithmetic on money here, and no parsing: amounts arrive from Rust as exact
// decimal text and only gain the locale's separators ("1234.50" -> "1.234,50" in German).
import type { SaleState } from './bindings/SaleState';
import { m } from './paraglide/messages.js';
import { getLocale, type Locale } from './paraglide/runtime.js';

/** The locale Intl formats for: the pseudo-locale formats as English. */
function intlLocale(): string {
  const l = getLocale();
  return l === 'en-XA' ? 'en' : l;
}

/** How a language writes numbers: its decimal separator, its grouping separator, its minus sign,
 * and the fewest digits it groups (Spanish writes 1234 but 12.345: CLDR's minimum grouping digits,
 * here as the shortest whole part that is grouped). */
interface NumberSymbols {
  decimal: string;
  group: string;
  minus: string;
  groupFrom: number;
}

const ENGLISH: NumberSymbols = { decimal: '.', group: ',', minus: '-', groupFrom: 4 };

/** Each language's number symbols, as CLDR (and so `Intl.NumberFormat`) gives them; every
 * language shipped must be here, and tests/i18n.test.ts checks each against Intl. Written out
 * rather than asked of Intl because the keypad shows numbers at rest, and the first
 * `Intl.NumberFormat` brings ICU's locale and currency data and its formatting code into the web
 * process: 2.4 MB of the idle till (BENCHMARKS.md, "Memory"). Dates and
 * times, shown on other screens than the keypad, still go through Intl. */
const NUMBERS: Record<Locale, NumberSymbols> = {
  en: ENGLISH,
  'en-XA': ENGLISH,
  es: { decimal: ',', group: '.', minus: '-', groupFrom: 5 },
  'pt-BR': { decimal: ',', group: '.', minus: '-', groupFrom: 4 },
  de: { decimal: ',', group: '.', minus: '-', groupFrom: 4 },
  fr: { decimal: ',', group: '\u202f', minus: '-', groupFrom: 4 },
};

const symbols = (): NumberSymbols => NUMBERS[getLocale()] ?? ENGLISH;

/** The locale's decimal separator ("." or ","), for the keypad's key and display. */
export function decimalSeparator(): string {
  return symbols().decimal;
}

/** Digits grouped in threes as the locale groups them, exactly (text, never a float), leading
 * zeros dropped as Intl drops them: 12500 -> "12,500". Anything but plain digits is returned as it
 * came. */
export function group(digits: string): string {
  if (!/^\d+$/.test(digits)) return digits;
  const whole = digits.replace(/^0+(?=\d)/, '');
  const { group: separator, groupFrom } = symbols();
  if (whole.length < groupFrom) return whole;
  return whole.replace(/\B(?=(\d{3})+$)/g, separator);
}

/** An exact decimal ("-1234.50") in the locale's separators ("-1.234,50"). */
export function decimal(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', frac] = (negative ? amount.slice(1) : amount).split('.');
  const minus = negative ? symbols().minus : '';
  return `${minus}${group(whole)}${frac !== undefined ? decimalSeparator() + frac : ''}`;
}

/** "12.50" + "USD" -> "12.50 USD" ("12,50 USD" in German): the currency's code after the amount,
 * as on the printed receipt. */
export function fiat(amount: string, currency: string): string {
  return `${decimal(amount)} ${currency}`;
}

/** Whole sats (Rust rounds them from millisatoshis), grouped: 12500 -> "12,500 sats". */
export function sats(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return m.common_sats({ count: group(String(n)) });
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

/** Local time of day for an RFC 3339 time, with seconds. */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString(intlLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Local time of day, hours and minutes. */
export function hourMinute(iso: string): string {
  return new Date(iso).toLocaleTimeString(intlLocale(), { hour: '2-digit', minute: '2-digit' });
}

/** Local date and time, short, in the screen's language. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(intlLocale(), { dateStyle: 'short', timeStyle: 'short' });
}

/** Local date, in the screen's language. */
export function dateOnly(iso: string): string {
  return new Date(iso).toLocaleDateString(intlLocale(), { dateStyle: 'medium' });
}

/** The words for each sale state; a state added in Rust fails the type check here. */
const SALE_STATE_WORDS: Record<SaleState, () => string> = {
  creating: m.state_creating,
  awaiting_payment: m.state_awaiting_payment,
  paid: m.state_paid,
  timed_out: m.state_timed_out,
  paid_late: m.state_paid_late,
  cancelled: m.state_cancelled,
  failed: m.state_failed,
  uncertain: m.state_uncertain,
};

/** The words for a sale's state, or for a report line's status (which may be `net`). */
export function statusWords(status: SaleState | string): string {
  if (status === 'net') return m.state_net();
  if (status === 'refunded') return m.state_refunded();
  return Object.hasOwn(SALE_STATE_WORDS, status) ? SALE_STATE_WORDS[status as SaleState]() : status;
}

/** An amount as a person typed it, for Rust to read. Where the language writes a decimal comma,
 * what the screen itself shows is read as it shows it: `12,50` is 12.50 and `1.500` or
 * `1.500,00` (the screen's own grouping) is 1500; a lone point that is no grouping (`12.5`) stays
 * the point it was typed as. Nothing is rounded and no number is made: Rust reads the text
 * exactly, or refuses it in plain words. */
export function typedAmount(text: string): string {
  const t = text.trim();
  if (decimalSeparator() !== ',') return t;
  if (/^-?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (!t.includes('.') && t.split(',').length === 2) return t.replace(',', '.');
  return t;
}

/** Typed text with a point, as the language shows it ("12.5" -> "12,5" in German). */
export function showTyped(text: string): string {
  return decimalSeparator() === ',' ? text.replace('.', ',') : text;
}

/** The name Rust gives a line typed on the keypad (`cart::CUSTOM_AMOUNT`): one stable name in the
 * ledger and the exports, worded here in the screen's language. */
const CUSTOM_AMOUNT = 'Custom amount';

/** A bill line's name as the screen says it: an item's is the shop's own; the keypad's amount
 * is worded in the screen's language. */
export function lineName(name: string | undefined): string {
  return name === CUSTOM_AMOUNT ? m.common_custom_amount() : (name ?? '');
}

/** Whether an exact decimal string from Rust is zero (`0`, `0.00`): a check for showing a line,
 * never arithmetic. */
export function isZero(amount: string): boolean {
  return /^-?0+(\.0+)?$/.test(amount);
}
