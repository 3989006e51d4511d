import { describe, expect, it } from 'vitest';
import { isResult, RESULT_SHOWN_MS, resultLeftMs } from '../src/lib/display';

describe("a result's time on the customer display", () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it('is what is left of 15 s since the sale changed', () => {
    expect(resultLeftMs(now, now)).toBe(RESULT_SHOWN_MS);
    expect(resultLeftMs(now - 10_000, now)).toBe(5_000);
    expect(resultLeftMs(now - 15_000, now)).toBe(0);
    expect(resultLeftMs(now - 60_000, now)).toBe(0);
  });
  it('is never more than 15 s, and the whole of it when the time cannot be read', () => {
    // A clock set back between the change and the display's load.
    expect(resultLeftMs(now + 5_000, now)).toBe(RESULT_SHOWN_MS);
    expect(resultLeftMs(Number.NaN, now)).toBe(RESULT_SHOWN_MS);
  });
  it('counts a sale as a result once it has ended', () => {
    expect(isResult('paid')).toBe(true);
    expect(isResult('timed_out')).toBe(true);
    expect(isResult('cancelled')).toBe(true);
    expect(isResult('awaiting_payment')).toBe(false);
    expect(isResult('creating')).toBe(false);
    expect(isResult('uncertain')).toBe(false);
  });
});
