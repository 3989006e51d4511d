import { afterEach, describe, expect, it, vi } from 'vitest';
import { Renewal, renewal } from '../src/lib/renewal';

const product = { ...renewal };
afterEach(() => Object.assign(renewal, product));

/** A Renewal on a clock the test moves, and the reloads it asked for. */
function setUp() {
  let now = 1_000_000;
  const reload = vi.fn();
  renewal.reload = reload;
  const r = new Renewal(() => now);
  return { r, reload, pass: (ms: number) => (now += ms) };
}

describe('renewing the page', () => {
  it('waits for the sales, then for a minute of quiet, then renews once', () => {
    const { r, reload, pass } = setUp();
    pass(renewal.afterRestMs);
    expect(r.check(renewal.afterSales - 1, true)).toBe(false);
    r.stir();
    pass(renewal.afterRestMs - 1);
    expect(r.check(renewal.afterSales, true)).toBe(false);
    pass(1);
    expect(r.check(renewal.afterSales, true)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(1);
    pass(renewal.afterRestMs);
    expect(r.check(renewal.afterSales + 5, true)).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('never renews a till that is not at rest, however long the quiet', () => {
    const { r, reload, pass } = setUp();
    pass(10 * renewal.afterRestMs);
    expect(r.check(10 * renewal.afterSales, false)).toBe(false);
    expect(reload).not.toHaveBeenCalled();
    // At rest again: it renews now.
    expect(r.check(10 * renewal.afterSales, true)).toBe(true);
  });

  it('counts the quiet from the last stir', () => {
    const { r, reload, pass } = setUp();
    for (let i = 0; i < 5; i++) {
      pass(renewal.afterRestMs - 1);
      r.stir();
      expect(r.check(renewal.afterSales, true)).toBe(false);
    }
    expect(reload).not.toHaveBeenCalled();
  });
});
