// Small helpers over a WebdriverIO browser for the cashier's screens.

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
