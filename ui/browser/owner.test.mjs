// The owner's screens of the built UI in Debian's Chromium, with the mocked IPC: first run, the
// lock, the PIN prompt, the day and its Z report, export, the Aurpay connection and a withdrawal,
// settings, and a refund; each checked with axe and photographed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, id, open } from './harness.mjs';

const firstRun = 'window.__mock.state.info.setup_needed = true; window.__mock.state.pin = null;';
const locked = 'window.__mock.state.locked = true;';

async function typePin(page, testid, pin) {
  await id(page, `${testid}-input`).fill(pin);
  await id(page, `${testid}-ok`).click();
}

/** Opens the manager screens through the PIN prompt. */
async function manager(page) {
  await id(page, 'amount').waitFor();
  await page.keyboard.press('F4');
  await id(page, 'pin-prompt').waitFor();
  await typePin(page, 'prompt-pin', '2468');
  await id(page, 'manager').waitFor();
}

describe('first run', () => {
  it('sets the shop and the PIN, refusing what does not fit, then opens in demo mode', async () => {
    const page = await open('', firstRun);
    await id(page, 'setup').waitFor();
    await id(page, 'setup-currency').locator('option[value="CHF"]').waitFor({ state: 'attached' });
    await check(page, 'setup');
    await id(page, 'setup-shop').fill('Corner Café');
    await id(page, 'setup-currency').selectOption('CHF');
    await id(page, 'setup-pin').fill('2468');
    await id(page, 'setup-pin2').fill('2469');
    await id(page, 'setup-demo').click();
    assert.match(await id(page, 'setup-error').innerText(), /two PINs differ/);
    await id(page, 'setup-pin').fill('12');
    await id(page, 'setup-pin2').fill('12');
    await id(page, 'setup-demo').click();
    await assert.doesNotReject(id(page, 'setup-error').getByText('a PIN is 4 to 12 digits').waitFor());
    await check(page, 'setup-refused');
    await id(page, 'setup-pin').fill('2468');
    await id(page, 'setup-pin2').fill('2468');
    await id(page, 'setup-demo').click();
    await id(page, 'amount').waitFor();
    assert.match(await id(page, 'amount').innerText(), /CHF/);
    await page.close();
  });

  it('"Connect Aurpay" leads to the connection screen', async () => {
    const page = await open('', firstRun);
    await id(page, 'setup-shop').fill('Corner Café');
    await id(page, 'setup-pin').fill('2468');
    await id(page, 'setup-pin2').fill('2468');
    await id(page, 'setup-connect').click();
    await id(page, 'credential-source').waitFor();
    assert.match(await id(page, 'credential-source').innerText(), /Demo mode/);
    await page.close();
  });
});

describe('the lock', () => {
  it('a locked till shows only the PIN pad; wrong PINs are refused, the right one opens it', async () => {
    const page = await open('', locked);
    await id(page, 'lock-screen').waitFor();
    assert.equal(await id(page, 'nav-history').count(), 0, 'no way round the lock');
    await check(page, 'lock');
    await typePin(page, 'lock-pin', '1111');
    assert.match(await id(page, 'lock-error').innerText(), /wrong PIN \(2 more tries/);
    await check(page, 'lock-wrong-pin');
    // By keyboard: digits and Enter.
    await id(page, 'lock-pin-input').focus();
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await id(page, 'amount').waitFor();
    // F9 locks again.
    await page.keyboard.press('F9');
    await id(page, 'lock-screen').waitFor();
    await page.close();
  });
});

describe('a till opened locked', () => {
  it('reads the gateway, the printer and the shop once it is unlocked (a renewed page starts so too)', async () => {
    const page = await open('', `${locked} window.__mock.state.printer.settings.printer = 'tcp://192.168.1.50:9100';`);
    await id(page, 'lock-screen').waitFor();
    await typePin(page, 'lock-pin', '2468');
    await id(page, 'amount').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="readiness"]')?.getAttribute('title') === 'Gateway ready');
    assert.equal(await page.locator('.problem[role="alert"]').count(), 0, 'no problem left from the locked start');
    assert.match(await id(page, 'printer-light').innerText(), /Printer ready/, 'the printer read again');
    await page.close();
  });
});

describe('the idle lock', () => {
  it('locks after the idle minutes of the settings, and not while the cashier works', async () => {
    const page = await open('', 'window.__mock.state.settings.idle_lock_minutes = 2;');
    await page.clock.install();
    await page.reload();
    await id(page, 'amount').waitFor();
    await page.clock.fastForward('01:30');
    await page.keyboard.press('5'); // the cashier is working: the idle time starts again
    await page.clock.fastForward('01:30');
    assert.equal(await id(page, 'lock-screen').count(), 0, 'not idle for 2 minutes yet');
    await page.clock.fastForward('00:40');
    await id(page, 'lock-screen').waitFor();
    assert.equal(await page.evaluate(() => window.__mock.state.locked), true, 'locked in Rust too');
    await page.close();
  });
});

