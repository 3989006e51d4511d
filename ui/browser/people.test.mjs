// People and cash in the built UI, in Debian's Chromium with the mocked IPC: "who is selling?",
// a manager stepping in over a cashier, the owner's staff tab, the drawer (open, pay in and
// out, count and close with a manager's PIN), a cash sale with its change, and the report by
// tender and person; each checked with axe and photographed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, id, open, restsWithoutSvg } from './harness.mjs';

// Ana sells (8642), Max manages (9753); the owner's PIN is 2468. The till starts locked.
const staffed = `
  const s = window.__mock.state;
  const at = new Date().toISOString();
  s.staff.push({ id: 2, name: 'Ana', role: 'cashier', pin: '8642', added_at: at });
  s.staff.push({ id: 3, name: 'Max', role: 'manager', pin: '9753', added_at: at });
  s.locked = true;
  s.seller = null;
`;

async function typePin(page, testid, pin) {
  await id(page, `${testid}-input`).fill(pin);
  await id(page, `${testid}-ok`).click();
}

async function signIn(page, pin) {
  await id(page, 'lock-screen').waitFor();
  await typePin(page, 'lock-pin', pin);
  await id(page, 'amount').waitFor();
}

describe('who is selling', () => {
  it('a PIN names its person; a manager steps in over the cashier, whose PIN is not enough', async () => {
    const page = await open('', staffed);
    await id(page, 'lock-screen').waitFor();
    assert.match(await id(page, 'lock-screen').innerText(), /Who is selling\?/);
    await restsWithoutSvg(page, 'lock');
    await signIn(page, '8642');
    assert.equal(await id(page, 'person').innerText(), 'Ana');
    await check(page, 'people-cashier-signed-in');

    await page.keyboard.press('F4');
    await id(page, 'pin-prompt').waitFor();
    await typePin(page, 'prompt-pin', '8642');
    assert.match(await id(page, 'pin-error').innerText(), /that PIN may not do this/);
    await check(page, 'people-cashier-pin-refused');
    await typePin(page, 'prompt-pin', '9753');
    await id(page, 'manager').waitFor();
    assert.match(await id(page, 'stepped-in').innerText(), /Max stepped in; Ana stays signed in/);
    assert.equal(await id(page, 'person').innerText(), 'Ana');
    await check(page, 'people-manager-stepped-in');

    // Switching cashier: F9, then the next person's PIN.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F9');
    await signIn(page, '9753');
    assert.equal(await id(page, 'person').innerText(), 'Max');
    await page.close();
  });

  it('the owner adds and removes staff; a PIN already taken is refused and changes nothing', async () => {
    const page = await open('', staffed);
    await signIn(page, '2468');
    await page.keyboard.press('F4');
    await id(page, 'manager').waitFor();
    await id(page, 'tab-staff').click();
    await id(page, 'member-Ana').waitFor();
    await id(page, 'staff-name').fill('Zoe');
    await id(page, 'staff-pin').fill('8642');
    await id(page, 'staff-pin-again').fill('8642');
    await id(page, 'staff-submit').click();
    assert.match(await id(page, 'staff-error').innerText(), /already has this PIN/);
    assert.equal(await id(page, 'member-Zoe').count(), 0);
    await id(page, 'staff-pin').fill('1357');
    await id(page, 'staff-pin-again').fill('1375');
    await id(page, 'staff-submit').click();
    assert.match(await id(page, 'staff-error').innerText(), /two PINs differ/);
    await id(page, 'staff-role-manager').check();
    await id(page, 'staff-pin').fill('1357');
    await id(page, 'staff-pin-again').fill('1357');
    await id(page, 'staff-submit').click();
    await id(page, 'member-Zoe').waitFor();
    assert.match(await id(page, 'staff-message').innerText(), /Zoe is on the staff as manager/);
    await check(page, 'people-staff');
    await id(page, 'remove-Owner').click();
    await id(page, 'confirm-remove').click();
    assert.match(await id(page, 'staff-error').innerText(), /only owner/);
    await id(page, 'remove-Ana').click();
    await id(page, 'confirm-remove').click();
    await id(page, 'member-Ana').waitFor({ state: 'detached' });
    await page.close();
  });
});

