// Selling from the catalog in the real app: the catalog imported with the `till` command into the
// shop's data folder, a cart of three items with an order discount, the tip chosen by the
// customer on their own display, paid in demo mode, its receipt, and the Z report's tax table.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchTill } from '../lib/app.mjs';
import { byTestId, click, enterPin, finishSetup, openCustomerWindow, waitFor, whichOf } from '../lib/till.mjs';

const CATALOG = `sku,name,category,price,tax_rate,tax_included,barcode
ESP,Espresso,Coffee,2.50,8.1,true,7612345000011
CAP,Cappuccino,Coffee,4.20,8.1,true,
CRO,Croissant,Bakery,2.80,2.6,true,
`;

/** The `till` command on the shop's data folder. */
function till(dataDir, args) {
  return execFileSync(process.env.TILL_CLI, args, {
    env: { ...process.env, TILL_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

describe('selling from the catalog', () => {
  let app;
  let dataDir;
  before(async () => {
    // The owner sets the shop up headless first: the catalog, tips on.
    dataDir = mkdtempSync(join(process.env.TILL_E2E_DATA, 'shop-'));
    const file = join(dataDir, 'catalog.csv');
    writeFileSync(file, CATALOG);
    assert.match(till(dataDir, ['catalog', 'import', file]), /3 new item/);
    till(dataDir, ['settings', 'set', 'tips', 'on']);
    app = await launchTill({ TILL_DATA_DIR: dataDir });
  });
  after(async () => {
    await app?.close();
  });

  it('a cart with a discount and the customer’s tip is paid, its receipt lists it, and the Z adds up the tax', async () => {
    const { browser } = app;
    if ((await whichOf(browser, ['setup', 'item-ESP'])) === 'setup') await finishSetup(browser, { currency: 'CHF' });
    await waitFor(browser, 'item-ESP');
    assert.ok(await byTestId(browser, 'demo-banner').isDisplayed(), 'a new shop opens in demo mode');
    const main = await browser.getWindowHandle();

    // Two espressos by touch, a cappuccino, and a croissant found by searching.
    await click(browser, 'item-ESP');
    await click(browser, 'item-ESP');
    await click(browser, 'item-CAP');
    await byTestId(browser, 'item-search').setValue('crois');
    await click(browser, 'item-CRO');
    await click(browser, 'order-discount');
    await byTestId(browser, 'discount-input').setValue('10%');
    await click(browser, 'discount-apply');
    // 12.00 less 10 %: 10.80.
    await browser.waitUntil(async () => (await byTestId(browser, 'cart-total').getText()).startsWith('10.80'), {
      timeout: 10_000,
      timeoutMsg: 'the cart did not come to 10.80 after the discount',
    });
    await app.screenshot('20-cart');

    // The customer chooses the tip on their display.
    const customer = await openCustomerWindow(browser);
    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-idle');
    await browser.switchToWindow(main);
    await click(browser, 'cart-charge');
    await waitFor(browser, 'tip-screen');
    await browser.switchToWindow(customer);
    await waitFor(browser, 'tip-screen');
    await app.screenshot('21-customer-tip');
    await click(browser, 'tip-15');

    // 15 % of 10.80 is 1.62: the QR is for 12.42.
    await browser.switchToWindow(main);
    await waitFor(browser, 'qr', 20_000);
    assert.match(await byTestId(browser, 'invoice-amount').getText(), /^12\.42 CHF$/);
    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');
    await click(browser, 'paid-bill');
    const bill = await byTestId(browser, 'paid-bill').getText();
    assert.match(bill, /2 × Espresso/);
    assert.match(bill, /Tip \(15%\)\s*1\.62/);
    assert.match(bill, /8\.1% incl\./);
    await browser.execute((el) => el.scrollIntoView({ block: 'center' }), await byTestId(browser, 'paid-bill'));
    await app.screenshot('22-receipt');

    // The Z report's tax table: the 8.1 % and 2.6 % rates, each net, tax and gross.
    await browser.keys(['Enter']);
    await click(browser, 'nav-manager');
    if ((await whichOf(browser, ['pin-prompt', 'manager'])) === 'pin-prompt') await enterPin(browser, 'prompt-pin');
    await click(browser, 'tab-day');
    await click(browser, 'close-day');
    await click(browser, 'close-day-confirm');
    await waitFor(browser, 'report-Z');
    const taxes = await (await waitFor(browser, 'report-taxes')).getText();
    assert.match(taxes, /2\.6% included/);
    assert.match(taxes, /8\.1% included/);
    assert.match(await byTestId(browser, 'report-tips').getText(), /1\.62 CHF/);
    await browser.execute((el) => el.scrollIntoView({ block: 'center' }), await byTestId(browser, 'report-taxes'));
    await app.screenshot('23-z-report-tax');

    // The same figures from the command line, and the ledger verifies.
    const lines = till(dataDir, ['--demo', 'export', '--z', '1', '--lines']);
    assert.equal(lines.trim().split('\n').length, 4, lines);
    assert.match(till(dataDir, ['verify']), /^the ledger verifies/);
  });
});
