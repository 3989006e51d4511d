// The owner's side of the real app: first run into demo mode, the PIN lock, closing a day with
// its CSV checked against the ledger, and connecting Aurpay (the simulator, as a separate
// process) with wrong then right credentials kept in a real gnome-keyring, then a withdrawal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchTill, startSim } from '../lib/app.mjs';
import { PIN, byTestId, click, enterPin, finishSetup, typeAmount, waitFor, whichOf } from '../lib/till.mjs';

/** Opens the manager screens from the keypad, through the PIN prompt unless the PIN was just
 * entered (the manager session lasts a few minutes). */
async function openManager(browser) {
  await click(browser, 'nav-manager');
  if ((await whichOf(browser, ['pin-prompt', 'manager'])) === 'pin-prompt') {
    await enterPin(browser, 'prompt-pin');
  }
  await waitFor(browser, 'manager');
}

/** Rings up `amount` and lets the demo customer pay it. */
async function demoSale(browser, amount) {
  await typeAmount(browser, amount);
  await click(browser, 'charge');
  await click(browser, 'simulate');
  await waitFor(browser, 'paid-screen');
  await browser.keys(['Enter']);
  await waitFor(browser, 'amount');
}

describe('first run, and the PIN lock', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('sets up the shop into demo mode, then locks and unlocks with the PIN only', async () => {
    const { browser } = till;
    assert.equal(await whichOf(browser, ['setup', 'amount']), 'setup', 'a new till starts with the setup');
    await till.screenshot('11-setup');
    await finishSetup(browser, { shop: 'Corner Café', currency: 'EUR' });
    await waitFor(browser, 'amount');
    assert.match(await byTestId(browser, 'amount').getText(), /EUR/);
    assert.ok(await byTestId(browser, 'demo-banner').isDisplayed());

    await click(browser, 'nav-lock');
    await waitFor(browser, 'lock-screen');
    assert.equal(await byTestId(browser, 'nav-history').isExisting(), false);
    await enterPin(browser, 'lock-pin', '1111');
    assert.match(await (await waitFor(browser, 'lock-error')).getText(), /wrong PIN/);
    await till.screenshot('12-locked');
    await enterPin(browser, 'lock-pin', PIN);
    await waitFor(browser, 'amount');
  });
});

describe('closing the day and its export', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('closes with a Z report and exports a CSV whose rows are the ledger', async () => {
    const { browser, dataDir } = till;
    await finishSetup(browser);
    await waitFor(browser, 'amount');
    await demoSale(browser, '12.5');
    await demoSale(browser, '3.2');

    const exports = mkdtempSync(join(process.env.TILL_E2E_DATA, 'exports-'));
    await openManager(browser);
    await click(browser, 'tab-settings');
    await click(browser, 'settings-section-till');
    await byTestId(browser, 'settings-export-dir').setValue(exports);
    await click(browser, 'settings-save');
    await waitFor(browser, 'settings-message');
    await till.screenshot('13-settings');

    await click(browser, 'tab-day');
    assert.match(await (await waitFor(browser, 'received')).getText(), /^15\.70 USD$/);
    await till.screenshot('14-x-report');
    await click(browser, 'close-day');
    await click(browser, 'close-day-confirm');
    await waitFor(browser, 'report-Z');
    const said = await (await waitFor(browser, 'day-message')).getText();
    const file = said.match(/Exported to (.*\.csv)\./)?.[1];
    assert.ok(file?.startsWith(exports), said);
    await till.screenshot('15-z-report');

    // The file holds the two sales, and is exactly what the `till` command exports from the
    // same ledger.
    const csv = readFileSync(file, 'utf8');
    const rows = csv.trim().split('\n');
    assert.equal(rows.length, 3, csv);
    assert.match(rows[1], /^T1,.*,paid,12\.50,USD,12500000,/);
    assert.match(rows[2], /^T2,.*,paid,3\.20,USD,3200000,/);
    const fromLedger = execFileSync(process.env.TILL_CLI, ['--demo', 'export', '--z', '1', '--format', 'csv'], {
      env: { ...process.env, TILL_DATA_DIR: dataDir },
    }).toString();
    assert.equal(csv, fromLedger);
    // The chain head the Z report shows is the ledger's, and `till verify --head` finds it.
    const head = (await (await waitFor(browser, 'chain-head')).getText()).replace('Chain head ', '').trim();
    assert.match(head, /^[0-9a-f]{64}$/);
    assert.ok(rows[1].includes(`,${head},`), 'each exported row carries the Z\'s chain head');
    const verified = execFileSync(process.env.TILL_CLI, ['verify', '--head', head], {
      env: { ...process.env, TILL_DATA_DIR: dataDir },
    }).toString();
    assert.match(verified, /the ledger verifies/);
    assert.match(verified, /nothing before it was rewritten/);

    await click(browser, 'close-day');
    await click(browser, 'close-day-confirm');
    assert.match(await (await waitFor(browser, 'day-error')).getText(), /nothing happened since TZ1/);
  });
});

