// The real app, demo gateway, driven like a cashier would: keypad, invoice, paid, timed out and
// re-quoted, paid late, history, the customer display, a bad setting, and a crashed page. Each
// scenario starts the app afresh with its own data folder, and saves screenshots to
// target/e2e-screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appTree, killEach, webProcessesIn } from '../bench/procs.mjs';
import { appLog, launchTill, pageLoads } from '../lib/app.mjs';
import { byTestId, click, openCustomerWindow, toKeypad, typeAmount, waitFor } from '../lib/till.mjs';
import { managedScreen } from '../lib/screen.mjs';

describe('a sale paid', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('goes from keypad to invoice to paid, by touch and by keyboard', async () => {
    const { browser } = till;
    await toKeypad(browser);
    assert.equal(await browser.getTitle(), 'Till');
    assert.ok(await byTestId(browser, 'demo-banner').isDisplayed());
    await waitFor(browser, 'readiness');
    await typeAmount(browser, '12.5');
    await byTestId(browser, 'memo').setValue('table 4');
    assert.match(await byTestId(browser, 'amount').getText(), /12\.50\s*USD/);
    await till.screenshot('01-keypad');

    await click(browser, 'charge');
    const qr = await waitFor(browser, 'qr');
    // The frame shows at once; the symbol arrives with its own call.
    await qr.$('svg').waitForExist({ timeout: 10_000 });
    assert.match(await qr.getHTML(), /<svg/);
    assert.match(await byTestId(browser, 'invoice-amount').getText(), /^12\.50 USD$/);
    assert.match(await byTestId(browser, 'invoice-sats').getText(), /^12,500 sats$/);
    assert.match(await byTestId(browser, 'countdown').getText(), /\d+:\d\d/);
    await till.screenshot('02-invoice');

    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');
    assert.match(await byTestId(browser, 'paid-amount').getText(), /^12\.50 USD$/);
    await till.screenshot('03-paid');

    // Enter starts the next sale; the keyboard alone rings up and pays another.
    await browser.keys(['Enter']);
    await waitFor(browser, 'amount');
    await browser.keys(['3', '.', '2', '0']);
    assert.match(await byTestId(browser, 'amount').getText(), /3\.20/);
    await browser.keys(['Enter']);
    await waitFor(browser, 'qr');
    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');

    // The app logs to a daily file in its data folder, and never a secret or an invoice's key.
    const logs = readdirSync(join(till.dataDir, 'logs')).filter((f) => f.startsWith('till'));
    // One a day: two when the run crosses midnight (UTC).
    assert.ok(logs.length >= 1 && logs.length <= 2, `a daily log file: ${logs}`);
    const text = appLog(till.dataDir);
    assert.match(text, /Till starting/);
    assert.match(text, /sale changed/);
    assert.doesNotMatch(text, /demo-[0-9a-f]{16}/, 'the demo API key is not logged');
  });
});

describe('a sale timed out, re-quoted and paid', () => {
  let till;
  before(async () => {
    // Long enough that the re-quoted order is still open while the test pays it on a slow
    // machine (each new order gets the same time), short enough to wait for the first to lapse.
    till = await launchTill({ TILL_DEMO_ORDER_SECONDS: '15' });
  });
  after(async () => {
    await till?.close();
  });

  it('says so plainly and makes a new QR for the same amount', async () => {
    const { browser } = till;
    await toKeypad(browser);
    await typeAmount(browser, '4');
    await click(browser, 'charge');
    await waitFor(browser, 'qr');
    // The gateway marks the order overdue after 15 s; the watcher's event brings the screen.
    await waitFor(browser, 'timed-out-screen', 60_000);
    await till.screenshot('04-timed-out');
    await click(browser, 'requote');
    await waitFor(browser, 'qr');
    assert.match(await byTestId(browser, 'invoice-amount').getText(), /^4\.00 USD$/);
    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');
  });
});

