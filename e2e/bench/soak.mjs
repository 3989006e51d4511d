// A long day in the real app (issue 18): TILL_SOAK_SALES (2,000) sales through the demo gateway,
// most paid, some cancelled, some left to time out and then paid late, some refunded; the
// history opened and searched, the manager's tabs visited, the customer display opened and
// closed (with TILL_SOAK_DISPLAY=open, opened before the first reading and left open). Memory (PSS summed over the app's process tree), threads and open files are read at
// idle on the keypad before the first sale and after the last, each once settled: TILL_BENCH_SETTLE_MS
// (20 s) after the screen went quiet, then every 5 s until two readings in a row are within 1 MB
// (at most a minute more); threads and files then ten times more, 2 s apart, and the least of
// each is compared (pool threads come and go at idle). After the last sale, once 20 s later and once more when settled after
// the till, left at rest, has loaded its page afresh (ui/src/lib/renewal.ts: after 200 sales and
// a minute of quiet), which is the figure the budget is held to; each process's threads are
// counted by name, so a thread that grows says whose it is. Run by `cargo xtask soak` (and `cargo xtask bench`) under Xvfb
// with TILL_APP and TILL_CLI (release builds), TAURI_DRIVER, SQLITE3 and TILL_BENCH_OUT.
//
// The sales are driven inside the web view, as a cashier's taps would (clicks on the keypad's
// keys and the screens' buttons), in batches of BATCH, so WebDriver's round trips do not set
// the pace; every wait in the page is bounded (20 s), and the whole run by DEADLINE_MS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchTill, pageLoads } from '../lib/app.mjs';
import { byTestId, openCustomerWindow } from '../lib/till.mjs';
import { appTree as appTreeNamed, mappedPss, memoryOf, openFiles, threadNames, webProcessesIn } from './procs.mjs';

const SALES = Number(process.env.TILL_SOAK_SALES ?? 2_000);
const SETTLE_MS = Number(process.env.TILL_BENCH_SETTLE_MS ?? 20_000);
/** `day`: the whole mix below; `paid`: paid sales only (which part of a day grows memory). */
const MIX = process.env.TILL_SOAK_MIX ?? 'day';
/** `open`: the customer display opened before the first reading and left open all day, as a shop
 * with a screen facing the customer runs; else (the default) opened once and closed. */
const DISPLAY_OPEN = process.env.TILL_SOAK_DISPLAY === 'open';
const BATCH = 50;
const DEADLINE_MS = 60 * 60_000;
/** The budget: memory after the soak at most this much above memory before it. */
const GROWTH_LIMIT = 0.1;
/** The page renews itself after this many sales (`renewal.afterSales` in ui/src/lib/renewal.ts)
 * and a minute of quiet; the soak waits at most RENEWAL_WAIT_MS for it. */
const RENEWAL_AFTER_SALES = 200;
const RENEWAL_WAIT_MS = 120_000;

/** The owner's PIN: refunds and the manager's screens ask for it, as in a shop. */
const PIN = '2468';

/** A data folder whose setup is done, with the owner's PIN, in demo mode, never idle-locked (the
 * soak's taps are clicks, which the idle timer does not count as a cashier's touch). */
function preparedDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'till-soak-'));
  const env = { ...process.env, TILL_DATA_DIR: dir };
  execFileSync(process.env.TILL_CLI, ['pin', 'set'], { env, input: `${PIN}\n` });
  execFileSync(process.env.SQLITE3, [join(dir, 'ledger.sqlite'), "INSERT INTO settings VALUES ('setup_done', 'soak'), ('idle_lock_minutes', '0')"]);
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Two readings this close (MB) say memory has settled; they are SETTLE_STEP_MS apart, at most
 * SETTLE_READINGS of them. */
const SETTLED_WITHIN_MB = 1;
const SETTLE_STEP_MS = 5_000;
const SETTLE_READINGS = 12;

/** Memory once the till has settled: SETTLE_MS of quiet, then readings SETTLE_STEP_MS apart
 * until two in a row are within SETTLED_WITHIN_MB (WebKit lets an old page go, and collects, in
 * its own time); the last reading, with how many it took. The same rule before and after. */
