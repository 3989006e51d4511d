// A long day in the real app (issue 18): TILL_SOAK_SALES (2,000) sales through the demo gateway,
// most paid, some cancelled, some left to time out and then paid late, some refunded; the
// history opened and searched, the manager's tabs visited, the customer display opened and
// closed. Memory (PSS summed over the app's process tree), threads and open files are read at
// idle on the keypad before the first sale and after the last, each TILL_BENCH_SETTLE_MS (20 s)
// after the screen went quiet. Run by `cargo xtask soak` (and `cargo xtask bench`) under Xvfb
// with TILL_APP and TILL_CLI (release builds), TAURI_DRIVER, SQLITE3 and TILL_BENCH_OUT.
//
// The sales are driven inside the web view, as a cashier's keys and taps would (key events on
// the window, clicks on the buttons), in batches of BATCH, so WebDriver's round trips do not
// set the pace; every wait in the page is bounded (20 s), and the whole run by DEADLINE_MS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchTill } from '../lib/app.mjs';
import { byTestId } from '../lib/till.mjs';
import { memoryOf, processes, tree } from './procs.mjs';

const SALES = Number(process.env.TILL_SOAK_SALES ?? 2_000);
const SETTLE_MS = Number(process.env.TILL_BENCH_SETTLE_MS ?? 20_000);
const BATCH = 50;
const DEADLINE_MS = 60 * 60_000;
/** The budget: memory after the soak at most this much above memory before it. */
const GROWTH_LIMIT = 0.1;

/** A data folder whose setup is done, with no PIN (the owner acts), in demo mode. */
function preparedDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'till-soak-'));
  const env = { ...process.env, TILL_DATA_DIR: dir };
  execFileSync(process.env.TILL_CLI, ['verify'], { env });
  execFileSync(process.env.SQLITE3, [join(dir, 'ledger.sqlite'), "INSERT INTO settings VALUES ('setup_done', 'soak')"]);
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The app (the process named after TILL_APP) and everything under it: its WebKit processes. */
function measured() {
  const all = processes();
  const name = process.env.TILL_APP.split('/').pop().slice(0, 15);
  const apps = [...all].filter(([, p]) => p.comm === name).map(([pid]) => pid);
  if (apps.length !== 1) throw new Error(`expected one ${name} process, found ${apps.length}`);
  const procs = memoryOf(tree(apps, all));
  const sum = (k) => procs.reduce((a, p) => a + p[k], 0);
  return {
    pss_mb: sum('pss_kb') / 1024,
    threads: sum('threads'),
    fds: sum('fds'),
    processes: procs.map((p) => ({ name: p.name, pss_mb: p.pss_kb / 1024, threads: p.threads, fds: p.fds })),
  };
}