describe('connecting Aurpay, and a withdrawal', () => {
  let till;
  let sim;
  let simUrl;
  before(async () => {
    ({ url: simUrl, process: sim } = await startSim('shop-key-0123456789'));
    till = await launchTill({ AURPAY_BASE_URL: simUrl, AURPAY_NETWORK: 'regtest' });
  });
  after(async () => {
    try {
      await till?.close();
    } finally {
      sim?.kill('SIGTERM');
      // The keychain is the suite's, shared by every app it starts: take the shop's credentials
      // out again (even when closing failed), so the tills started after this one open in demo
      // mode as a new shop's would.
      if (till) execFileSync(process.env.TILL_CLI, ['credentials', 'clear'], { env: { ...process.env, TILL_DATA_DIR: till.dataDir } });
    }
  });

  it('refuses a wrong key, keeps the right one in the keychain, takes a real sale and pays out', async () => {
    const { browser } = till;
    await finishSetup(browser, { connect: true });
    await waitFor(browser, 'credential-source');
    await click(browser, 'mode-api-key');
    await byTestId(browser, 'api-key').setValue('not-the-key');
    await click(browser, 'connect');
    assert.match(await (await waitFor(browser, 'connection-result')).getText(), /refused these credentials/);
    await till.screenshot('16-connect-refused');
    await byTestId(browser, 'api-key').setValue('shop-key-0123456789');
    await click(browser, 'connect');
    await browser.waitUntil(async () => /Connected/.test(await byTestId(browser, 'connection-result').getText()), {
      timeout: 15_000,
    });
    // The source and the banner follow with their own calls after "Connected".
    await browser.waitUntil(
      async () => /API key …6789 \(saved in the system keychain\)/.test(await byTestId(browser, 'credential-source').getText()),
      { timeout: 15_000, timeoutMsg: 'the credentials were not shown as kept in the keychain' },
    );
    await byTestId(browser, 'demo-banner').waitForExist({ reverse: true, timeout: 15_000, timeoutMsg: 'still in demo mode' });
    await till.screenshot('17-connected');

    // A real sale, paid by the "customer" through the simulator.
    await click(browser, 'manager-close');
    await typeAmount(browser, '10');
    await click(browser, 'charge');
    await waitFor(browser, 'qr');
    const orders = await (await fetch(`${simUrl}/_sim/orders`)).json();
    const order = orders[orders.length - 1];
    await fetch(`${simUrl}/_sim/orders/${order.order_id}/pay`, { method: 'POST' });
    await waitFor(browser, 'paid-screen', 30_000);
    await browser.keys(['Enter']);

    // Withdraw 2,500 sats to someone's invoice.
    const wallet = await (
      await fetch(`${simUrl}/_sim/invoice`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"msat":2500000}' })
    ).json();
    const before = (await (await fetch(`${simUrl}/_sim/balance`)).json()).msat;
    await openManager(browser);
    await click(browser, 'tab-gateway');
    await waitFor(browser, 'balance');
    await byTestId(browser, 'withdraw-invoice').setValue(wallet.payment_request);
    await click(browser, 'withdraw-check');
    assert.match(await (await waitFor(browser, 'withdraw-preview')).getText(), /2,500 sats/);
    await till.screenshot('18-withdraw');
    await click(browser, 'withdraw-pay');
    await enterPin(browser, 'prompt-pin');
    assert.match(await (await waitFor(browser, 'withdraw-result')).getText(), /Paid: 2,500 sats/);
    const afterMsat = (await (await fetch(`${simUrl}/_sim/balance`)).json()).msat;
    assert.equal(before - afterMsat, 2_500_000);

    // The same invoice again: refused, nothing paid.
    await byTestId(browser, 'withdraw-invoice').setValue(wallet.payment_request);
    await click(browser, 'withdraw-check');
    await click(browser, 'withdraw-pay');
    await enterPin(browser, 'prompt-pin');
    assert.match(await (await waitFor(browser, 'withdraw-error')).getText(), /never paid twice/);
    assert.equal((await (await fetch(`${simUrl}/_sim/balance`)).json()).msat, afterMsat);

    // Neither key reached the log or the data folder's files.
    for (const name of readdirSync(join(till.dataDir, 'logs'))) {
      const text = readFileSync(join(till.dataDir, 'logs', name), 'utf8');
      assert.doesNotMatch(text, /shop-key-0123456789|not-the-key/, `the log ${name} holds no key`);
    }
    assert.ok(!readFileSync(join(till.dataDir, 'ledger.sqlite')).includes('shop-key-0123456789'));
  });
});
