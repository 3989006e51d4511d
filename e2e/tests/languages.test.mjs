// The shop's language in the real app: the owner chooses Spanish at the first run and English
// for the customer display (a tourist at the counter); a sale is rung up with the decimal comma,
// the cashier's screens speak Spanish while the customer's speaks English, and the CLI reads the
// shop's language from the same ledger. On screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { launchTill } from '../lib/app.mjs';
import { PIN, byTestId, click, enterPin, openCustomerWindow, typeAmount, waitFor, whichOf } from '../lib/till.mjs';

describe('a shop in Spanish', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('sells in Spanish while the customer display speaks English', async () => {
    const { browser } = till;
    await waitFor(browser, 'setup');
    await byTestId(browser, 'setup-language').selectByAttribute('value', 'es');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'es', { timeout: 15_000 });
    assert.match(await byTestId(browser, 'setup').getText(), /Nombre del negocio|negocio/);
    await till.screenshot('40-setup-es');
    await byTestId(browser, 'setup-shop').setValue('Pupusería La Ceiba');
    await byTestId(browser, 'setup-pin').setValue(PIN);
    await byTestId(browser, 'setup-pin2').setValue(PIN);
    await click(browser, 'setup-demo');
    await waitFor(browser, 'amount');

    // The customer display in English, from the owner's settings.
    await browser.keys(['F4']);
    if ((await whichOf(browser, ['prompt-pin-input', 'manager'])) === 'prompt-pin-input') await enterPin(browser, 'prompt-pin');
    await click(browser, 'tab-settings');
    await byTestId(browser, 'settings-customer-language').selectByAttribute('value', 'en');
    await click(browser, 'settings-save');
    await browser.waitUntil(async () => /Guardado|guardad/i.test(await byTestId(browser, 'settings-message').getText()), { timeout: 10_000 });
    await click(browser, 'manager-close');

    await waitFor(browser, 'amount');
    await typeAmount(browser, '12.5');
    assert.equal(await byTestId(browser, 'key-.').getText(), ',', 'the keypad types a decimal comma');
    assert.match(await byTestId(browser, 'amount').getText(), /12,50/);
    assert.match(await byTestId(browser, 'charge').getText(), /Cobrar/);
    await click(browser, 'charge');
    await waitFor(browser, 'qr');
    assert.match(await byTestId(browser, 'invoice-amount').getText(), /12,50 USD/);
    await till.screenshot('41-invoice-es');

    const main = await browser.getWindowHandle();
    const customer = await openCustomerWindow(browser);
    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-paying');
    assert.equal(await browser.execute(() => document.documentElement.lang), 'en');
    assert.match(await byTestId(browser, 'customer-paying').getText(), /Scan with your Lightning wallet/);
    assert.match(await byTestId(browser, 'customer-paying').getText(), /12\.50 USD/);
    await till.screenshot('42-customer-en');

    await browser.switchToWindow(main);
    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');
    assert.match(await byTestId(browser, 'paid-screen').getText(), /PAGADO/);
    await till.screenshot('43-paid-es');
    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-paid');
    assert.match(await byTestId(browser, 'customer-paid').getText(), /Thank you/);
    await till.screenshot('44-customer-paid-en');
    await browser.switchToWindow(main);

    // The CLI on the same ledger: no language asked for by the terminal, so the shop's.
    const report = execFileSync(process.env.TILL_CLI, ['--demo', 'report'], {
      env: { ...process.env, TILL_DATA_DIR: till.dataDir, LC_ALL: 'C.UTF-8', LANG: '' },
      encoding: 'utf8',
    });
    assert.match(report, /REPORTE X/, report);
    assert.match(report, /12,50 USD/, report);
  });
});
