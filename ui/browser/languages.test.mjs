// The shop's language in the built UI, in Debian's Chromium with the mocked IPC.
//
// The pseudo-locale `en-XA` wraps every catalog word in ⟦ ⟧ and accents it; every screen is
// visited in it, and any visible text or label with plain letters outside the brackets fails,
// unless it is the shop's own data (names, items, codes) or a key cap. Then German, the longest
// words, on every screen at a tablet's width: no button's label may overflow or be cut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, id, managerTabs, open, rungUpElsewhere, typePin } from './harness.mjs';

/** The fixture's own data and the words that are the same in every language: not catalog text. */
const DATA = [
  'Corner Café', 'Espresso', 'Cappuccino', 'Sesame bagel with cream cheese', 'Bagel', 'Coffee', 'Food',
  'Owner', 'Ana', 'Max', 'CHE-123.456.789 MWST', 'Swiss Franc', 'US Dollar', 'Euro',
  'English', 'Español', 'Português (Brasil)', 'Deutsch', 'Français',
  'till-1', 'regtest', 'bitcoin', 'testnet', 'signet', 'USD', 'CHF', 'EUR', 'BTC', 'PDF', 'QR', 'ESP', 'CAP', 'BAG',
  'Europe/Zurich', 'https://dashboard.aurpay.net', 'dashboard.aurpay.net', '/home/shop/.local/share/till',
  'lnbcrt1', 'AURPAY_NETWORK', 'AURPAY_BASE_URL', 'till pin reset', 'tcp://HOST:9100', '/dev/usb/lp0',
  // What the settings parser reads, shown as the example to type (the same in every language).
  '21% included', '8.375% added', 'none', '10,15,20',
  // Code pages and paper, as printers name them.
  'PC858', 'WPC1252', 'PC850', 'PC437', 'CP858', 'CP1252', 'CP850', 'CP437',
];

const catalog = `
  window.__mock.state.items = [
    { id: 1, sku: 'ESP', name: 'Espresso', category: 'Coffee', price: '2.50', tax_rate: '0', tax_included: true, barcode: null, label: null, colour: null, active: true },
    { id: 3, sku: 'BAG', name: 'Sesame bagel with cream cheese', category: 'Food', price: '3.00', tax_rate: '0', tax_included: true, barcode: null, label: 'Bagel', colour: null, active: true },
  ];`;

/** Every visible text and label on the page with letters that came from no catalog. */
async function strays(page) {
  return page.evaluate((data) => {
    const shown = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
      }
      return el.getClientRects().length > 0;
    };
    // Key caps, commands, the QR, and a sentence Rust wrote (a refusal's reason, marked
    // data-words="rust": the one kind of text the catalogs do not hold yet).
    const skip = (el) => el.closest('kbd, code, svg, [data-testid="qr"], option:not(:checked), [data-words="rust"]');
    const found = [];
    const judge = (text, where) => {
      // Innermost brackets first (a message may hold another); a message cut in two by markup
      // (a <code> inside it) leaves an open bracket at one node's end and its close at the next.
      let rest = text;
      for (let before = ''; before !== rest; ) {
        before = rest;
        rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
      }
      rest = rest.replace(/⟦[^⟧]*$/, ' ').replace(/^[^⟦]*⟧/, ' ');
      for (const d of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(' ');
      // Receipt and report labels (T1, TZ2, Z1), a lone letter, numbers and units are no words.
      rest = rest.replace(/\b(T?Z?|TS?)\d+\b/g, ' ').replace(/\b(AM|PM)\b/g, ' ');
      // Month names are Intl's (the pseudo-locale formats dates as English).
      rest = rest.replace(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g, ' ');
      if (/[A-Za-zÀ-ÿ]{2,}/.test(rest)) found.push(`${where}: ${JSON.stringify(text.trim())}`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent.trim() || skip(el) || !shown(el)) continue;
      judge(n.textContent, el.tagName.toLowerCase());
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (skip(el) || !shown(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v) judge(v, `${el.tagName.toLowerCase()}[${a}]`);
      }
    }
    for (const el of document.body.querySelectorAll('input[type="submit"], input[type="button"]')) judge(el.value, 'input');
    return found;
  }, DATA);
}

