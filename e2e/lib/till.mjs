// Small helpers over a WebdriverIO browser for the cashier's screens.
import assert from 'node:assert/strict';

export function byTestId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

export async function waitFor(browser, id, timeout = 15_000) {
  const el = byTestId(browser, id);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${id} did not appear within ${timeout} ms` });
  return el;
}

export async function click(browser, id, timeout = 15_000) {
  const el = await waitFor(browser, id, timeout);
  await el.click();
  return el;
}

/** Types an amount on the on-screen keypad. */
export async function typeAmount(browser, amount) {
  for (const ch of amount) {
    await click(browser, `key-${ch}`);
  }
}

/** The manager PIN every suite's till is set up with. */
export const PIN = '2468';

/** Waits until one of `ids` is on screen; returns which. */
export async function whichOf(browser, ids, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const id of ids) {
      if (await byTestId(browser, id).isDisplayed().catch(() => false)) return id;
    }
    await browser.pause(100);
  }
  throw new Error(`none of ${ids.join(', ')} appeared within ${timeout} ms`);
}

/** Types a PIN on a PIN pad (`lock-pin` or `prompt-pin`) by touch. */
export async function enterPin(browser, pad, pin = PIN) {
  await waitFor(browser, `${pad}-input`);
  for (const digit of pin) await click(browser, `${pad}-key-${digit}`);
  await click(browser, `${pad}-ok`);
}

/** The first-run setup, filled in as an owner would, into demo mode. */
export async function finishSetup(browser, { shop = 'Corner Café', currency = 'USD', connect = false } = {}) {
  await waitFor(browser, 'setup');
  await byTestId(browser, 'setup-shop').setValue(shop);
  await byTestId(browser, 'setup-currency').selectByAttribute('value', currency);
  await byTestId(browser, 'setup-pin').setValue(PIN);
  await byTestId(browser, 'setup-pin2').setValue(PIN);
  await click(browser, connect ? 'setup-connect' : 'setup-demo');
}

/** Brings a freshly started till to the keypad: the setup on a first run, the PIN when locked. */
export async function toKeypad(browser) {
  const seen = await whichOf(browser, ['setup', 'lock-screen', 'amount', 'startup-error']);
  if (seen === 'setup') await finishSetup(browser);
  if (seen === 'lock-screen') await enterPin(browser, 'lock-pin');
  if (seen !== 'startup-error') await waitFor(browser, 'amount');
  return seen;
}

/** Opens the customer display from the top bar; returns its window handle. It is ready once it
 * listens for the till's updates and has caught up (`data-ready`): an update sent before that
 * could otherwise pass it by. The main window stays the current one. */
export async function openCustomerWindow(browser) {
  const main = await browser.getWindowHandle();
  await click(browser, 'nav-customer');
  let handles = [];
  await browser.waitUntil(
    async () => {
      handles = await browser.getWindowHandles();
      return handles.length >= 2;
    },
    { timeout: 20_000, interval: 100, timeoutMsg: 'the customer display did not open within 20 s' },
  );
  assert.equal(handles.length, 2, 'one second window opened');
  const customer = handles.find((h) => h !== main);
  await browser.switchToWindow(customer);
  await browser.$('[data-testid="customer-display"][data-ready]').waitForExist({ timeout: 20_000 });
  await browser.switchToWindow(main);
  return customer;
}
