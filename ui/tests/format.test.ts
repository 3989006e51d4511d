import { describe, expect, it } from 'vitest';
import { clock, fiat, group, sats, secondsLeft, statusWords } from '../src/lib/format';

describe('format', () => {
  it('groups digits and formats money without arithmetic', () => {
    expect(group('1234567')).toBe('1,234,567');
    expect(fiat('1234.50', 'USD')).toBe('1,234.50 USD');
    expect(fiat('1500', 'JPY')).toBe('1,500 JPY');
    expect(sats(12_500)).toBe('12,500 sats');
    expect(sats(0)).toBe('0 sats');
    expect(sats(null)).toBe('');
  });

  it('counts down and never goes negative', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(secondsLeft('2026-11-24T10:12:34Z', now)).toBe(754);
    expect(secondsLeft('2026-11-24T09:00:00Z', now)).toBe(0);
    expect(secondsLeft(null, now)).toBe(0);
    expect(clock(754)).toBe('12:34');
    expect(clock(5)).toBe('0:05');
  });

  it('names every status', () => {
    for (const s of ['creating', 'awaiting_payment', 'paid', 'timed_out', 'paid_late', 'cancelled', 'failed', 'uncertain']) {
      expect(statusWords(s)).not.toBe(s);
    }
  });
});