/** No stray words here; then the usual axe check and a screenshot. */
async function allFromCatalogs(page, name) {
  const found = await strays(page);
  assert.deepEqual(found, [], `${name}: words from no catalog`);
  await check(page, `pseudo-${name}`);
}

async function charge(page, keys) {
  await id(page, 'amount').waitFor();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Enter');
  await id(page, 'qr').locator('svg').waitFor();
}


const pseudo = `window.__mock.state.info.language = 'en-XA';`;

describe('the pseudo-locale: every word on every screen from a catalog', () => {
  it('setup, then the keypad, the catalog and the cart', async () => {
    const page = await open('', `${pseudo} window.__mock.state.info.setup_needed = true;`);
    await id(page, 'setup').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-XA');
    await allFromCatalogs(page, 'setup');
    await page.close();

    const selling = await open('', `${pseudo} ${catalog}`);
    await id(selling, 'item-ESP').waitFor();
    await allFromCatalogs(selling, 'catalog');
    await id(selling, 'item-ESP').click();
    await id(selling, 'item-BAG').click();
    await allFromCatalogs(selling, 'cart');
    // A discount above the limit: the dialog, then the manager's PIN asked for.
    await id(selling, 'order-discount').click();
    await id(selling, 'discount-input').waitFor();
    await allFromCatalogs(selling, 'discount');
    await id(selling, 'discount-input').fill('50%');
    await id(selling, 'discount-apply').click();
    await id(selling, 'prompt-pin-input').waitFor();
    await allFromCatalogs(selling, 'pin-prompt');
    await typePin(selling, 'prompt-pin', '2468');
    await selling.close();

    // The customer's tip, asked before the QR.
    const tipping = await open('', `${pseudo} ${catalog} window.__mock.state.settings.tips = true;`);
    await id(tipping, 'item-ESP').click();
    await id(tipping, 'cart-charge').click();
    await id(tipping, 'tip-screen').waitFor();
    await allFromCatalogs(tipping, 'tip');
    await tipping.close();
  });

  it('the keypad, the invoice with the card armed, paid, timed out, the alert', async () => {
    const page = await open('', pseudo);
    await id(page, 'amount').waitFor();
    await allFromCatalogs(page, 'keypad');
    await charge(page, ['1', '2', '.', '5']);
    await id(page, 'tap-card').click();
    await allFromCatalogs(page, 'invoice');
    await page.keyboard.press('Escape');
    await id(page, 'confirm-cancel').waitFor();
    await allFromCatalogs(page, 'invoice-confirm-cancel');
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'paid-screen').waitFor();
    await allFromCatalogs(page, 'paid');
    await page.keyboard.press('Enter');
    await charge(page, ['4']);
    await page.evaluate(() => window.__mock.update(2, 'timed_out'));
    await id(page, 'timed-out-screen').waitFor();
    await allFromCatalogs(page, 'timed-out');
    await page.evaluate(() => window.__mock.update(2, 'paid_late'));
    await id(page, 'paid-late-alert').waitFor();
    await allFromCatalogs(page, 'paid-late-alert');
    await page.close();
  });

  it('history, the drawer with a cash sale, the lock screen', async () => {
    const page = await open('', pseudo);
    await charge(page, ['3']);
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('F2');
    await id(page, 'history-list').waitFor();
    await id(page, 'history-list').getByRole('button').first().click();
    await id(page, 'timeline').waitFor();
    await allFromCatalogs(page, 'history');
    await page.keyboard.press('F6');
    await id(page, 'float').waitFor();
    await allFromCatalogs(page, 'drawer-closed');
    await id(page, 'float').fill('100');
    await id(page, 'open-shift').click();
    await id(page, 'move-amount').waitFor();
    await allFromCatalogs(page, 'drawer-open');
    // A cash sale from the keypad, in the open shift.
    await id(page, 'nav-drawer').click();
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('Enter');
    await id(page, 'amount').waitFor();
    await page.keyboard.press('7');
    await page.keyboard.press('F7');
    await id(page, 'cash-dialog').waitFor();
    await id(page, 'cash-tendered').fill('10');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="cash-dialog"]')?.textContent ?? ''));
    await allFromCatalogs(page, 'cash');
    await page.keyboard.press('Escape');
    await id(page, 'cash-dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('F9');
    await id(page, 'lock-screen').waitFor();
    await allFromCatalogs(page, 'lock');
    await page.close();
  });

  it('every manager tab', async () => {
    const page = await open('', pseudo);
    await id(page, 'amount').waitFor();
    await page.keyboard.press('F4');
    await typePin(page, 'prompt-pin', '2468');
    const tabs = await managerTabs(page);
    for (const tab of tabs) {
      await id(page, tab).click();
      await page.waitForTimeout(0);
      await page.waitForLoadState('networkidle');
      await allFromCatalogs(page, `manager-${tab}`);
      if (tab !== 'tab-settings') continue;
      for (const section of ['selling', 'till', 'pin']) {
        await id(page, `settings-section-${section}`).click();
        await allFromCatalogs(page, `manager-settings-${section}`);
      }
    }
    await page.close();
  });

  it('the customer display: idle, the tip, paying, paid', async () => {
    const page = await open('#customer', pseudo);
    await id(page, 'customer-idle').waitFor();
    await allFromCatalogs(page, 'customer-idle');
    await rungUpElsewhere(page);
    await id(page, 'customer-paying').waitFor();
    await allFromCatalogs(page, 'customer-paying');
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'customer-paid').waitFor();
    await allFromCatalogs(page, 'customer-paid');
    await page.close();
  });

  it('finds a word that skipped the catalogs', async () => {
    // The check itself: an English word put on the screen by hand is caught.
    const page = await open('', pseudo);
    await id(page, 'amount').waitFor();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Charge now';
      document.querySelector('main')?.append(p);
    });
    assert.deepEqual(await strays(page), ['p: "Charge now"']);
    await page.close();
  });
});

