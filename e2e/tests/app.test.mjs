// The first end-to-end test: the real app opens its window, shows the Svelte UI, and the
// `app_info` command makes the round trip from the web view to Rust and back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchTill } from '../lib/app.mjs';

describe('the Till window', () => {
  let till;

  before(async () => {
    till = await launchTill();
  });

  after(async () => {
    await till?.close();
  });

  it('shows the UI with what the app_info command returned', async () => {
    const { browser } = till;
    const card = await browser.$('[data-testid="app-info"]');
    await card.waitForDisplayed({ timeout: 15_000 });

    assert.equal(await browser.getTitle(), 'Till');
    // These values come from Rust: the crate version, the mode from the (empty) credentials,
    // and the data folder this test chose.
    assert.match(await browser.$('[data-testid="version"]').getText(), /^\d+\.\d+\.\d+$/);
    assert.equal(await browser.$('[data-testid="network"]').getText(), 'bitcoin');
    assert.equal(await browser.$('[data-testid="data-dir"]').getText(), till.dataDir);
    assert.match(await browser.$('[data-testid="mode"]').getText(), /^Demo/);
    assert.ok(await browser.$('[data-testid="demo-banner"]').isDisplayed());

    await till.screenshot('01-start-demo');
  });
});

describe('the Till window with a bad setting', () => {
  let till;

  before(async () => {
    till = await launchTill({ AURPAY_NETWORK: 'dogecoin' });
  });

  after(async () => {
    await till?.close();
  });

  it('opens anyway and names the setting to fix', async () => {
    const { browser } = till;
    const alert = await browser.$('[data-testid="startup-error"]');
    await alert.waitForDisplayed({ timeout: 15_000 });
    assert.match(await alert.getText(), /AURPAY_NETWORK/);
    await till.screenshot('02-start-bad-setting');
  });
});