describe('the drawer and cash', () => {
  it('a shift opens with a float, takes a cash sale with its change, and closes short with a manager PIN', async () => {
    const page = await open('', staffed);
    await signIn(page, '8642');

    // No shift: a cash sale is refused with the reason, and the cart keeps the amount.
    for (const k of ['7', '.', '3']) await page.keyboard.press(k);
    await page.keyboard.press('F7');
    await id(page, 'cash-dialog').waitFor();
    await id(page, 'cash-quick-2').click();
    assert.match(await id(page, 'cash-problem').innerText(), /no shift is open/);
    await page.keyboard.press('Escape');
    await id(page, 'cash-dialog').waitFor({ state: 'detached' });

    await page.keyboard.press('F6');
    await id(page, 'drawer-screen').waitFor();
    await check(page, 'drawer-no-shift');
    await id(page, 'float').fill('abc');
    await id(page, 'open-shift').click();
    assert.match(await id(page, 'drawer-message').innerText(), /float must be an amount/);
    await id(page, 'float').fill('100.00');
    await id(page, 'open-shift').click();
    await id(page, 'drawer-figures').waitFor();
    await id(page, 'move-amount').fill('20');
    await id(page, 'move-reason').fill('change from the bank');
    await id(page, 'move-submit').click();
    // Paying out is a manager's: Max steps in with his PIN.
    await id(page, 'move-out').click();
    await id(page, 'move-amount').fill('500');
    await id(page, 'move-reason').fill('milk');
    await id(page, 'move-submit').click();
    await id(page, 'pin-prompt').waitFor();
    await typePin(page, 'prompt-pin', '9753');
    assert.match(await id(page, 'drawer-message').innerText(), /cannot be paid out/);
    await id(page, 'move-amount').fill('5');
    await id(page, 'move-submit').click();
    await page.getByText('Out 5.00 USD: milk').waitFor();
    assert.match(await id(page, 'drawer-moves').innerText(), /Out 5\.00 USD: milk\s+Max/);
    assert.equal(await id(page, 'drawer-expected').innerText(), '115.00 USD');
    await check(page, 'drawer-open');

    // The cash sale: short cash is refused, 20 gives 12.70 back, shown big.
    await page.keyboard.press('Escape');
    await id(page, 'cart-cash').click();
    await id(page, 'cash-dialog').waitFor();
    assert.equal(await id(page, 'cash-total').innerText(), '7.30 USD');
    await id(page, 'cash-tendered').fill('5');
    await id(page, 'cash-problem').getByText(/2.30 USD more is needed/).waitFor();
    assert.ok(await id(page, 'cash-take').isDisabled());
    await id(page, 'cash-tendered').fill('20');
    await id(page, 'cash-change').getByText('12.70 USD').waitFor();
    await check(page, 'cash-dialog');
    await page.keyboard.press('Enter');
    await id(page, 'paid-screen').waitFor();
    assert.equal(await id(page, 'paid-change').innerText(), 'Change\n12.70 USD');
    await check(page, 'cash-paid');
    await page.keyboard.press('Enter');

    // Max leaves: his manager screens close (F4, then back to the till).
    await page.keyboard.press('F4');
    await id(page, 'manager').waitFor();
    await page.keyboard.press('Escape');
    await id(page, 'manager').waitFor({ state: 'detached' });

    // Count: one 100 and one 20 is 120.00; the cashier's close needs a manager's PIN.
    await page.keyboard.press('F6');
    assert.equal(await id(page, 'drawer-expected').innerText(), '122.30 USD');
    await id(page, 'count-100.00').fill('1');
    await id(page, 'count-20.00').fill('1');
    await id(page, 'count-total').getByText('120.00 USD').waitFor();
    await check(page, 'drawer-counted');
    await id(page, 'close-shift').click();
    await id(page, 'pin-prompt').waitFor();
    await typePin(page, 'prompt-pin', '8642');
    assert.match(await id(page, 'pin-error').innerText(), /that PIN may not do this/);
    await typePin(page, 'prompt-pin', '9753');
    await id(page, 'drawer-result').waitFor();
    assert.equal(await id(page, 'drawer-variance').innerText(), 'Short 2.30 USD');
    assert.equal(await id(page, 'drawer-counted').innerText(), '120.00 USD');
    await check(page, 'drawer-closed');

    // The day's report, read by the manager: by tender, by person, the shift.
    await page.keyboard.press('F4');
    await id(page, 'manager').waitFor();
    await id(page, 'report-tenders').waitFor();
    assert.match(await id(page, 'report-tenders').innerText(), /Cash\t1\t7.30 USD/);
    assert.match(await id(page, 'report-people').innerText(), /Ana\t1\t7.30 USD/);
    assert.match(await id(page, 'report-shifts').innerText(), /TS1 · Ana → Max/);
    await check(page, 'report-tenders-people');
    await page.close();
  });
});
