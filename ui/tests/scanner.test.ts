import { describe, expect, it } from 'vitest';
import { ScanDetector, SCANNER_GAP_MS } from '../src/lib/scanner';

function typed(d: ScanDetector, text: string, start: number, gap: number): number {
  let at = start;
  for (const k of text) {
    d.key(k, at);
    at += gap;
  }
  return at;
}

describe('ScanDetector', () => {
  it('takes a fast burst ending in Enter as a scan', () => {
    const d = new ScanDetector();
    const end = typed(d, '40170725', 1000, 8);
    expect(d.enter(end)).toBe('40170725');
    // Over once read.
    expect(d.enter(end + 5)).toBeNull();
  });

  it('never takes a person typing an amount as a scan', () => {
    const d = new ScanDetector();
    const end = typed(d, '1250', 1000, 120);
    expect(d.enter(end)).toBeNull();
    const slow = typed(d, '40170725', 5000, SCANNER_GAP_MS + 40);
    expect(d.enter(slow)).toBeNull();
  });

  it('keeps only the burst, not what a person typed before it', () => {
    const d = new ScanDetector();
    typed(d, '12', 0, 200);
    const end = typed(d, '4006381333931', 1000, 5);
    expect(d.enter(end)).toBe('4006381333931');
  });

  it('needs a code long enough and an Enter right after it', () => {
    const d = new ScanDetector();
    expect(d.enter(typed(d, '123', 0, 5))).toBeNull();
    const end = typed(d, '4006381333931', 1000, 5);
    expect(d.enter(end + 2000)).toBeNull();
  });
});