describe('manager screens', () => {
  it('the PIN prompt guards them; the day shows the X report, closes with a Z report, and refuses twice', async () => {
    const page = await open();
    await id(page, 'amount').waitFor();
    await page.keyboard.press('F4');
    await id(page, 'pin-prompt').waitFor();
    await check(page, 'pin-prompt');
    await page.keyboard.press('Escape');
    await id(page, 'pin-prompt').waitFor({ state: 'detached' });
    assert.equal(await id(page, 'manager').count(), 0, 'cancelled: still the till');

    // A paid sale, then the day.
    await page.keyboard.type('12.5');
    await page.keyboard.press('Enter');
    await id(page, 'simulate').click();
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('Enter');
    await manager(page);
    await id(page, 'report-X').waitFor();
    assert.match(await id(page, 'received').innerText(), /12\.50 USD/);
    await check(page, 'manager-day');
    await id(page, 'close-day').click();
    await id(page, 'close-day-confirm').click();
    await id(page, 'report-Z').waitFor();
    assert.match(await id(page, 'day-message').innerText(), /Exported to .*\.csv/);
    await check(page, 'manager-z-report');
    await id(page, 'close-day').click();
    await id(page, 'close-day-confirm').click();
    assert.match(await id(page, 'day-error').innerText(), /nothing happened since TZ1/);
    await page.keyboard.press('Escape');
    await id(page, 'amount').waitFor();
    await page.close();
  });

  it('export goes through the save dialog', async () => {
    const page = await open();
    await manager(page);
    await id(page, 'tab-export').click();
    await id(page, 'export-run').click();
    await assert.doesNotReject(page.getByText('Saved to /home/shop/Documents/till-till-1.csv').waitFor());
    await check(page, 'manager-export');
    await page.close();
  });

  it('credentials are tested before they are saved; a withdrawal shows its amount and takes the PIN', async () => {
    const page = await open();
    await manager(page);
    await id(page, 'tab-gateway').click();
    await id(page, 'api-token').fill('token1');
    await id(page, 'api-secret').fill('wrong');
    await id(page, 'connect').click();
    assert.match(await id(page, 'connection-result').innerText(), /refused these credentials/);
    assert.equal(await id(page, 'api-secret').inputValue(), '', 'the secret leaves the page');
    await check(page, 'manager-gateway-refused');
    await id(page, 'api-secret').fill('right');
    await id(page, 'connect').click();
    await assert.doesNotReject(id(page, 'connection-result').getByText(/Connected/).waitFor());
    assert.match(await id(page, 'credential-source').innerText(), /API token …ken1/);

    await id(page, 'withdraw-invoice').fill('not an invoice');
    await id(page, 'withdraw-check').click();
    assert.match(await id(page, 'withdraw-error').innerText(), /not a valid Lightning invoice/);
    await id(page, 'withdraw-invoice').fill('lnbcrt250u1pexample');
    await id(page, 'withdraw-check').click();
    assert.match(await id(page, 'withdraw-preview').innerText(), /25,000 sats/);
    await check(page, 'manager-gateway');
    await id(page, 'withdraw-pay').click();
    await id(page, 'pin-prompt').waitFor();
    assert.match(await id(page, 'pin-prompt').innerText(), /Pay 25,000 sats/);
    await typePin(page, 'prompt-pin', '0000');
    assert.match(await id(page, 'pin-error').innerText(), /wrong PIN/);
    await typePin(page, 'prompt-pin', '2468');
    assert.match(await id(page, 'withdraw-result').innerText(), /Paid: 25,000 sats/);
    await page.getByText(/25,000 sats · .* · by Owner/).waitFor();
    await page.close();
  });

  it('settings are saved, and refused with the reason', async () => {
    const page = await open();
    await manager(page);
    await id(page, 'tab-settings').click();
    await id(page, 'settings-section-till').click();
    await id(page, 'settings-idle').fill('999');
    await id(page, 'settings-save').click();
    assert.match(await id(page, 'settings-error').innerText(), /0 \(never\) to 240 minutes/);
    await id(page, 'settings-idle').fill('2');
    await id(page, 'settings-save').click();
    assert.equal(await id(page, 'settings-message').innerText(), 'Saved.');
    assert.equal(await page.evaluate(() => window.__mock.state.settings.idle_lock_minutes), 2);
    await check(page, 'manager-settings');
    await page.close();
  });
});

describe('refunds', () => {
  it('a paid sale is refunded from the history with a reason and the PIN', async () => {
    const page = await open();
    await id(page, 'amount').waitFor();
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await id(page, 'simulate').click();
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('F2');
    await id(page, 'history-list').getByRole('button').first().click();
    await id(page, 'refund-start').click();
    await id(page, 'refund-amount').fill('3.00');
    await id(page, 'refund-reason').fill('cold coffee');
    await check(page, 'refund-form');
    await id(page, 'refund-confirm').click();
    await typePin(page, 'prompt-pin', '2468');
    assert.match(await id(page, 'refund-message').innerText(), /Refund TR1 recorded/);
    assert.match(await id(page, 'refunds').innerText(), /TR1: 3\.00 USD · cold coffee · given back by hand/);
    await page.close();
  });
});
