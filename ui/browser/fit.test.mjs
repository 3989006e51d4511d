// Every screen fits the window it is given (issue 18): a tablet (1024x768), two small laptops
// (1280x720, 1366x768) and a full-HD screen (1920x1080), in Debian's Chromium with the mocked IPC.
//
// On each screen at each size: the page and the screen's own area do not scroll; every visible
// control lies inside the window and is not cut by a box around it (a control inside a list
// that scrolls on purpose, as the history's or a long cart's, needs only its list on screen);
// no button's label is wider than its button; every button, tab and field is at least 44 px
// tall and wide (a checkbox or radio counts by its label); the invoice's QR is whole. A
// screenshot of each is kept in target/ui-screenshots/fit-*.png.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { id, managerTabs, open, rungUpElsewhere, shots, typePin } from './harness.mjs';
import { join } from 'node:path';

const SIZES = [
  [1024, 768],
  [1280, 720],
  [1366, 768],
  [1920, 1080],
];
const TOUCH = 44;

const catalog = `
  window.__mock.state.items = Array.from({ length: 24 }, (_, i) => ({
    id: i + 1, sku: 'SKU' + (i + 1), name: ['Espresso', 'Cappuccino', 'Sesame bagel with cream cheese', 'Flat white'][i % 4] + ' ' + (i + 1),
    category: ['Coffee', 'Food', 'Drinks'][i % 3], price: (2 + (i % 7) * 0.5).toFixed(2), tax_rate: '0', tax_included: true,
    barcode: null, label: null, colour: null, active: true,
  }));`;


async function charge(page, keys) {
  await id(page, 'amount').waitFor();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Enter');
  await id(page, 'qr').locator('svg').waitFor();
}

/** What does not fit on the page as it is now, one line per fault; empty when all fits. */
export async function faults(page, touch = TOUCH) {
  return page.evaluate((touch) => {
    const out = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const name = (el) => {
      const words = ['BUTTON', 'A'].includes(el.tagName) ? el.innerText?.trim().slice(0, 30) : '';
      const t = el.dataset?.testid ?? el.getAttribute('aria-label') ?? words ?? '';
      return `${el.tagName.toLowerCase()}${t ? `[${t}]` : ''}`;
    };
    const shown = (el) => {
      if (el.getClientRects().length === 0) return false;
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
      }
      return true;
    };
    const scrolls = (el) => {
      const s = getComputedStyle(el);
      return /(auto|scroll)/.test(s.overflowY + s.overflowX) && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
    };
    const clips = (el) => /(auto|scroll|hidden|clip)/.test(getComputedStyle(el).overflowY + getComputedStyle(el).overflowX);

    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollHeight > vh + 1) out.push(`the page scrolls: ${doc.scrollHeight} px tall in ${vh}`);
    if (doc.scrollWidth > vw + 1) out.push(`the page scrolls sideways: ${doc.scrollWidth} px wide in ${vw}`);
    for (const m of document.querySelectorAll('main, [role="dialog"], dialog[open]')) {
      if (!shown(m)) continue;
      if (m.scrollHeight > m.clientHeight + 1) out.push(`${name(m)} scrolls: ${m.scrollHeight} px of content in ${m.clientHeight}`);
    }

    const controls = [...document.querySelectorAll('button, input, select, textarea, a[href], [role="tab"], [role="button"]')].filter(shown);
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      // A control in a list that scrolls on purpose (not the screen itself) needs its list on screen.
      let list = null;
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        if (e.tagName === 'MAIN') break;
        if (scrolls(e)) {
          list = e;
          break;
        }
      }
      const box = list ? list.getBoundingClientRect() : r;
      if (box.left < -0.5 || box.top < -0.5 || box.right > vw + 0.5 || box.bottom > vh + 0.5) {
        out.push(`${name(list ?? el)} is outside the window: ${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)}`);
        continue;
      }
      if (!list) {
        for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
          if (!clips(e)) continue;
          const c = e.getBoundingClientRect();
          if (r.left < c.left - 0.5 || r.top < c.top - 0.5 || r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5) {
            out.push(`${name(el)} is cut by ${name(e)}: ${Math.round(r.top)}-${Math.round(r.bottom)} in ${Math.round(c.top)}-${Math.round(c.bottom)}`);
            break;
          }
        }
      }
      const kind = el.getAttribute('type');
      let target = r;
      if (el.tagName === 'INPUT' && (kind === 'checkbox' || kind === 'radio')) {
        const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
        if (!label) {
          out.push(`${name(el)} has no label to touch`);
          continue;
        }
        target = label.getBoundingClientRect();
      }
      if (el.tagName === 'INPUT' && kind === 'hidden') continue;
      if (target.height < touch - 0.5 || target.width < touch - 0.5) {
        out.push(`${name(el)} is ${Math.round(target.width)}x${Math.round(target.height)} px, under ${touch}`);
      }
      if ((el.tagName === 'BUTTON' || el.getAttribute('role') === 'tab') && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${name(el)}'s label is wider than it: ${el.scrollWidth} in ${el.clientWidth}`);
      }
    }
    const qr = document.querySelector('[data-testid="qr"] svg');
    if (qr && shown(qr)) {
      const r = qr.getBoundingClientRect();
      if (r.top < 0 || r.left < 0 || r.bottom > vh + 0.5 || r.right > vw + 0.5) out.push(`the QR is cut: ${Math.round(r.top)}-${Math.round(r.bottom)} in ${vh}`);
      for (let e = qr.parentElement; e && e !== document.body; e = e.parentElement) {
        if (!clips(e)) continue;
        const c = e.getBoundingClientRect();
        if (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5 || r.left < c.left - 0.5 || r.right > c.right + 0.5) {
          out.push(`the QR is cut by ${name(e)}`);
          break;
        }
      }
      if (r.width < 160) out.push(`the QR is ${Math.round(r.width)} px wide, too small to scan`);
    }
    return out;
  }, touch);
}

