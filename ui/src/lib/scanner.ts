// A barcode scanner types like a keyboard, far faster than a person, and ends with Enter. With a
// catalog, that burst must add the scanned item even when the keypad has the keys; it must never
// become an amount that Enter charges. Pure, so it is tested without a window.

/** Keys closer together than this (ms) come from a machine: people take 80 ms or more. */
export const SCANNER_GAP_MS = 35;
/** The shortest code taken as a scan (EAN-8 and up). */
export const SCANNER_MIN_LENGTH = 6;

/** Watches the printable keys and their times, and says whether an Enter ends a scan. */
export class ScanDetector {
  private code = '';
  private last = -Infinity;

  /** A printable key at `at` ms. */
  key(key: string, at: number): void {
    this.code = at - this.last <= SCANNER_GAP_MS ? this.code + key : key;
    this.last = at;
  }

  /** Enter at `at` ms: the scanned code if the keys before it were a scanner's burst, else null.
   * Either way the burst is over. */
  enter(at: number): string | null {
    const code = this.code;
    const fast = at - this.last <= SCANNER_GAP_MS * 4;
    this.code = '';
    this.last = -Infinity;
    return fast && code.length >= SCANNER_MIN_LENGTH ? code : null;
  }
}
