// Every screen fits a tablet and a small laptop (issue 18), in Debian's Chromium with the mocked
// IPC: at 1024x768, 1280x720, 1366x768 and 1920x1080 no screen scrolls, nothing a cashier needs
// (a button, a field, a tab, the invoice's QR) is cut off or outside the window, and every touch
// target is at least 44 px each way. A list longer than its panel scrolls inside the panel, which
// is the one kind of scrolling allowed; the panel itself must fit. Screenshots of every screen at
// every size land in target/ui-screenshots/fit-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { id, open, rungUpElsewhere, shots } from './harness.mjs';

const SIZES = [
  [1024, 768],
  [1280, 720],
  [1366, 768],
  [1920, 1080],
];

/** The smallest touch target, each way (WCAG 2.5.5, Apple's and Google's guidance). */
const TOUCH = 44;

const catalog = `
  window.__mock.state.items = [
    { id: 1, sku: 'ESP', name: 'Espresso', category: 'Coffee', price: '2.50', tax_rate: '0', tax_included: true, barcode: null, label: null, colour: null, active: true },
    { id: 2, sku: 'CAP', name: 'Cappuccino', category: 'Coffee', price: '3.80', tax_rate: '0', tax_included: true, barcode: null, label: null, colour: null, active: true },
    { id: 3, sku: 'BAG', name: 'Sesame bagel with cream cheese', category: 'Food', price: '3.00', tax_rate: '0', tax_included: true, barcode: null, label: 'Bagel', colour: null, active: true },
  ];`;

/**
 * What does not fit on the page as it is now: the page scrolling, a control or the QR outside the
 * window or cut by a box around it, a label wider than its button, a touch target under 44 px.
 * An element inside a panel that scrolls (a long list) is judged by the panel.
 */
