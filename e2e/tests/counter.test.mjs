// At the counter in the real app, live against the simulator: the owner sets up a receipt
// printer (a listener on 127.0.0.1) with silent printing and prints a test page; a sale is paid
// by a Bolt Card tapped on the virtual reader (pcscd with vsmartcard's vpcd, the card served by
// `virtual-boltcard`), and its receipt prints by itself. On screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { launchTill, startSim } from '../lib/app.mjs';
import { byTestId, click, enterPin, finishSetup, typeAmount, waitFor, whichOf } from '../lib/till.mjs';

/** A receipt printer on 127.0.0.1: every connection's bytes, once it closes. */
async function printer() {
  const jobs = [];
  const status = Buffer.from([0x10, 0x04, 4]);
  const server = createServer((socket) => {
    const parts = [];
    socket.on('data', (d) => {
      parts.push(d);
      // DLE EOT 4 asks for the paper: answer "paper present" (0x12) as a printer does.
      if (Buffer.concat(parts).equals(status)) socket.write(Buffer.from([0x12]));
    });
    socket.on('end', () => {
      const bytes = Buffer.concat(parts);
      // The readiness light's status request (DLE EOT 4) is not a print.
      if (!bytes.equals(status)) jobs.push(bytes);
    });
    socket.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { jobs, address: `tcp://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Waits (at most `ms`) for a print job holding `text`. */
async function printed(jobs, text, ms = 45_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const job = jobs.find((b) => b.includes(text));
    if (job) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing holding ${text} was printed within ${ms} ms (${jobs.length} jobs)`);
}

describe('at the counter', () => {
  let app;
  let sim;
  let simUrl;
  let paper;
  before(async () => {
    // pcscd with the virtual reader, before the app arms it.
    execFileSync(process.env.TILL_CARD, ['--service'], { stdio: 'inherit' });
    ({ url: simUrl, process: sim } = await startSim('counter-key-0123456789'));
    paper = await printer();
    app = await launchTill({ AURPAY_BASE_URL: simUrl, AURPAY_NETWORK: 'regtest', AURPAY_API_KEY: 'counter-key-0123456789' });
  });
  after(async () => {
    await app?.close();
    sim?.kill('SIGTERM');
    paper?.close();
  });

  it('a tapped Bolt Card pays the sale and its receipt prints by itself', async () => {
    const { browser } = app;
    await finishSetup(browser);
    await waitFor(browser, 'amount');

    // The owner's printer tab: the address, 58 mm paper, silent printing, a test page.
    await browser.keys(['F4']);
    if ((await whichOf(browser, ['prompt-pin-input', 'manager'])) === 'prompt-pin-input') await enterPin(browser, 'prompt-pin');
    await click(browser, 'tab-printer');
    // The saved settings land in the form first; what is typed after stays.
    await browser.$('[data-testid="printer-form"][data-loaded]').waitForExist({ timeout: 20_000 });
    await byTestId(browser, 'printer-address').setValue(paper.address);
    await click(browser, 'paper-58');
    await click(browser, 'print-when-paid');
    await click(browser, 'printer-save');
    await browser.waitUntil(async () => /receipts print on/.test(await byTestId(browser, 'printer-message').getText()), { timeout: 10_000 });
    await click(browser, 'printer-test');
    await printed(paper.jobs, 'Printer test page');
    await browser.waitUntil(async () => /test page was printed/.test(await byTestId(browser, 'printer-message').getText()), { timeout: 10_000 });
    await app.screenshot('30-printer-tab');
    await click(browser, 'manager-close');

    // A card that pays at most 100.00 USD a tap.
    const card = await (
      await fetch(`${simUrl}/_sim/cards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"max_msat":100000000}' })
    ).json();
    await typeAmount(browser, '5');
    await click(browser, 'charge');
    await waitFor(browser, 'qr');
    await click(browser, 'tap-card');
    await browser.waitUntil(async () => /Hold the card on the reader/.test(await byTestId(browser, 'tap-state').getText()), { timeout: 10_000 });
    await app.screenshot('31-card-armed');

    execFileSync(process.env.TILL_CARD, [`${card.link}?c=1`], { stdio: 'inherit', timeout: 30_000 });
    await waitFor(browser, 'paid-screen', 30_000);
    await app.screenshot('32-card-paid');
    const receipt = await printed(paper.jobs, 'TOTAL');
    assert.ok(receipt.includes('5.00'), 'the receipt shows the total');
    assert.ok(receipt.includes('till:'), 'with its QR reference');
    assert.ok(!receipt.includes('COPY'), 'the first print is the original');
    const seen = await (await fetch(`${simUrl}/_sim/cards/${card.id}`)).json();
    assert.equal(seen.paid.length, 1);
    assert.equal(seen.last_counter, 1);
  });
});
