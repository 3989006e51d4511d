// People and cash in the real app: the owner adds a cashier and a manager with the `till`
// command; the cashier signs in with her PIN, opens a shift with a float, sells for cash (the
// change shown big) and for Lightning; the manager's PIN refunds part of the cash sale out of
// the drawer (the cashier's own PIN is refused); the shift closes short; the day's Z shows both
// tenders, both people and the shift; the ledger verifies. Screenshots at each step.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { launchTill } from '../lib/app.mjs';
import { byTestId, click, enterPin, finishSetup, typeAmount, waitFor } from '../lib/till.mjs';

const ANA = '8642';
const MAX = '9753';

/** The `till` command on the shop's data folder, `input` on its standard input. */
function till(dataDir, args, input = '') {
  return execFileSync(process.env.TILL_CLI, args, {
    env: { ...process.env, TILL_DATA_DIR: dataDir },
    input,
    encoding: 'utf8',
  });
}

async function textOf(browser, id) {
  return (await waitFor(browser, id)).getText();
}

describe('people and cash', () => {
  let app;
  before(async () => {
    app = await launchTill();
  });
  after(async () => {
    await app?.close();
  });

  it('a cashier’s shift with cash and Lightning, a manager’s refund, a short drawer, and the Z by tender and person', async () => {
    const { browser, dataDir } = app;
    await finishSetup(browser, { currency: 'USD' });
    await waitFor(browser, 'amount');
    assert.match(till(dataDir, ['staff', 'add', 'Ana', '--role', 'cashier'], `${ANA}\n`), /Ana/);
    assert.match(till(dataDir, ['staff', 'add', 'Max', '--role', 'manager'], `${MAX}\n`), /Max/);
    assert.match(till(dataDir, ['staff', 'list']), /Ana\s+cashier[\s\S]*Max\s+manager/);

    // Who is selling? Ana.
    await click(browser, 'nav-lock');
    await waitFor(browser, 'lock-screen');
    assert.match(await textOf(browser, 'lock-screen'), /Who is selling\?/);
    await app.screenshot('40-who-is-selling');
    await enterPin(browser, 'lock-pin', ANA);
    await waitFor(browser, 'amount');
    await browser.waitUntil(async () => (await byTestId(browser, 'person').getText()) === 'Ana', {
      timeout: 10_000,
      timeoutMsg: 'the top bar does not say Ana is selling',
    });

    // The shift opens with a float of 100.00.
    await click(browser, 'nav-drawer');
    await byTestId(browser, 'float').then((el) => el.setValue('100.00'));
    await click(browser, 'open-shift');
    assert.equal(await textOf(browser, 'drawer-expected'), '100.00 USD');
    await app.screenshot('41-shift-open');
    await click(browser, 'nav-drawer');

    // A cash sale: 7.30, the customer hands over 20.00, 12.70 goes back.
    await typeAmount(browser, '7.30');
    await click(browser, 'cash');
    await waitFor(browser, 'cash-dialog');
    await byTestId(browser, 'cash-tendered').then((el) => el.setValue('20'));
    await browser.waitUntil(async () => (await byTestId(browser, 'cash-change').getText()).includes('12.70 USD'), {
      timeout: 10_000,
      timeoutMsg: 'the change for 20.00 did not show',
    });
    await app.screenshot('42-cash-tendered');
    await click(browser, 'cash-take');
    await waitFor(browser, 'paid-screen');
    assert.match(await textOf(browser, 'paid-change'), /12\.70 USD/);
    await app.screenshot('43-cash-change');
    await browser.keys(['Enter']);

    // A Lightning sale of 5.00, paid by the demo customer.
    await typeAmount(browser, '5');
    await click(browser, 'charge');
    await click(browser, 'simulate');
    await waitFor(browser, 'paid-screen');
    await browser.keys(['Enter']);
    await waitFor(browser, 'amount');

    // Max refunds 2.00 of the cash sale; Ana's own PIN is not enough (and the answer names nobody).
    await click(browser, 'nav-history');
    const list = await waitFor(browser, 'history-list');
    const rows = await list.$$('button');
    let cashRow = null;
    for (const r of rows) if ((await r.getText()).includes('#T1')) cashRow = r;
    assert.ok(cashRow, 'the cash sale is in the history');
    await cashRow.click();
    assert.match(await textOf(browser, 'history-who'), /Paid in cash: 20\.00 tendered, 12\.70 change · served by Ana/);
    await click(browser, 'refund-start');
    await byTestId(browser, 'refund-amount').then((el) => el.setValue('2.00'));
    await byTestId(browser, 'refund-reason').then((el) => el.setValue('spilt coffee'));
    await click(browser, 'refund-confirm');
    await enterPin(browser, 'prompt-pin', ANA);
    assert.match(await textOf(browser, 'pin-error'), /that PIN may not give refunds: only a manager or the owner may/);
    await enterPin(browser, 'prompt-pin', MAX);
    assert.match(await textOf(browser, 'refund-message'), /Refund TR1 recorded/);
    await app.screenshot('44-manager-refund');

    // Max leaves the till to Ana: his manager screens close.
    await click(browser, 'nav-manager');
    await click(browser, 'manager-close');
    await byTestId(browser, 'manager').waitForDisplayed({ reverse: true, timeout: 10_000 });

    // The drawer should hold 100.00 + 7.30 - 2.00; 105.00 is counted: 0.30 short. Ana's close
    // asks a manager's PIN.
    await click(browser, 'nav-drawer');
    assert.equal(await textOf(browser, 'drawer-expected'), '105.30 USD');
    await byTestId(browser, 'count-typed').then((el) => el.setValue('105.00'));
    await click(browser, 'close-shift');
    await enterPin(browser, 'prompt-pin', MAX);
    await waitFor(browser, 'drawer-result');
    assert.equal(await textOf(browser, 'drawer-variance'), 'Short 0.30 USD');
    await app.screenshot('45-shift-closed-short');

    // The day closes, and its Z counts both tenders, both people and the shift.
    // Max's PIN just closed the shift, so his manager screens open at once.
    await click(browser, 'nav-manager');
    await waitFor(browser, 'manager');
    await click(browser, 'close-day');
    await click(browser, 'close-day-confirm');
    await waitFor(browser, 'report-Z');
    assert.equal(await textOf(browser, 'closed-by'), 'closed by Max');
    const tenders = await textOf(browser, 'report-tenders');
    // WebKit's WebDriver reads a table's cells without spaces between them.
    assert.match(tenders, /Cash\s*1\s*7\.30 USD\s*−2\.00 USD/);
    assert.match(tenders, /Bitcoin Lightning\s*1\s*5\.00 USD/);
    const people = await textOf(browser, 'report-people');
    // Ana made both sales and the refund; Max approved the refund (the export says so).
    assert.match(people, /Ana\s*2\s*12\.30 USD\s*−2\.00 USD/);
    assert.match(await textOf(browser, 'report-shifts'), /TS1 · Ana → Max[\s\S]*105\.30\s*105\.00\s*-0\.30 USD/);
    await app.screenshot('46-z-by-tender-and-person');

    // The same day from the command line, and the ledger with its people and drawer verifies.
    const z = JSON.parse(till(dataDir, ['--demo', 'report', '--z', '1', '--json']));
    assert.deepEqual(
      z.tenders.map((t) => [t.tender, t.received, t.refunded]),
      [['cash', '7.30', '2.00'], ['lightning', '5.00', '0.00']],
    );
    const csv = till(dataDir, ['--demo', 'export', '--z', '1', '--format', 'csv']).trim().split('\n');
    const header = csv[0].split(',');
    const refund = csv.find((r) => r.startsWith('TR1,'))?.split(',');
    assert.ok(refund, csv.join('\n'));
    assert.equal(refund[header.indexOf('cashier')], 'Ana');
    assert.equal(refund[header.indexOf('approved_by')], 'Max');
    assert.equal(refund[header.indexOf('tender')], 'cash');
    assert.match(till(dataDir, ['verify']), /the ledger verifies/);
  });
});