export async function misfits(page) {
  return page.evaluate((touch) => {
    const found = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollHeight > vh + 1) found.push(`the page scrolls: ${root.scrollHeight} px tall in ${vh}`);
    if (root.scrollWidth > vw + 1) found.push(`the page scrolls sideways: ${root.scrollWidth} px wide in ${vw}`);
    const shown = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
      }
      return el.getClientRects().length > 0;
    };
    const scroller = (el) => {
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (/(auto|scroll)/.test(s.overflowY + s.overflowX) && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)) return e;
      }
      return null;
    };
    const name = (el) => {
      const t = (el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.innerText ?? el.value ?? '').trim().replace(/\s+/g, ' ');
      return `${el.tagName.toLowerCase()}${t ? ` "${t.slice(0, 40)}"` : ''}`;
    };
    const controls = document.querySelectorAll(
      'button, input:not([type="hidden"]), select, textarea, a[href], [role="tab"], [role="button"], [data-testid="qr"] svg',
    );
    for (const el of controls) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      const panel = scroller(el);
      const box = panel ? panel.getBoundingClientRect() : { left: 0, top: 0, right: vw, bottom: vh };
      // In a scrolling list, a row scrolled out of view is fine; the list is the thing to fit.
      const inPanel = r.bottom > box.top && r.top < box.bottom;
      if (panel && !inPanel) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) {
        found.push(`${name(el)} is outside the window (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)})`);
        continue;
      }
      // Cut by a box that hides its overflow (not a scrolling panel: its rows may be half shown).
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (e === panel) break;
        if (/(hidden|clip)/.test(s.overflowY + s.overflowX)) {
          const c = e.getBoundingClientRect();
          if (r.left < c.left - 0.5 || r.top < c.top - 0.5 || r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5) {
            found.push(`${name(el)} is cut off by its ${e.tagName.toLowerCase()}`);
            break;
          }
        }
      }
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)}: its label is wider than the button`);
      const touchable = !el.matches('svg') && !el.disabled && !(el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type) && el.closest('label'));
      if (touchable && (r.width < touch - 0.5 || r.height < touch - 0.5)) {
        found.push(`${name(el)} is ${Math.round(r.width)}x${Math.round(r.height)} px, under ${touch}`);
      }
    }
    // A checkbox or radio is touched through its label: the label is the target.
    for (const label of document.querySelectorAll('label')) {
      if (!shown(label) || !label.querySelector('input[type="checkbox"], input[type="radio"]')) continue;
      const r = label.getBoundingClientRect();
      if (r.height < touch - 0.5) found.push(`label "${label.innerText.trim().slice(0, 40)}" is ${Math.round(r.height)} px tall, under ${touch}`);
    }
    return found;
  }, TOUCH);
}

/** Nothing misfits on this screen at this size; then a screenshot. */
async function fits(page, size, screen) {
  const found = await misfits(page);
  await page.screenshot({ path: join(shots, `fit-${size[0]}x${size[1]}-${screen}.png`) });
  assert.deepEqual(found, [], `${screen} at ${size[0]}x${size[1]}`);
}

async function at(size, hash, setup) {
  const page = await open(hash, setup);
  await page.setViewportSize({ width: size[0], height: size[1] });
  return page;
}

async function charge(page, keys) {
  await id(page, 'amount').waitFor();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Enter');
  await id(page, 'qr').locator('svg').waitFor();
}

async function typePin(page, testid, pin) {
  await id(page, `${testid}-input`).fill(pin);
  await id(page, `${testid}-ok`).click();
}

for (const size of SIZES) {
  describe(`every screen fits ${size[0]}x${size[1]}`, () => {
    it('setup, the lock screen', async () => {
      const page = await at(size, '', 'window.__mock.state.info.setup_needed = true;');
      await id(page, 'setup').waitFor();
      await fits(page, size, 'setup');
      await page.close();
      const locked = await at(size, '', '');
      await id(locked, 'amount').waitFor();
      await locked.keyboard.press('F9');
      await id(locked, 'lock-screen').waitFor();
      await fits(locked, size, 'lock');
      await locked.close();
    });

    it('the keypad, the invoice, paid, timed out', async () => {
      const page = await at(size, '', '');
      await id(page, 'amount').waitFor();
      await fits(page, size, 'keypad');
      await charge(page, ['1', '2', '.', '5']);
      await fits(page, size, 'invoice');
      await id(page, 'tap-card').click();
      await fits(page, size, 'invoice-card');
      await page.evaluate(() => window.__mock.update(1, 'paid'));
      await id(page, 'paid-screen').waitFor();
      await fits(page, size, 'paid');
      await page.keyboard.press('Enter');
      await charge(page, ['4']);
      await page.evaluate(() => window.__mock.update(2, 'timed_out'));
      await id(page, 'timed-out-screen').waitFor();
      await fits(page, size, 'timed-out');
      await page.close();
    });

    it('the catalog and a long cart, the tip', async () => {
      const page = await at(size, '', `${catalog} window.__mock.state.settings.tips = true;`);
      await id(page, 'item-ESP').waitFor();
      await fits(page, size, 'catalog');
      for (let i = 0; i < 4; i++) {
        await id(page, 'item-ESP').click();
        await id(page, 'item-CAP').click();
        await id(page, 'item-BAG').click();
      }
      await fits(page, size, 'cart');
      await id(page, 'cart-charge').click();
      await id(page, 'tip-screen').waitFor();
      await fits(page, size, 'tip');
      await page.close();
    });

    it('history, the drawer, a cash sale', async () => {
      const page = await at(size, '', '');
      for (let i = 0; i < 14; i++) {
        await charge(page, [String((i % 9) + 1)]);
        await page.evaluate((n) => window.__mock.update(n, 'paid'), i + 1);
        await id(page, 'paid-screen').waitFor();
        await page.keyboard.press('Enter');
      }
      await page.keyboard.press('F2');
      await id(page, 'history-list').waitFor();
      await id(page, 'history-list').getByRole('button').first().click();
      await id(page, 'timeline').waitFor();
      await fits(page, size, 'history');
      await page.keyboard.press('F6');
      await id(page, 'float').waitFor();
      await fits(page, size, 'drawer-closed');
      await id(page, 'float').fill('100');
      await id(page, 'open-shift').click();
      await id(page, 'move-amount').waitFor();
      await fits(page, size, 'drawer-open');
      await page.keyboard.press('F6');
      await id(page, 'amount').waitFor();
      await page.keyboard.press('7');
      await page.keyboard.press('F7');
      await id(page, 'cash-dialog').waitFor();
      await id(page, 'cash-tendered').fill('10');
      await fits(page, size, 'cash');
      await page.close();
    });

    it('every manager tab', async () => {
      const page = await at(size, '', '');
      await id(page, 'amount').waitFor();
      await page.keyboard.press('F4');
      await typePin(page, 'prompt-pin', '2468');
      await id(page, 'manager').waitFor();
      const tabs = await page.locator('[data-testid="manager"] [data-testid^="tab-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
      assert.ok(tabs.length >= 6, `the manager's tabs: ${tabs}`);
      for (const tab of tabs) {
        await id(page, tab).click();
        await page.waitForLoadState('networkidle');
        await fits(page, size, `manager-${tab}`);
      }
      await page.close();
    });

    it('the customer display: idle, paying, paid', async () => {
      const page = await at(size, '#customer', '');
      await id(page, 'customer-idle').waitFor();
      await fits(page, size, 'customer-idle');
      await rungUpElsewhere(page);
      await id(page, 'customer-paying').waitFor();
      await fits(page, size, 'customer-paying');
      await page.evaluate(() => window.__mock.update(1, 'paid'));
      await id(page, 'customer-paid').waitFor();
      await fits(page, size, 'customer-paid');
      await page.close();
    });
  });
}

describe('the fit check itself', () => {
  it('catches a page that scrolls, a button off the window, and a small target', async () => {
    const page = await at([1024, 768], '', '');
    await id(page, 'amount').waitFor();
    await page.evaluate(() => {
      const tall = document.createElement('div');
      tall.style.height = '2000px';
      document.body.append(tall);
      const b = document.createElement('button');
      b.textContent = 'Far';
      Object.assign(b.style, { position: 'fixed', left: '1100px', top: '10px', width: '60px', height: '60px' });
      document.body.append(b);
      const s = document.createElement('button');
      s.textContent = 'x';
      Object.assign(s.style, { position: 'fixed', left: '10px', top: '10px', width: '20px', height: '20px' });
      document.body.append(s);
    });
    const found = await misfits(page);
    assert.ok(found.some((f) => f.startsWith('the page scrolls')), found.join('\n'));
    assert.ok(found.some((f) => f.startsWith('button "Far" is outside the window')), found.join('\n'));
    assert.ok(found.some((f) => f === 'button "x" is 20x20 px, under 44'), found.join('\n'));
    await page.close();
  });
});