describe('a cancelled sale paid late, and the history', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('raises an alert the cashier cannot miss, and history shows every sale', async () => {
    const { browser } = till;
    await toKeypad(browser);
    await typeAmount(browser, '7.5');
    await click(browser, 'charge');
    await waitFor(browser, 'qr');
    await click(browser, 'cancel');
    await click(browser, 'confirm-cancel');
    await waitFor(browser, 'keypad-message');
    assert.match(await byTestId(browser, 'keypad-message').getText(), /Receipt T1 cancelled/);

    await click(browser, 'nav-history');
    const list = await waitFor(browser, 'history-list');
    assert.match(await list.getText(), /#T1/);
    await (await list.$('button')).click();
    await waitFor(browser, 'timeline');
    assert.match(await byTestId(browser, 'timeline').getText(), /Cancelled by the cashier/);
    await click(browser, 'simulate-late');
    const alert = await waitFor(browser, 'paid-late-alert');
    assert.match(await alert.getText(), /PAID LATE/);
    assert.match(await alert.getText(), /Receipt T1/);
    await till.screenshot('05-paid-late-alert');
    await click(browser, 'acknowledge');
    await byTestId(browser, 'paid-late-alert').waitForDisplayed({ reverse: true, timeout: 15_000 });
    await waitFor(browser, 'history-detail');
    // The timeline reloads once the alert is gone.
    await browser.waitUntil(async () => /Late payment acknowledged/.test(await byTestId(browser, 'timeline').getText()), {
      timeout: 15_000,
      timeoutMsg: 'the timeline did not show the acknowledgement',
    });
    await till.screenshot('06-history');
  });
});


describe('the customer display', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    await till?.close();
  });

  it('follows the sale in its own window', async () => {
    const { browser } = till;
    await toKeypad(browser);
    const main = await browser.getWindowHandle();
    const customer = await openCustomerWindow(browser);
    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-idle');
    await till.screenshot('07-customer-idle');

    await browser.switchToWindow(main);
    await typeAmount(browser, '9.99');
    await click(browser, 'charge');
    await waitFor(browser, 'qr');

    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-paying');
    await waitFor(browser, 'qr');
    await till.screenshot('08-customer-paying');

    await browser.switchToWindow(main);
    await click(browser, 'simulate');
    await browser.switchToWindow(customer);
    await waitFor(browser, 'customer-paid');
    await till.screenshot('09-customer-paid');

    // Moved to where the customer can see it; the next start opens it there again.
    await browser.setWindowRect(40, 30, 700, 500);
    // Settled: the same place twice in a row (the app saves it on each move and resize).
    const rect = async (b) => {
      const r = await b.getWindowRect();
      return [r.x, r.y, r.width, r.height];
    };
    let moved = await rect(browser);
    await browser.waitUntil(
      async () => {
        await browser.pause(300);
        const now = await rect(browser);
        const same = now.join() === moved.join() && now[2] === 700 && now[3] === 500;
        moved = now;
        return same;
      },
      { timeout: 15_000, timeoutMsg: 'the customer window did not settle at 700x500' },
    );
    await browser.switchToWindow(main);
    const dataDir = till.dataDir;
    await till.close();
    till = await launchTill({ TILL_DATA_DIR: dataDir });
    await toKeypad(till.browser);
    const again = await openCustomerWindow(till.browser);
    await till.browser.switchToWindow(again);
    await waitFor(till.browser, 'customer-idle');
    // The size is set just after the window is built: wait for it, then compare.
    let reopened = await rect(till.browser);
    await till.browser
      .waitUntil(async () => (reopened = await rect(till.browser)).join() === moved.join(), { timeout: 10_000 })
      .catch(() => undefined);
    assert.deepEqual(reopened, moved, 'the customer display reopens where it was left');
    // Fullscreen needs a window manager, which Xvfb has none of; the browser suite checks that a
    // double tap or F11 asks Tauri for it.
  });
});

describe('a bad setting', () => {
  let till;
  before(async () => {
    till = await launchTill({ AURPAY_NETWORK: 'dogecoin' });
  });
  after(async () => {
    await till?.close();
  });

  it('opens anyway and names the setting to fix', async () => {
    const { browser } = till;
    assert.equal(await toKeypad(browser), 'startup-error');
    const alert = await waitFor(browser, 'startup-error');
    assert.match(await alert.getText(), /AURPAY_NETWORK/);
    await till.screenshot('10-bad-setting');
  });
});

