// The keypad's typing rules, pure so they are tested without a screen. The text typed is what is
// sent to Rust, which decides whether it is an amount; these rules only keep the keypad from
// accepting what could never be one (a second point, more decimals than the currency has).
// The typed text always holds a point; only its display follows the language ("12,50" in German),
// and either key, point or comma, types it.
import { decimalSeparator, group } from './format';

export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'back' | 'clear';

/** At most this many digits before the point (999,999,999). */
export const MAX_WHOLE_DIGITS = 9;

export function press(text: string, key: Key, exponent: number): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  if (key === '.') {
    if (exponent === 0 || text.includes('.')) return text;
    return text === '' ? '0.' : text + '.';
  }
  const [whole, frac] = text.split('.');
  if (frac !== undefined) {
    return frac.length >= exponent ? text : text + key;
  }
  if (whole === '0') return key; // no leading zeros
  if ((whole ?? '').length >= MAX_WHOLE_DIGITS) return text;
  return text + key;
}

/** The amount as it reads while typing, in the screen's language: "" -> "0.00",
 * "12.5" -> "12.50", "1234" -> "1,234.00" ("1.234,00" in German). */
export function display(text: string, exponent: number): string {
  const [whole = '', frac] = text.split('.');
  const grouped = group(whole === '' ? '0' : whole);
  if (exponent === 0) return grouped;
  return `${grouped}${decimalSeparator()}${(frac ?? '').padEnd(exponent, '0')}`;
}

/** Maps a keyboard key to a keypad key. */
export function fromKeyboard(key: string): Key | null {
  if (/^[0-9]$/.test(key)) return key as Key;
  if (key === '.' || key === ',' || key === 'Decimal') return '.';
  if (key === 'Backspace') return 'back';
  if (key === 'Delete') return 'clear';
  return null;
}
