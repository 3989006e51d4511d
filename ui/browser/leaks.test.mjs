// A day of sales leaves nothing of itself in the page. Tauri answers each listen 50 ms late here,
// and every round leaves screens before that answer: an invoice paid as it shows (its card
// panel's listener), the history opened and closed at once (its sales listener), then a sale
// cancelled and the history opened properly on the newest sale. After the rounds, the listeners
// the page holds are as many as after the first few, and so are Chromium's DOM nodes (alive,
// detached or not, read after a forced collection). A screen kept by a listener never stopped
// adds hundreds of nodes a round and a listener or two, and fails this at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { id, open } from './harness.mjs';

/** `count` rounds, driven inside the page; each wait bounded to 5 s. */
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
        // Paid as it shows: the invoice is gone before its listener is answered.
        await ringUp();
        q('simulate').click();
        await until('the paid screen', () => q('paid-screen'));
        q('next-sale').click();
        // The history opened and closed at once.
        await until('the keypad', () => q('amount'));
        q('nav-history').click();
        await until('the history', () => q('history-list'));
        q('nav-history').click();
        // A sale cancelled, and the history opened on the newest sale.
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
      // Every late answer in, and dealt with.
      await new Promise((r) => setTimeout(r, 200));
      return null;
    } catch (e) {
      return String(e);
    }
  }, count);
  assert.equal(error, null);
}

/** Listeners the page holds, and DOM nodes alive once everything collectable is collected. */
async function alive(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  return { nodes, listening: await page.evaluate(() => window.__mock.listening()) };
}

describe('a long day', () => {
  it('leaves no screen behind: listeners and nodes stay flat round after round', async () => {
    // The chime muted (headless Chromium has no audio clock, so its notes would never end), and
    // Tauri slow to answer a listen.
    const page = await open('', "localStorage.setItem('till.sound.muted', '1'); window.__mock.state.listenDelayMs = 50;");
    const cdp = await page.context().newCDPSession(page);
    await id(page, 'amount').waitFor();
    // A few rounds first: every screen and its code has been shown once.
    await rounds(page, 5);
    const warm = await alive(page, cdp);
    await rounds(page, 25);
    const day = await alive(page, cdp);
    assert.equal(day.listening, warm.listening, 'listeners left running by screens that are gone');
    // Less than one node a round: a screen held alive is hundreds a round.
    assert.ok(day.nodes - warm.nodes < 25, `nodes grew from ${warm.nodes} to ${day.nodes} over 25 rounds`);
    await page.close();
  });
});
