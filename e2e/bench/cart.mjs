// From a tap or a scan to the cart repainted, in the real window, with 5,000 items in the
// catalog. Run by `cargo xtask bench` under Xvfb with TILL_APP (a release build), TAURI_DRIVER,
// TILL_CLI and SQLITE3 set; writes JSON to TILL_BENCH_OUT.
//
// Each sample is timed inside the web view: from the click (or the scanner's Enter) to the first
// animation frame after the cart's total changed and a task after it (the paint has happened),
// i.e. the IPC round trip, Rust pricing and saving the cart, Svelte's update and the paint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchTill } from '../lib/app.mjs';
import { byTestId } from '../lib/till.mjs';

const ITEMS = 5_000;
const SAMPLES = Number(process.env.TILL_BENCH_SAMPLES ?? 200);

/** A data folder with its setup done, no PIN, and a catalog of ITEMS items in 40 categories. */
function preparedDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'till-bench-cart-'));
  const env = { ...process.env, TILL_DATA_DIR: dir };
  const rows = ['sku,name,category,price,tax_rate,tax_included,barcode'];
  for (let i = 0; i < ITEMS; i++) {
    const price = `${1 + (i % 40)}.${String((i * 7) % 100).padStart(2, '0')}`;
    rows.push(`SKU${i},Item number ${i},Category ${i % 40},${price},${i % 3 === 0 ? '8.1' : '2.6'},true,${4_000_000_000_000 + i}`);
  }
  const csv = join(dir, 'catalog.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  execFileSync(process.env.TILL_CLI, ['catalog', 'import', csv], { env });
  execFileSync(process.env.SQLITE3, [join(dir, 'ledger.sqlite'), "INSERT INTO settings VALUES ('setup_done', 'bench')"]);
  return dir;
}

/**
 * Milliseconds from `act` (run in the page) to the frame after the cart's total changed. The
 * clock starts once the screen has settled from the last sample: after a scan the catalog's list
 * is redrawn whole when the search box is emptied, which can come after the total that ended
 * that sample; a tap then could find no button, or time that redraw as its own.
 */
async function timed(browser, act, arg) {
  const ms = await browser.executeAsync(
    (act, arg, done) => {
      const target = () =>
        act === 'tap' ? document.querySelector(`[data-testid="item-${arg}"]`) : document.querySelector('[data-testid="item-search"]');
      const start = (el) => {
        const cart = document.querySelector('[data-testid="cart"]');
        const total = () => document.querySelector('[data-testid="cart-total"]')?.textContent ?? '';
        const before = total();
        let t0 = 0;
        const observer = new MutationObserver(() => {
          if (total() === before) return;
          observer.disconnect();
          // The frame after the change, then a task after it: the paint has happened.
          requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
        });
        observer.observe(cart, { subtree: true, childList: true, characterData: true });
        t0 = performance.now();
        if (act === 'tap') {
          el.click();
        } else {
          // A scanner types the code into the search box and presses Enter.
          el.value = arg;
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        }
      };
      const end = Date.now() + 10_000;
      const settled = () => target() && document.querySelector('[data-testid="item-search"]')?.value === '';
      const ready = () => {
        // Settled now and still after the next frame: the redraw, if any, has been painted.
        if (settled()) requestAnimationFrame(() => (settled() ? start(target()) : ready()));
        else if (Date.now() > end) done(null);
        else setTimeout(ready, 5);
      };
      ready();
    },
    act,
    arg,
  );
  if (ms === null) throw new Error(`no ${act === 'tap' ? `item ${arg}` : 'search box'} on screen after 10 s`);
  return ms;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const till = await launchTill({ TILL_DATA_DIR: preparedDataDir() });
const { browser } = till;
await byTestId(browser, 'item-SKU0').waitForDisplayed({ timeout: 30_000 });
const taps = [];
const scans = [];
for (let i = 0; i < SAMPLES; i++) {
  if (i % 20 === 0) {
    await byTestId(browser, 'cart-clear').click().catch(() => undefined);
    await browser.pause(50);
  }
  // The first buttons of the "All items" tab, and any item of the 5,000 by its barcode.
  taps.push(await timed(browser, 'tap', `SKU${[0, 1, 10, 100, 1000][i % 5]}`));
  scans.push(await timed(browser, 'scan', String(4_000_000_000_000 + ((i * 37) % ITEMS))));
}
await till.screenshot('bench-cart');
await till.close();

const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { samples: s.length, p50_ms: quantile(s, 0.5), p95_ms: quantile(s, 0.95), max_ms: s[s.length - 1] };
};
const result = JSON.stringify({ items: ITEMS, tap: summary(taps), scan: summary(scans) }, null, 2);
writeFileSync(process.env.TILL_BENCH_OUT, result);
console.error(result);
