// A day of sales leaves nothing of itself in the page: after sales paid and cancelled and the
// history opened on each, Chromium's own counters (DOM nodes alive, detached or not, and event
// listeners, each read after a forced collection) are where they were after the first few. A
// screen kept alive by a listener never stopped (a leak that grew the real app's web process
// sale after sale) adds hundreds of nodes a sale and fails this at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { id, open } from './harness.mjs';

/** Rounds of: a sale paid, a sale cancelled, the history opened on the newest sale and closed. */
async function rounds(page, count) {
  const error = await page.evaluate(async (count) => {
    const q = (t) => document.querySelector(`[data-testid="${t}"]`);
    const until = async (what, test) => {
      const end = Date.now() + 5_000;
      while (!test()) {
        if (Date.now() > end) throw new Error(`waited 5 s for ${what}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const ringUp = async () => {
      await until('the keypad', () => q('charge') && q('key-1'));
      q('key-1').click();
      q('key-2').click();
      await until('charge enabled', () => !q('charge').disabled);
      q('charge').click();
      await until('the invoice', () => q('simulate') && q('cancel'));
    };
    try {
      for (let i = 0; i < count; i++) {
        await ringUp();
        q('simulate').click();
        await until('the paid screen', () => q('paid-screen'));
        q('next-sale').click();
        await ringUp();
        q('cancel').click();
        await until('the confirmation', () => q('confirm-cancel'));
        q('confirm-cancel').click();
        await until('the keypad', () => q('amount'));
        q('nav-history').click();
        await until('the history', () => q('history-list')?.querySelector('button'));
        q('history-list').querySelector('button').click();
        await until('the sale', () => q('timeline'));
        q('nav-history').click();
        await until('the keypad', () => q('amount'));
      }
      return null;
    } catch (e) {
      return String(e);
    }
  }, count);
  assert.equal(error, null);
}

/** Nodes and listeners alive once everything collectable is collected. */
async function alive(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { nodes, listeners: jsEventListeners };
}

describe('a long day', () => {
  it('leaves no screen behind: nodes and listeners stay flat sale after sale', async () => {
    // The chime is muted: headless Chromium has no audio clock, so its notes never end.
    const page = await open('', "localStorage.setItem('till.sound.muted', '1');");
    const cdp = await page.context().newCDPSession(page);
    await id(page, 'amount').waitFor();
    // A few rounds first: every screen and its code has been shown once.
    await rounds(page, 5);
    const warm = await alive(cdp);
    await rounds(page, 25);
    const day = await alive(cdp);
    // One node or listener per round at most: a screen held alive is hundreds a round.
    assert.ok(day.nodes - warm.nodes <= 25, `nodes grew from ${warm.nodes} to ${day.nodes} over 25 rounds`);
    assert.ok(day.listeners - warm.listeners <= 25, `listeners grew from ${warm.listeners} to ${day.listeners} over 25 rounds`);
    await page.close();
  });
});
