import { afterEach, describe, expect, it, vi } from 'vitest';
import { Renewal, renewalSettings } from '../src/lib/renewal';

const product = { ...renewalSettings };
afterEach(() => Object.assign(renewalSettings, product));

/** A Renewal on a clock the test moves, and the reloads it asked for. */
function setUp() {
  let now = 1_000_000;
  const reload = vi.fn();
  renewalSettings.reload = reload;
  const r = new Renewal(() => now);
  return { r, reload, pass: (ms: number) => (now += ms) };
}

describe('renewing the page', () => {
  it('waits for the sales, then for a minute of quiet, then renews once', () => {
    const { r, reload, pass } = setUp();
    pass(renewalSettings.afterRestMs);
    expect(r.check(renewalSettings.afterSales - 1, true)).toBe(false);
    r.stir();
    pass(renewalSettings.afterRestMs - 1);
    expect(r.check(renewalSettings.afterSales, true)).toBe(false);
    pass(1);
    expect(r.check(renewalSettings.afterSales, true)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(1);
    pass(renewalSettings.afterRestMs);
    expect(r.check(renewalSettings.afterSales + 5, true)).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('never renews a till that is not at rest, and counts a full minute once it is', () => {
    const { r, reload, pass } = setUp();
    pass(10 * renewalSettings.afterRestMs);
    expect(r.check(10 * renewalSettings.afterSales, false)).toBe(false);
    expect(reload).not.toHaveBeenCalled();
    // At rest from now, untouched: the minute starts now, not at the last touch.
    pass(renewalSettings.afterRestMs - 1);
    expect(r.check(10 * renewalSettings.afterSales, true)).toBe(false);
    pass(1);
    expect(r.check(10 * renewalSettings.afterSales, true)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('counts the quiet from the last stir', () => {
    const { r, reload, pass } = setUp();
    for (let i = 0; i < 5; i++) {
      pass(renewalSettings.afterRestMs - 1);
      r.stir();
      expect(r.check(renewalSettings.afterSales, true)).toBe(false);
    }
    expect(reload).not.toHaveBeenCalled();
  });

  it('asks for a new process first where one is given, and reloads the document only where it cannot', async () => {
    for (const [answer, reloads] of [[Promise.resolve(true), 0], [Promise.resolve(false), 1], [Promise.reject(new Error('no')), 1]] as const) {
      let now = 1_000_000;
      const reload = vi.fn();
      renewalSettings.reload = reload;
      const renew = vi.fn(() => answer);
      const r = new Renewal(() => now, renew);
      now += renewalSettings.afterRestMs;
      expect(r.check(renewalSettings.afterSales, true)).toBe(true);
      await answer.catch(() => undefined);
      await Promise.resolve();
      expect(renew).toHaveBeenCalledTimes(1);
      expect(reload).toHaveBeenCalledTimes(reloads);
    }
  });

  it('puts the fallback reload off when the till is touched while Rust answers, and renews at the next rest', async () => {
    let now = 1_000_000;
    const reload = vi.fn();
    renewalSettings.reload = reload;
    let answer: (done: boolean) => void = () => undefined;
    const renew = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const r = new Renewal(() => now, renew);
    now += renewalSettings.afterRestMs;
    expect(r.check(renewalSettings.afterSales, true)).toBe(true);
    // A key pressed before the answer: no reload over it.
    r.stir();
    answer(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(reload).not.toHaveBeenCalled();
    // Still due: a minute at rest later, it asks again, and this time nobody touches the till.
    expect(r.check(renewalSettings.afterSales, true)).toBe(false);
    now += renewalSettings.afterRestMs;
    expect(r.check(renewalSettings.afterSales, true)).toBe(true);
    expect(renew).toHaveBeenCalledTimes(2);
    answer(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