async function settled() {
  await sleep(SETTLE_MS);
  let last = measured();
  for (let i = 1; i < SETTLE_READINGS; i++) {
    await sleep(SETTLE_STEP_MS);
    const now = measured();
    const step = Math.abs(now.pss_mb - last.pss_mb);
    last = { ...now, readings: i + 1 };
    if (step <= SETTLED_WITHIN_MB) return { ...last, ...(await resting()) };
  }
  return { ...last, readings: SETTLE_READINGS, unsettled: true, ...(await resting()) };
}

/** Threads and open files read at rest RESTING_READINGS times, RESTING_STEP_MS apart. */
const RESTING_READINGS = 10;
const RESTING_STEP_MS = 2_000;

/** The least and the most threads and open files over a few readings at rest. Pool threads
 * (tokio's workers, WebKit's JIT workers and heap helpers) come and go at idle: a fresh app left
 * alone reads 29 to 33 threads once settled (`cargo xtask idle`, BENCHMARKS.md), so one reading says
 * little. The least is what the app holds for good, and a thread that leaks raises it: the
 * budget compares the least before and after. */
async function resting() {
  const threads = [];
  const fds = [];
  for (let i = 0; i < RESTING_READINGS; i++) {
    if (i > 0) await sleep(RESTING_STEP_MS);
    const procs = memoryOf(appTree(true));
    threads.push(procs.reduce((a, p) => a + p.threads, 0));
    fds.push(procs.reduce((a, p) => a + p.fds, 0));
  }
  return { threads_least: Math.min(...threads), threads_most: Math.max(...threads), fds_least: Math.min(...fds), fds_most: Math.max(...fds) };
}

/** The app (the process named after TILL_APP) and everything under it: its WebKit processes. */
function measured() {
  const procs = memoryOf(appTree(true));
  const sum = (k) => procs.reduce((a, p) => a + p[k], 0);
  return {
    pss_mb: sum('pss_kb') / 1024,
    threads: sum('threads'),
    fds: sum('fds'),
    processes: procs.map((p) => ({
      name: p.name,
      pss_mb: p.pss_kb / 1024,
      anon_mb: p.anon_kb / 1024,
      threads: p.threads,
      fds: p.fds,
      files: openFiles(p.pid),
      thread_names: threadNames(p.pid),
      mapped_pss_kb: mappedPss(p.pid),
    })),
  };
}

/** The app's WebKit web processes now. */
function webProcesses() {
  return webProcessesIn(appTree(false));
}

/** The app (the process named after TILL_APP) and every process under it; `one` requires
 * exactly one app running. */
function appTree(one) {
  const name = process.env.TILL_APP.split('/').pop().slice(0, 15);
  const procs = appTreeNamed(name);
  const apps = procs.filter((p) => p.name === name).length;
  if (one && apps !== 1) throw new Error(`expected one ${name} process, found ${apps}`);
  return procs;
}

