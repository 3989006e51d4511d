// At the counter in the built UI, in Debian's Chromium with the mocked IPC: tap to pay on the
// invoice (the reader armed, a refusal in plain words, the card paying, the sale paid), a pasted
// link refused and taken, the owner's printer tab with its test page, the printer's light, and a
// reprint that waits while the printer is off and prints from the light; each checked with axe
// and photographed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, id, open } from './harness.mjs';

async function charge(page, keys) {
  await id(page, 'amount').waitFor();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Enter');
  await id(page, 'qr').locator('svg').waitFor();
}

describe('tap to pay', () => {
  it('the reader arms, names a refusal, and the sale turns paid only when the gateway says so', async () => {
    const page = await open();
    await charge(page, ['5']);
    await id(page, 'tap-card').click();
    assert.match(await id(page, 'tap-state').innerText(), /Hold the card on the reader/);
    assert.equal(await id(page, 'tap-card').getAttribute('aria-pressed'), 'true');
    await check(page, 'card-armed');
    await page.evaluate(() =>
      window.__mock.emit('card-tap', { receipt_no: 1, state: 'refused', message: "over the card's limit: it pays at most 1000 sats, the sale is 5000 sats" }),
    );
    assert.match(await id(page, 'tap-state').innerText(), /over the card's limit.*Tap again, or pay another way/);
    await check(page, 'card-refused');
    await page.evaluate(() => window.__mock.emit('card-tap', { receipt_no: 1, state: 'sent', message: null }));
    assert.match(await id(page, 'tap-state').innerText(), /The card is paying/);
    // The card's OK is not payment: the invoice stays up until the gateway says paid.
    assert.equal(await id(page, 'paid-screen').count(), 0);
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'paid-screen').waitFor();
    await page.close();
  });

  it('a pasted link that is no link is refused; a withdraw link is taken', async () => {
    const page = await open();
    await charge(page, ['2', '.', '5', '0']);
    await id(page, 'card-link').fill('hello');
    await id(page, 'pay-link').click();
    assert.match(await id(page, 'link-state').innerText(), /not a card or withdraw link/);
    await check(page, 'card-link-refused');
    // A scanner types the link and presses Enter.
    await id(page, 'card-link').fill('LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS');
    await id(page, 'card-link').press('Enter');
    assert.match(await id(page, 'link-state').innerText(), /The link is paying/);
    assert.equal(await id(page, 'card-link').inputValue(), '');
    await page.close();
  });
});

describe('the receipt printer', () => {
  it('the owner sets it up and prints a test page; the light shows it ready', async () => {
    const page = await open();
    await id(page, 'amount').waitFor();
    assert.equal(await id(page, 'printer-light').count(), 0);
    await page.keyboard.press('F4');
    await id(page, 'pin-prompt').waitFor();
    await id(page, 'prompt-pin-input').fill('2468');
    await id(page, 'prompt-pin-ok').click();
    await id(page, 'manager').waitFor();
    await id(page, 'tab-printer').click();
    await id(page, 'printer-tab').waitFor();
    await id(page, 'printer-address').fill('lpt1');
    await id(page, 'printer-save').click();
    assert.match(await id(page, 'printer-error').innerText(), /not a printer address/);
    await id(page, 'printer-address').fill('tcp://192.168.1.50:9100');
    await id(page, 'paper-58').check();
    await id(page, 'shop-address').fill('Rue du Marché 4\n1003 Lausanne');
    await id(page, 'print-when-paid').check();
    await id(page, 'printer-save').click();
    assert.match(await id(page, 'printer-message').innerText(), /receipts print on tcp:\/\/192\.168\.1\.50:9100/);
    await id(page, 'printer-test').click();
    assert.match(await id(page, 'printer-message').innerText(), /test page was printed/);
    assert.equal(await page.evaluate(() => window.__mock.state.printer.settings.columns), 32);
    assert.equal(await page.evaluate(() => window.__mock.state.printer.settings.address), 'Rue du Marché 4\n1003 Lausanne');
    assert.match(await id(page, 'printer-light').innerText(), /Printer ready/);
    await check(page, 'printer-tab');
    await page.close();
  });

  it('a reprint waits while the printer is off, and the light prints it when it is back', async () => {
    const page = await open(
      '',
      `window.__mock.state.printer.settings.printer = 'tcp://192.168.1.50:9100';
       window.__mock.state.printer.on = false;`,
    );
    await charge(page, ['3']);
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('F2');
    await page.getByRole('button', { name: /T1/ }).first().click();
    await id(page, 'reprint').click();
    assert.match(await id(page, 'print-message').innerText(), /receipt T1 \(copy\) waits in the print queue/);
    assert.match(await id(page, 'printer-light').innerText(), /1 to print: retry/);
    await check(page, 'printer-waiting');
    await page.evaluate(() => (window.__mock.state.printer.on = true));
    await id(page, 'printer-light').click();
    await page.getByText('Printer ready').waitFor();
    assert.deepEqual(await page.evaluate(() => window.__mock.state.printer.printed), ['receipt T1 (copy)']);
    await page.close();
  });
});

describe('the shop light', () => {
  it('shows a joined till what waits to reach the shop, the server lost, and an alarm', async () => {
    const page = await open(
      '',
      `window.__mock.state.shop = { joined: true, server: '192.168.1.20:5432/shop', waiting: 3, last_sent_at: null, alarm: null, problem: null };`,
    );
    await id(page, 'amount').waitFor();
    const light = id(page, 'shop-light');
    assert.equal(await light.innerText(), 'Shop: 3 to send');
    assert.match(await light.getAttribute('title'), /3 journal entries wait to reach the shop's server \(192\.168\.1\.20:5432\/shop\)/);
    const emit = (link) => page.evaluate((l) => window.__mock.emit('shop-changed', l), link);
    await emit({ joined: true, server: '192.168.1.20:5432/shop', waiting: 0, last_sent_at: '2026-12-01T10:00:00.000Z', alarm: null, problem: null });
    await page.getByText('Shop ✓').waitFor();
    assert.equal(await light.evaluate((e) => e.classList.contains('down')), false);
    await emit({ joined: true, server: '192.168.1.20:5432/shop', waiting: 7, last_sent_at: null, alarm: null, problem: 'the shop\'s server cannot be reached: connection refused' });
    await page.getByText('Shop offline').waitFor();
    assert.equal(await light.evaluate((e) => e.classList.contains('down')), true);
    assert.match(await light.getAttribute('title'), /connection refused/);
    await check(page, 'shop-offline');
    await emit({ joined: true, server: '192.168.1.20:5432/shop', waiting: 0, last_sent_at: null, alarm: 'entry 5 of till-1 differs from the one the shop holds', problem: null });
    await page.getByText('Shop alarm').waitFor();
    assert.match(await light.getAttribute('title'), /entry 5 of till-1 differs/);
    // A tablet's width: the bar keeps one row with the light inside the window.
    await page.setViewportSize({ width: 1024, height: 768 });
    const box = await light.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 1024, JSON.stringify(box));
    const bar = await page.locator('header.bar').boundingBox();
    assert.ok(bar && bar.height < 90, `the top bar wrapped: ${JSON.stringify(bar)}`);
    await check(page, 'shop-alarm-1024');
    // Not joined: no light at all.
    await emit({ joined: false, server: '', waiting: 0, last_sent_at: null, alarm: null, problem: null });
    await light.waitFor({ state: 'detached' });
    await page.close();
  });
});