/** Installs the in-page driver: `window.__soak.batch(from, count)` runs sales from..from+count. */
function install() {
  const q = (t) => document.querySelector(`[data-testid="${t}"]`);
  const key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  const until = async (what, test) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const found = test();
      if (found) return found;
      if (Date.now() > end) throw new Error(`waited 20 s for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const shown = (t) => until(t, () => q(t));
  const fill = (el, value) => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const counts = { paid: 0, cancelled: 0, timed_out: 0, paid_late: 0, refunded: 0, searched: 0, manager: 0 };

  async function keypad() {
    await until('the keypad', () => q('amount') && !q('paid-late-alert'));
  }
  async function ringUp(i) {
    await keypad();
    const amount = (1 + ((i * 37) % 9_900) / 100).toFixed(2);
    for (const ch of amount) key(ch);
    key('Enter');
    await until('the invoice', () => q('simulate') && q('cancel'));
  }
  async function openHistory() {
    key('F2');
    await until('the history', () => q('history-list')?.querySelector('button'));
  }
  async function closeHistory() {
    key('F2');
    await keypad();
  }
  /** The newest sale in the history, opened. */
  async function newest() {
    q('history-list').querySelector('button').click();
    await shown('timeline');
  }

  async function sale(i) {
    const kind = i % 100;
    await ringUp(i);
    if (kind === 50) {
      // Left to time out (TILL_DEMO_ORDER_SECONDS), then paid late from the history.
      await until('the timed-out screen', () => q('timed-out-screen'));
      counts.timed_out++;
      q('back-to-keypad').click();
      await openHistory();
      await newest();
      (await shown('simulate-late')).click();
      (await shown('acknowledge')).click();
      await until('the alert gone', () => !q('paid-late-alert'));
      counts.paid_late++;
      await closeHistory();
    } else if (kind === 51 || kind === 52) {
      key('Escape');
      (await shown('confirm-cancel')).click();
      counts.cancelled++;
    } else {
      q('simulate').click();
      await shown('paid-screen');
      counts.paid++;
      key('Enter');
    }
    if (kind === 99) {
      // A refund of the sale just paid, and a search of the history.
      await openHistory();
      await newest();
      (await shown('refund-start')).click();
      fill(await shown('refund-amount'), '0.50');
      fill(await shown('refund-reason'), 'soak');
      (await shown('refund-confirm')).click();
      await shown('refund-message');
      counts.refunded++;
      fill(q('history-search'), String(i % 10));
      await new Promise((r) => setTimeout(r, 50));
      counts.searched++;
      fill(q('history-search'), '');
      await closeHistory();
    }
    if (i % 250 === 249) {
      // Every manager tab, then back to the till.
      key('F4');
      await shown('manager');
      for (const tab of document.querySelectorAll('[data-testid="manager"] [data-testid^="tab-"]')) {
        tab.click();
        await new Promise((r) => setTimeout(r, 100));
      }
      key('Escape');
      await keypad();
      counts.manager++;
    }
  }

  window.__soak = {
    counts,
    async batch(from, count) {
      for (let i = from; i < from + count; i++) await sale(i);
      await keypad();
      return counts;
    },
  };
}

const till = await launchTill({ TILL_DATA_DIR: preparedDataDir(), TILL_DEMO_ORDER_SECONDS: '5' });
const { browser } = till;
const started = Date.now();
try {
  await byTestId(browser, 'amount').waitForDisplayed({ timeout: 30_000 });
  await browser.setTimeout({ script: 10 * 60_000 });
  await browser.execute(install);
  await sleep(SETTLE_MS);
  const before = measured();
  console.error(`before: ${before.pss_mb.toFixed(1)} MB PSS, ${before.threads} threads, ${before.fds} open files`);
  const main = await browser.getWindowHandle();
  let counts = {};
  let displays = 0;
  const samples = [];
  for (let from = 0; from < SALES; from += BATCH) {
    if (Date.now() - started > DEADLINE_MS) throw new Error(`the soak passed ${DEADLINE_MS / 60_000} minutes at sale ${from}`);
    const answer = await browser.executeAsync(
      (from, count, done) => window.__soak.batch(from, count).then((c) => done({ counts: c }), (e) => done({ error: String(e) })),
      from,
      Math.min(BATCH, SALES - from),
    );
    if (answer.error) throw new Error(`sale ${from} to ${from + BATCH}: ${answer.error}`);
    counts = answer.counts;
    if (from % 250 === 200) {
      // The customer display opened (F3), shown a moment, and closed as a shop would close it.
      await browser.keys(['F3']);
      await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, { timeout: 20_000, timeoutMsg: 'no customer display' });
      const display = (await browser.getWindowHandles()).find((h) => h !== main);
      await sleep(500);
      await browser.switchToWindow(display);
      await browser.closeWindow();
      await browser.switchToWindow(main);
      displays++;
    }
    const now = measured();
    samples.push({ sales: Math.min(from + BATCH, SALES), pss_mb: now.pss_mb, threads: now.threads, fds: now.fds });
    console.error(`${Math.min(from + BATCH, SALES)} sales, ${((Date.now() - started) / 1000).toFixed(0)} s: ${now.pss_mb.toFixed(1)} MB, ${now.threads} threads, ${now.fds} files`);
  }
  await sleep(SETTLE_MS);
  const after = measured();
  console.error(`after: ${after.pss_mb.toFixed(1)} MB PSS, ${after.threads} threads, ${after.fds} open files`);
  const growth = after.pss_mb / before.pss_mb - 1;
  const result = {
    sales: SALES,
    counts: { ...counts, customer_display_opened: displays },
    seconds: (Date.now() - started) / 1000,
    settle_ms: SETTLE_MS,
    before,
    after,
    growth_percent: growth * 100,
    threads_grew: after.threads - before.threads,
    fds_grew: after.fds - before.fds,
    within_budget: growth <= GROWTH_LIMIT && after.threads <= before.threads && after.fds <= before.fds,
    samples,
  };
  writeFileSync(process.env.TILL_BENCH_OUT, JSON.stringify(result, null, 2));
  console.error(
    JSON.stringify({ before_mb: before.pss_mb, after_mb: after.pss_mb, growth_percent: result.growth_percent, threads: [before.threads, after.threads], fds: [before.fds, after.fds], counts: result.counts }, null, 2),
  );
  if (!result.within_budget) process.exitCode = 1;
} finally {
  await till.close();
}