/** Installs the in-page driver: `window.__soak.batch(from, count)` runs sales from..from+count. */
function install(pin, mix) {
  const q = (t) => document.querySelector(`[data-testid="${t}"]`);
  const trail = [];
  const tap = (t) => {
    trail.push(t);
    const el = q(t);
    if (!el) throw new Error(`no ${t} to tap`);
    el.click();
  };
  const until = async (what, test) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const found = test();
      if (found) return found;
      if (Date.now() > end) {
        const screen = [...document.querySelectorAll('main [data-testid]')].map((e) => e.dataset.testid).slice(0, 12);
        throw new Error(`waited 20 s for ${what} (on screen: ${screen.join(' ')}; last steps: ${trail.slice(-8).join(', ')})`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const shown = (t) => until(t, () => q(t));
  /** The PIN pad named `name`, answered with the owner's PIN. */
  async function answer(name) {
    const box = await shown(`${name}-input`);
    box.value = pin;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    tap(`${name}-ok`);
    await until(`the ${name} pad gone`, () => !q(`${name}-input`));
  }
  const fill = (el, value) => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const counts = { paid: 0, cancelled: 0, timed_out: 0, paid_late: 0, refunded: 0, searched: 0, manager: 0 };

  async function keypad() {
    // The keypad, ready: Charge is enabled once the last answer is in.
    await until('the keypad', () => q('amount') && q('charge') && !q('charge').disabled && !q('paid-late-alert'));
  }
  async function ringUp(i) {
    await keypad();
    const amount = (1 + ((i * 37) % 9_900) / 100).toFixed(2);
    for (const ch of amount) tap(`key-${ch}`);
    tap('charge');
    await until('the invoice', () => q('simulate') && q('cancel'));
  }
  async function openHistory() {
    tap('nav-history');
    await until('the history', () => q('history-list')?.querySelector('button'));
  }
  async function closeHistory() {
    tap('nav-history');
    await keypad();
  }
  /** The newest sale in the history, opened. */
  async function newest() {
    q('history-list').querySelector('button').click();
    await shown('timeline');
  }

  async function sale(i) {
    const kind = mix === 'day' ? i % 100 : 0;
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
      tap('cancel');
      (await shown('confirm-cancel')).click();
      counts.cancelled++;
    } else {
      q('simulate').click();
      await shown('paid-screen');
      counts.paid++;
      tap('next-sale');
    }
    if (kind === 99) {
      // A refund of the sale just paid, and a search of the history.
      await openHistory();
      await newest();
      (await shown('refund-start')).click();
      fill(await shown('refund-amount'), '0.50');
      fill(await shown('refund-reason'), 'soak');
      (await shown('refund-confirm')).click();
      await answer('prompt-pin');
      await shown('refund-message');
      counts.refunded++;
      fill(q('history-search'), String(i % 10));
      await new Promise((r) => setTimeout(r, 50));
      counts.searched++;
      fill(q('history-search'), '');
      await closeHistory();
    }
    if (i % 250 === 249 && mix === 'day') {
      // Every manager tab, then back to the till.
      tap('nav-manager');
      // The PIN once; the manager's screens stay open for five minutes after it.
      await until('the manager or its PIN', () => q('manager') || q('prompt-pin-input'));
      if (!q('manager')) await answer('prompt-pin');
      await shown('manager');
      for (const tab of document.querySelectorAll('[data-testid="manager"] [data-testid^="tab-"]')) {
        tab.click();
        await new Promise((r) => setTimeout(r, 100));
      }
      tap('manager-close');
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

const dataDir = preparedDataDir();
const till = await launchTill({ TILL_DATA_DIR: dataDir, TILL_DEMO_ORDER_SECONDS: '5' });
const { browser } = till;
const started = Date.now();
let webDriverGone = false;
try {
  // The till opens locked: the owner signs in.
  await byTestId(browser, 'lock-pin-input').waitForDisplayed({ timeout: 30_000 });
  await byTestId(browser, 'lock-pin-input').setValue(PIN);
  await byTestId(browser, 'lock-pin-ok').click();
  await byTestId(browser, 'amount').waitForDisplayed({ timeout: 30_000 });
  await browser.setTimeout({ script: 10 * 60_000 });
  await browser.execute(install, PIN, MIX);
  if (DISPLAY_OPEN) await openCustomerWindow(browser);
  const before = await settled();
  console.error(`before: ${before.pss_mb.toFixed(1)} MB PSS, ${before.threads_least} to ${before.threads_most} threads, ${before.fds_least} to ${before.fds_most} open files`);
  let counts = {};
  let displays = DISPLAY_OPEN ? 1 : 0;
  const samples = [];
  for (let from = 0; from < SALES; from += BATCH) {
    if (Date.now() - started > DEADLINE_MS) throw new Error(`the soak passed ${DEADLINE_MS / 60_000} minutes at sale ${from}`);
    let answer;
    try {
      answer = await browser.executeAsync(
        (from, count, done) => window.__soak.batch(from, count).then((c) => done({ counts: c }), (e) => done({ error: String(e) })),
        from,
        Math.min(BATCH, SALES - from),
      );
    } catch (e) {
      answer = { error: e.message };
    }
    if (answer.error) {
      await till.screenshot('soak-failure');
      throw new Error(`sales ${from} to ${from + BATCH}: ${answer.error} (the screen: soak-failure.png)`);
    }
    counts = answer.counts;
    if (from === 200 && MIX === 'day' && !DISPLAY_OPEN) {
      // The customer display opened, shown a moment, and closed as its window manager's close
      // button would (Xvfb has none; WebDriver's own close ends the page and leaves the window):
      // by the till's `close_customer_display`.
      await openCustomerWindow(browser);
      await sleep(500);
      await browser.execute(() => {
        void window.__TAURI_INTERNALS__.invoke('close_customer_display');
      });
      await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 1, { timeout: 20_000, timeoutMsg: 'the customer display did not close' });
      displays++;
    }
    const now = measured();
    samples.push({
      sales: Math.min(from + BATCH, SALES),
      pss_mb: now.pss_mb,
      threads: now.threads,
      fds: now.fds,
      // Whose threads and files, each step: when one appears says what brought it.
      by_process: Object.fromEntries(now.processes.map((p) => [p.name, { pss_mb: p.pss_mb, threads: p.thread_names, files: p.files }])),
    });
    console.error(`${Math.min(from + BATCH, SALES)} sales, ${((Date.now() - started) / 1000).toFixed(0)} s: ${now.pss_mb.toFixed(1)} MB, ${now.threads} threads, ${now.fds} files`);
  }
  await sleep(SETTLE_MS);
  const lastSale = measured();
  console.error(`20 s after the last sale: ${lastSale.pss_mb.toFixed(1)} MB PSS, ${lastSale.threads} threads, ${lastSale.fds} open files`);
  // The till left at rest: its page is loaded afresh, in a new web process on Linux (the old
  // process, and WebDriver's session with it, end; the app's log says when the new page has
  // loaded), else as a new document (the in-page driver goes with the old page).
  const rested = Date.now();
  const oldWeb = webProcesses();
  const loadsBefore = pageLoads(dataDir);
  const displayLoadsBefore = pageLoads(dataDir, 'customer');
  let renewed = null;
  while (!renewed && Date.now() - rested < RENEWAL_WAIT_MS) {
    await sleep(1_000);
    const now = webProcesses();
    if (now.length > 0 && !now.some((pid) => oldWeb.includes(pid)) && pageLoads(dataDir) > loadsBefore) renewed = 'process';
    else if (now.some((pid) => oldWeb.includes(pid))) {
      const gone = await Promise.race([browser.execute(() => !window.__soak).catch(() => false), sleep(3_000).then(() => false)]);
      if (gone) renewed = 'document';
    }
  }
  if (!renewed && SALES >= RENEWAL_AFTER_SALES && MIX === 'day') {
    throw new Error(`the page was not renewed in ${RENEWAL_WAIT_MS / 1_000} s of rest after ${SALES} sales`);
  }
  webDriverGone = renewed === 'process';
  if (renewed === 'process' && DISPLAY_OPEN) {
    // The display, closed for the renewal, opened again: else the reading after would lack it.
    const until = Date.now() + 30_000;
    while (pageLoads(dataDir, 'customer') <= displayLoadsBefore && Date.now() < until) await sleep(500);
    if (pageLoads(dataDir, 'customer') <= displayLoadsBefore) throw new Error('the customer display did not open again after the renewal');
  }
  if (renewed) {
    console.error(`the page renewed itself (a new ${renewed}) ${((Date.now() - rested) / 1_000).toFixed(0)} s into the rest`);
    if (renewed === 'document') await byTestId(browser, 'amount').waitForDisplayed({ timeout: 30_000 });
  }
  const after = await settled();
  console.error(`after: ${after.pss_mb.toFixed(1)} MB PSS, ${after.threads_least} to ${after.threads_most} threads, ${after.fds_least} to ${after.fds_most} open files`);
  const growth = after.pss_mb / before.pss_mb - 1;
  const result = {
    sales: SALES,
    mix: MIX,
    display: DISPLAY_OPEN ? 'open all day' : 'opened and closed',
    counts: { ...counts, customer_display_opened: displays },
    seconds: (Date.now() - started) / 1000,
    settle_ms: SETTLE_MS,
    before,
    after_last_sale: lastSale,
    renewed,
    after,
    growth_percent: growth * 100,
    threads_grew: after.threads_least - before.threads_least,
    fds_grew: after.fds_least - before.fds_least,
    within_budget: growth <= GROWTH_LIMIT && after.threads_least <= before.threads_least && after.fds_least <= before.fds_least,
    samples,
  };
  writeFileSync(process.env.TILL_BENCH_OUT, JSON.stringify(result, null, 2));
  console.error(
    JSON.stringify({ before_mb: before.pss_mb, after_last_sale_mb: lastSale.pss_mb, renewed, after_mb: after.pss_mb, growth_percent: result.growth_percent, threads_least: [before.threads_least, after.threads_least], fds_least: [before.fds_least, after.fds_least], counts: result.counts }, null, 2),
  );
  if (!result.within_budget) process.exitCode = 1;
} finally {
  // After a renewal in a new process WebDriver's session has ended with the old one.
  if (webDriverGone) await till.stop();
  else await till.close();
}
