// What the browser suites share: the built UI served on 127.0.0.1, Debian's Chromium, the mocked
// IPC (mock-tauri.ts, its types stripped here), an axe check and a screenshot per screen into target/ui-screenshots.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import ts from 'typescript';
import { AxeBuilder } from '@axe-core/playwright';
import { serveDist } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
export const shots = join(here, '..', '..', 'target', 'ui-screenshots');
// The mock is type-checked with the UI (`npm run check`); here it only loses its types. Its
// imports are all types, so what is left is a plain script for the page.
const mock = ts
  .transpileModule(readFileSync(join(here, 'mock-tauri.ts'), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
  })
  .outputText.replace(/^export \{\};\s*$/m, '');
mkdirSync(shots, { recursive: true });

let browser;
let server;

before(async () => {
  server = await serveDist(dist);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

export async function open(hash = '', setup = '') {
  // axe needs a page of an explicit context.
  const context = await browser.newContext({ viewport: { width: 1180, height: 780 } });
  const page = await context.newPage();
  await page.addInitScript({ content: mock });
  if (setup) await page.addInitScript(setup);
  await page.goto(server.url + hash);
  return page;
}

export const id = (page, testId) => page.getByTestId(testId);

/** No serious or critical axe violation on the page as it is now; then a screenshot. */
export async function check(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `${name}: accessibility violations`);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** A sale of 9.99 USD rung up at the till, waiting for payment: what the customer display sees
 * arrive while it is open on its own. */
export async function rungUpElsewhere(page) {
  await page.evaluate(() => {
    window.__mock.state.sales.push({
      receipt_no: 1, label: 'T1', attention: null, status: 'creating', amount: '9.99', currency: 'USD', amount_msat: 9_990_000, sats: 9_990, rate: '100000',
      memo: '', order_id: '1', payment_request: 'lnbcrt1', payment_hash: null, pay_url: null,
      created_at: new Date().toISOString(), updated_at: new Date().toISOString(), order_expires_at: new Date(Date.now() + 600_000).toISOString(),
      paid_at: null, error: null, underpaid: false, partial: false, training: true, replaces: null,
    });
    window.__mock.update(1, 'awaiting_payment');
  });
}

/** Types a PIN into the pad named `testid` and presses its OK. */
export async function typePin(page, testid, pin) {
  await id(page, `${testid}-input`).fill(pin);
  await id(page, `${testid}-ok`).click();
}

/** The test ids of the manager's tabs, once the manager screen is open. */
export async function managerTabs(page) {
  await id(page, 'manager').waitFor();
  const tabs = await page.locator('[data-testid="manager"] [data-testid^="tab-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.ok(tabs.length >= 6, `the manager's tabs: ${tabs}`);
  return tabs;
}

/** A screen a till rests on holds no SVG: the first SVG element brings WebKit's SVG engine into
 * the web process (lib/icons.svelte.ts). */
export async function holdsNoSvg(page, name) {
  assert.equal(await page.locator('svg').count(), 0, `${name}: an SVG element on a screen at rest`);
}

/** A screen a till rests on holds no SVG ([`holdsNoSvg`]), and its icons are drawn: each one
 * shown is a box of at least `minPx` pixels cut to a path. */
export async function restsWithoutSvg(page, name, minPx = 20) {
  await holdsNoSvg(page, name);
  const icons = await page.locator('span.icon').evaluateAll((els) =>
    els
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => ({ clip: getComputedStyle(e).clipPath, width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height })),
  );
  assert.ok(icons.length > 0, `${name}: no icon shown`);
  for (const icon of icons) {
    assert.match(icon.clip, /^path\("M ?[\d.]/, `${name}: an icon without its path`);
    assert.ok(icon.width >= minPx && icon.height >= minPx, `${name}: an icon of ${icon.width}x${icon.height} px`);
  }
}