/** The pids of the web processes of the app whose data folder is `dataDir`. */
const webProcessesOf = (dataDir) => webProcessesIn(appTree('till-desktop', dataDir));

/** Asks for the page's renewal, as the page does once the till has rested after a busy stretch
 * (ui/src/lib/renewal.ts). The script's answer may never come back: the process it ran in is
 * ended by what it asked for, sometimes before WebKit has passed the answer on (seen: "Could not
 * parse script result"). So no error of it fails the test by itself: each test checks the
 * renewal by what it did (the old process gone, the pages loaded again), and names the error,
 * answered here ('' for none), if that check fails. */
async function askRenewal(browser) {
  try {
    // Asked a moment after the script has answered, so the answer goes out before the process
    // ends; an error is still possible on a slow machine, and still only named.
    await browser.execute(() => {
      setTimeout(() => void window.__TAURI_INTERNALS__.invoke('renew_page'), 100);
    });
    return '';
  } catch (e) {
    return ` (asking for it answered: ${String(e?.message ?? e).split('\n')[0]})`;
  }
}

describe('a crashed page', () => {
  let till;
  before(async () => {
    till = await launchTill();
  });
  after(async () => {
    // WebDriver's session ends with the web process it drove.
    await till?.stop();
  });

  /** Kills the app's web processes, then waits (bounded) for a new one and for the main window's
   * page loaded in it; returns the new one's pids. */
  async function crashAndWait(seconds) {
    const crashed = webProcessesOf(till.dataDir);
    assert.ok(crashed.length > 0, 'the app has a web process');
    const loadedBefore = pageLoads(till.dataDir);
    killEach(crashed);
    const deadline = Date.now() + seconds * 1_000;
    let fresh = [];
    while (Date.now() < deadline) {
      fresh = webProcessesOf(till.dataDir).filter((pid) => !crashed.includes(pid));
      if (fresh.length > 0 && pageLoads(till.dataDir) > loadedBefore) return fresh;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no page loaded in a new web process within ${seconds} s (new processes: ${fresh})`);
  }

  it('loads again in a new web process, at once and then after a wait when it crashes again', async () => {
    await toKeypad(till.browser);
    // The first crash: loaded again at once.
    await crashAndWait(15);
    // Again as soon as it is back: a crash in a row, loaded again after 10 s, not in a loop and
    // never left blank (the first version of this left it blank for good).
    const started = Date.now();
    await crashAndWait(40);
    assert.ok(Date.now() - started >= 9_000, `the second crash waited ${Date.now() - started} ms, not about 10 s`);
    const log = appLog(till.dataDir);
    assert.match(log, /web process ended; loading it again.*crashes_in_a_row=1/);
    assert.match(log, /web process ended; loading it again.*crashes_in_a_row=2/);
    // For the eye: the keypad as it was (the window paints a moment after the page loads).
    await new Promise((r) => setTimeout(r, 1_000));
    execFileSync('import', ['-window', 'root', join(process.env.TILL_SCREENSHOTS, '11-after-a-crash.png')]);
  });
});

// At scale 2 too (GTK's GDK_SCALE, as a HiDPI screen gives it): the display's place is saved in
// the screen's pixels and its builder takes logical ones, so a mix-up would move or resize it by
// the scale at each reopening.
for (const scale of [1, 2]) describe(`a page renewed with the customer display open${scale === 1 ? '' : `, the screen scaled ${scale}x`}`, () => {
  let till;
  before(async () => {
    till = await launchTill(scale === 1 ? {} : { GDK_SCALE: String(scale) });
  });
  after(async () => {
    // WebDriver's session ends with the web process it drove.
    await till?.stop();
  });

  const loads = (window) => pageLoads(till.dataDir, window);
  /** The customer display's X window, as `xwininfo` gives its size and place ("640x480+60+40");
   * null while there is none. */
  const displayGeometry = () => {
    const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
    const line = tree.split('\n').find((l) => l.includes('"Till: customer display"'));
    return line?.match(/\)\s+(\d+x\d+[+-]\d+[+-]\d+)/)?.[1] ?? null;
  };

  it('closes the display, loads both pages again in one new web process, the display where it was', async () => {
    const { browser } = till;
    await toKeypad(browser);
    const main = await browser.getWindowHandle();
    const customer = await openCustomerWindow(browser);
    await browser.switchToWindow(customer);
    await browser.setWindowRect(60, 40, 640, 480);
    await browser.waitUntil(
      async () => {
        const r = await browser.getWindowRect();
        return r.x === 60 && r.y === 40 && r.width === 640 && r.height === 480;
      },
      { timeout: 15_000, timeoutMsg: 'the customer display did not move to 640x480 at 60,40' },
    );
    await browser.switchToWindow(main);
    // Its X window settled: the same place twice in a row.
    let where = null;
    const settled = Date.now() + 10_000;
    for (let last = displayGeometry(); Date.now() < settled; ) {
      await new Promise((r) => setTimeout(r, 300));
      where = displayGeometry();
      if (where && where === last) break;
      last = where;
    }
    assert.ok(where, 'the customer display has an X window');
    // In the screen's pixels: the scale took effect (the main window, 1180x780 logical, then runs
    // past this 1280x800 screen, which without a window manager nothing stops).
    assert.equal(where, `${640 * scale}x${480 * scale}+${60 * scale}+${40 * scale}`, 'the customer display is where it was put, in the screen\'s pixels');
    assert.equal(displayGeometry(), where, 'the customer display\'s X window settled where it was put');
    const old = webProcessesOf(till.dataDir);
    assert.equal(old.length, 1, `the display shares the main page's web process (${old})`);
    const [mainBefore, customerBefore] = [loads('main'), loads('customer')];

    const asked = await askRenewal(browser);
    const deadline = Date.now() + 30_000;
    let now = [];
    while (Date.now() < deadline) {
      now = webProcessesOf(till.dataDir);
      if (!now.some((pid) => old.includes(pid)) && loads('main') > mainBefore && loads('customer') > customerBefore) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(now.filter((pid) => old.includes(pid)), [], `the old web process ended${asked}`);
    assert.ok(loads('main') > mainBefore, 'the main page loaded again');
    assert.ok(loads('customer') > customerBefore, 'the customer display opened again');
    // Both pages in the one new process: the display related to the renewed page, not in a
    // process of its own (40 MB more).
    assert.equal(webProcessesOf(till.dataDir).length, 1, `one web process for both pages (${webProcessesOf(till.dataDir)})`);
    // Where the owner left it (its size is set a moment after the window is built).
    let again = null;
    const placed = Date.now() + 10_000;
    while (Date.now() < placed && (again = displayGeometry()) !== where) await new Promise((r) => setTimeout(r, 100));
    assert.equal(again, where, 'the customer display opens again where it was');
    assert.match(appLog(till.dataDir), /the customer display opens again after the page's renewal/);
    await new Promise((r) => setTimeout(r, 1_000));
    execFileSync('import', ['-window', 'root', join(process.env.TILL_SCREENSHOTS, `11b-renewed-with-the-display${scale === 1 ? '' : `-scaled-${scale}x`}.png`)]);
  });
});

// Fullscreen and the keyboard are a window manager's to give: this scenario runs on a screen of
// its own with Openbox (e2e/lib/screen.mjs), which the rest of the suite does without.
describe('a page renewed with the customer display fullscreen, under a window manager', () => {
  let screen;
  let till;
  before(async () => {
    screen = await managedScreen();
    till = await launchTill(screen.env);
  });
  after(async () => {
    try {
      await till?.stop();
    } finally {
      await screen?.stop();
    }
  });

  /** The managed screen's size and place, which a fullscreen window takes. */
  const WHOLE_SCREEN = '1280x800+0+0';
  /** Whether window `id` comes to cover the whole screen within 10 s (the window manager resizes
   * it a moment after marking it fullscreen). */
  const coversScreen = (id) => screen.until(() => screen.geometry(id) === WHOLE_SCREEN, 10_000);
  /** The display's place as the ledger keeps it ("x,y,width,height"). */
  const savedPlace = () =>
    execFileSync('sqlite3', ['-readonly', join(till.dataDir, 'ledger.sqlite'), "SELECT value FROM settings WHERE key = 'customer_display_geometry'"], { encoding: 'utf8', timeout: 5_000 }).trim();

  it('opens the display again fullscreen, and leaves the keyboard with the cashier\'s window', async () => {
    const { browser } = till;
    await toKeypad(browser);
    const main = await browser.getWindowHandle();
    const mainWindow = await screen.until(() => screen.named('Till'), 10_000);
    assert.ok(mainWindow, 'the window manager manages the main window');
    const customer = await openCustomerWindow(browser);
    // F11 on the display, as the owner makes it fullscreen on the customer's screen.
    await browser.switchToWindow(customer);
    await browser.keys('F11');
    const before = await screen.until(() => {
      const id = screen.named('Till: customer display');
      return id && screen.states(id).includes('_NET_WM_STATE_FULLSCREEN') ? id : null;
    }, 15_000);
    assert.ok(before, `the customer display went fullscreen (${screen.clients().map((id) => `${id}: ${screen.states(id)}`)})`);
    assert.ok(await coversScreen(before), `fullscreen covers the screen (${screen.geometry(before)})`);
    // Its windowed place stays remembered while it is fullscreen (the whole screen saved instead
    // would be its size once it leaves fullscreen, after the renewal or the next opening).
    await new Promise((r) => setTimeout(r, 1_000));
    const saved = savedPlace();
    assert.match(saved, /^-?\d+,-?\d+,800,600$/, `the display's windowed place is kept while it is fullscreen (saved: ${saved})`);
    await browser.switchToWindow(main);
    const [mainBefore, customerBefore] = [pageLoads(till.dataDir, 'main'), pageLoads(till.dataDir, 'customer')];

    const asked = await askRenewal(browser);
    // The display's window is a new one once the page has loaded again.
    const again = await screen.until(() => {
      const id = screen.named('Till: customer display');
      return id && id !== before && pageLoads(till.dataDir, 'main') > mainBefore && pageLoads(till.dataDir, 'customer') > customerBefore ? id : null;
    }, 30_000);
    assert.ok(again, `the customer display opened again in a new window after the renewal${asked}`);
    assert.ok(
      await screen.until(() => screen.states(again).includes('_NET_WM_STATE_FULLSCREEN'), 10_000),
      `the display is fullscreen again (${screen.states(again)})`,
    );
    assert.ok(await coversScreen(again), `fullscreen again over the whole screen (${screen.geometry(again)})`);
    // The display was closed, so the window manager gave the keyboard back to the cashier's
    // window; the display opened again must not take it (it is opened unfocused).
    assert.equal(await screen.until(() => screen.active() === mainWindow && mainWindow, 10_000), mainWindow, 'the cashier\'s window has the keyboard');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(screen.active(), mainWindow, 'the cashier\'s window keeps the keyboard after the display has opened again');
    assert.match(appLog(till.dataDir), /fullscreen=true/);
    screen.screenshot(join(process.env.TILL_SCREENSHOTS, '11c-renewed-fullscreen-display.png'));

    // Reopened fullscreen, its windowed place is still the one the owner left (800x600, its
    // default), not the whole screen, so leaving fullscreen gives that size back.
    assert.equal(savedPlace(), saved, 'the display\'s windowed place is kept across the renewal, fullscreen');
    // Out of fullscreen at the owner's asking. The size it then takes is the window manager's
    // doing, not Till's (Openbox once gave a window it had mapped fullscreen the screen's size,
    // in about ten runs, and 800x600 in the others), so only its leaving fullscreen is required
    // here.
    screen.leaveFullscreen(again);
    assert.ok(
      await screen.until(() => !screen.states(again).includes('_NET_WM_STATE_FULLSCREEN'), 10_000),
      `the display leaves fullscreen (${screen.states(again)})`,
    );
    assert.equal(savedPlace(), saved, 'the display\'s windowed place is kept once it has left fullscreen');
  });
});