describe('German, the longest words', () => {
  for (const [width, height] of [[1024, 768], [1280, 800]]) {
    it(`no button's label overflows at ${width}x${height}`, async () => {
      const page = await open('', `window.__mock.state.info.language = 'de'; ${catalog}`);
      await page.setViewportSize({ width, height });
      await id(page, 'item-ESP').click();
      const overflowing = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('button, [role="tab"], .tab')]
            .filter((b) => b.getClientRects().length > 0)
            .filter((b) => b.scrollWidth > b.clientWidth + 1)
            .map((b) => b.innerText.trim()),
        );
      assert.match(await id(page, 'cart-charge').innerText(), /[Kk]assieren/);
      assert.deepEqual(await overflowing(), [], 'selling');
      await check(page, `de-selling-${width}`);
      await id(page, 'cart-charge').click();
      await id(page, 'qr').locator('svg').waitFor();
      assert.deepEqual(await overflowing(), [], 'invoice');
      await check(page, `de-invoice-${width}`);
      await page.evaluate(() => window.__mock.update(1, 'paid'));
      await id(page, 'paid-screen').waitFor();
      assert.deepEqual(await overflowing(), [], 'paid');
      await page.keyboard.press('F4');
      await typePin(page, 'prompt-pin', '2468');
      await id(page, 'manager').waitFor();
      const tabs = await page.locator('[data-testid="manager"] [data-testid^="tab-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
      for (const tab of tabs) {
        await id(page, tab).click();
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await overflowing(), [], `manager ${tab}`);
      }
      await check(page, `de-manager-${width}`);
      await page.close();
    });
  }
});