async function fits(page, screen, [w, h]) {
  // Fonts, transitions and the QR settle before measuring.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(50);
  await page.screenshot({ path: join(shots, `fit-${screen}-${w}x${h}.png`) });
  assert.deepEqual(await faults(page), [], `${screen} at ${w}x${h}`);
}

async function sized(size, setup = '', hash = '') {
  const page = await open(hash, setup);
  await page.setViewportSize({ width: size[0], height: size[1] });
  return page;
}

for (const size of SIZES) {
  describe(`every screen fits ${size[0]}x${size[1]}`, () => {
    it('setup and the lock', async () => {
      const page = await sized(size, 'window.__mock.state.info.setup_needed = true; window.__mock.state.pin = null;');
      await id(page, 'setup').waitFor();
      await fits(page, 'setup', size);
      await page.close();
      const locked = await sized(size, 'window.__mock.state.locked = true;');
      await id(locked, 'lock-screen').waitFor();
      await fits(locked, 'lock', size);
      await locked.close();
    });

    it('the keypad, the invoice, paid and timed out', async () => {
      const page = await sized(size);
      await id(page, 'amount').waitFor();
      await fits(page, 'keypad', size);
      await charge(page, ['1', '2', '.', '5']);
      await fits(page, 'invoice', size);
      await id(page, 'toggle-qr').click();
      await fits(page, 'invoice-pay-page', size);
      await page.keyboard.press('Escape');
      await id(page, 'confirm-cancel').waitFor();
      await fits(page, 'invoice-confirm-cancel', size);
      await page.keyboard.press('Escape');
      await page.evaluate(() => window.__mock.update(1, 'paid'));
      await id(page, 'paid-screen').waitFor();
      await fits(page, 'paid', size);
      await page.keyboard.press('Enter');
      await charge(page, ['4']);
      await page.evaluate(() => window.__mock.update(2, 'timed_out'));
      await id(page, 'timed-out-screen').waitFor();
      await fits(page, 'timed-out', size);
      await page.evaluate(() => window.__mock.update(2, 'paid_late'));
      await id(page, 'paid-late-alert').waitFor();
      await fits(page, 'paid-late-alert', size);
      await page.close();
    });

    it('the catalog with a long cart, the tip', async () => {
      const page = await sized(size, `${catalog} window.__mock.state.settings.tips = true;`);
      await id(page, 'item-SKU1').waitFor();
      await fits(page, 'catalog', size);
      for (let i = 1; i <= 14; i++) await id(page, `item-SKU${i}`).click();
      await fits(page, 'long-cart', size);
      await id(page, 'cart-charge').click();
      await id(page, 'tip-screen').waitFor();
      await fits(page, 'tip', size);
      await page.close();
    });

    it('history, the drawer and cash', async () => {
      const page = await sized(size);
      for (let n = 1; n <= 12; n++) {
        await charge(page, [String(n % 9 + 1)]);
        await page.evaluate((n) => window.__mock.update(n, 'paid'), n);
        await id(page, 'paid-screen').waitFor();
        await page.keyboard.press('Enter');
      }
      await page.keyboard.press('F2');
      await id(page, 'history-list').waitFor();
      await id(page, 'history-list').getByRole('button').first().click();
      await id(page, 'timeline').waitFor();
      await fits(page, 'history', size);
      await page.keyboard.press('F6');
      await id(page, 'float').waitFor();
      await fits(page, 'drawer-closed', size);
      await id(page, 'float').fill('100');
      await id(page, 'open-shift').click();
      await id(page, 'move-amount').waitFor();
      await fits(page, 'drawer-open', size);
      await id(page, 'nav-drawer').click();
      await id(page, 'amount').waitFor();
      await page.keyboard.press('7');
      await page.keyboard.press('F7');
      await id(page, 'cash-dialog').waitFor();
      await id(page, 'cash-tendered').fill('10');
      await fits(page, 'cash', size);
      await page.close();
    });

    it('every manager tab', async () => {
      const page = await sized(size);
      await id(page, 'amount').waitFor();
      await page.keyboard.press('F4');
      await id(page, 'pin-prompt').waitFor();
      await fits(page, 'pin-prompt', size);
      await typePin(page, 'prompt-pin', '2468');
      const tabs = await managerTabs(page);
      for (const tab of tabs) {
        await id(page, tab).click();
        await page.waitForLoadState('networkidle');
        await fits(page, `manager-${tab}`, size);
        if (tab !== 'tab-settings') continue;
        for (const section of ['selling', 'till', 'pin']) {
          await id(page, `settings-section-${section}`).click();
          await fits(page, `manager-settings-${section}`, size);
        }
      }
      await page.close();
    });

    it('the customer display: idle, paying, paid', async () => {
      const page = await sized(size, '', '#customer');
      await id(page, 'customer-idle').waitFor();
      await fits(page, 'customer-idle', size);
      await rungUpElsewhere(page);
      await id(page, 'customer-paying').waitFor();
      await fits(page, 'customer-paying', size);
      await page.evaluate(() => window.__mock.update(1, 'paid'));
      await id(page, 'customer-paid').waitFor();
      await fits(page, 'customer-paid', size);
      await page.close();
    });
  });
}

describe('the fit check itself', () => {
  it('catches a button below the window, a cut QR, a small target and a scrolling page', async () => {
    const page = await sized([1024, 768]);
    await charge(page, ['5']);
    await page.evaluate(() => {
      const low = document.createElement('button');
      low.textContent = 'Too low';
      low.style.cssText = 'position:fixed;top:760px;left:10px;height:48px;width:120px';
      const tiny = document.createElement('button');
      tiny.textContent = 'x';
      tiny.dataset.testid = 'tiny';
      tiny.style.cssText = 'position:fixed;top:10px;left:400px;height:20px;width:20px;min-height:0;min-width:0;padding:0';
      const tall = document.createElement('div');
      tall.style.cssText = 'height:3000px';
      document.body.append(low, tiny, tall);
      const qr = document.querySelector('[data-testid="qr"] svg');
      qr.style.cssText = 'position:fixed;top:700px;left:10px;width:200px;height:200px';
    });
    const found = (await faults(page)).join('\n');
    assert.match(found, /the page scrolls/);
    assert.match(found, /button\[Too low\] is outside the window/);
    assert.match(found, /button\[tiny\] is 20x20 px, under 44/);
    assert.match(found, /the QR is cut/);
    await page.close();
  });
});
