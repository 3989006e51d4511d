// Selling from the catalog in Debian's Chromium with the mocked IPC: category tabs, search, a
// scanner's Enter, the cart's quantity keys and discounts (one above the limit takes the PIN),
// the tip on both screens, the receipt's lines, and the owner's catalog screen. Each screen is
// checked with axe and photographed at a laptop's size and a tablet's. The mock prices carts
// without tax (its catalog has none); the tax table is shown from a bill priced by Rust (the
// figures of `till charge --item ESPx2 --item BAG --discount 10% --tip 15%` in till-cli's tests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, id, open } from './harness.mjs';

async function typePin(page, testid, pin) {
  await id(page, `${testid}-input`).fill(pin);
  await id(page, `${testid}-ok`).click();
}

const catalog = `
  window.__mock.state.items = [
    { id: 1, sku: 'ESP', name: 'Espresso', category: 'Coffee', price: '2.50', tax_rate: '0', tax_included: true, barcode: '4006381333931', label: null, colour: '#92400e', active: true },
    { id: 2, sku: 'CAP', name: 'Cappuccino', category: 'Coffee', price: '3.50', tax_rate: '0', tax_included: true, barcode: null, label: null, colour: null, active: true },
    { id: 3, sku: 'BAG', name: 'Sesame bagel with cream cheese', category: 'Food', price: '3.00', tax_rate: '0', tax_included: true, barcode: null, label: 'Bagel', colour: '#15803d', active: true },
    { id: 4, sku: 'OLD', name: 'Retired tea', category: 'Coffee', price: '1.00', tax_rate: '0', tax_included: true, barcode: null, label: null, colour: null, active: false },
  ];`;

describe('selling from the catalog', () => {
  it('tabs, search, taps, the quantity key and a scan build a priced cart', async () => {
    const page = await open('', catalog);
    await id(page, 'item-ESP').waitFor();
    // Inactive items are not for sale.
    assert.equal(await id(page, 'item-OLD').count(), 0);
    await id(page, 'item-ESP').click();
    await id(page, 'item-ESP').click();
    await id(page, 'qty-3').click();
    await id(page, 'item-BAG').click();
    assert.equal(await id(page, 'cart-line-0').getByText('Espresso').count(), 1);
    assert.match(await id(page, 'cart-line-1').innerText(), /Sesame bagel/);
    assert.equal(await id(page, 'cart-total').innerText(), '14.00 USD');

    // The Food tab shows its items only; a search narrows as it is typed.
    await id(page, 'tab-Food').click();
    await id(page, 'item-BAG').waitFor();
    assert.equal(await id(page, 'item-ESP').count(), 0);
    await id(page, 'tab-all').click();
    await id(page, 'item-search').fill('capp');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="item-"][data-testid$="ESP"]').length === 0);
    await id(page, 'item-CAP').waitFor();

    // A scanner types the code and Enter: the item is added, and the cart is not charged.
    await id(page, 'item-search').fill('');
    await page.keyboard.type('4006381333931');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="cart-total"]')?.textContent?.startsWith('16.50'));
    assert.equal(await page.evaluate(() => window.__mock.state.sales.length), 0);
    await check(page, 'sell-cart');

    // The selected line's keys: one fewer, then removed.
    // The line last tapped is selected; tapping another line selects that one.
    await id(page, 'cart-line-0').locator('button.pick').click();
    await id(page, 'cart-line-1').locator('button.pick').click();
    await id(page, 'line-minus').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="line-quantity"]')?.textContent === '2');
    await id(page, 'line-remove').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="cart-total"]')?.textContent?.startsWith('7.50'));

    await page.setViewportSize({ width: 800, height: 1280 });
    await check(page, 'sell-cart-tablet-portrait');
    await page.setViewportSize({ width: 1024, height: 768 });
    await check(page, 'sell-cart-tablet');
    await page.close();
  });

  it('a discount above the limit asks for the PIN; a refused one says why and changes nothing', async () => {
    const page = await open('', catalog);
    await id(page, 'item-CAP').click();
    await id(page, 'order-discount').click();
    await id(page, 'discount-input').fill('5.00');
    await id(page, 'discount-apply').click();
    assert.match(await id(page, 'cart-message').innerText(), /more than the subtotal/);
    assert.equal(await id(page, 'cart-total').innerText(), '3.50 USD');

    await id(page, 'order-discount').click();
    await check(page, 'sell-discount');
    await id(page, 'discount-input').fill('50%');
    await id(page, 'discount-apply').click();
    await id(page, 'pin-prompt').waitFor();
    await typePin(page, 'prompt-pin', '2468');
    await page.waitForFunction(() => document.querySelector('[data-testid="cart-total"]')?.textContent?.startsWith('1.75'));
    await page.close();
  });

  it('the customer chooses a tip before the QR, and the receipt shows every line', async () => {
    const page = await open('', `${catalog} window.__mock.state.settings.tips = true;`);
    await id(page, 'item-ESP').click();
    await id(page, 'item-BAG').click();
    await id(page, 'cart-charge').click();
    await id(page, 'tip-screen').waitFor();
    assert.match(await id(page, 'tip-15').innerText(), /15%\s+0\.83 USD/);
    await check(page, 'tip');
    await id(page, 'tip-15').click();
    await id(page, 'qr').locator('svg').waitFor();
    assert.equal(await id(page, 'invoice-amount').innerText(), '6.33 USD');
    await page.evaluate(() => window.__mock.update(1, 'paid'));
    await id(page, 'paid-bill').click();
    const bill = await id(page, 'paid-bill').innerText();
    assert.match(bill, /Espresso/);
    assert.match(bill, /Tip \(15%\)\s+0\.83/);
    await check(page, 'paid-receipt');
    await page.close();
  });

  it('the customer display offers the tip by touch', async () => {
    const page = await open('#customer', catalog);
    await id(page, 'customer-idle').waitFor();
    await page.evaluate(() =>
      window.__mock.emit('tip-asked', {
        total: '5.50',
        currency: 'USD',
        choices: [
          { percent: '10', amount: '0.55' },
          { percent: '15', amount: '0.83' },
          { percent: '20', amount: '1.10' },
        ],
      }),
    );
    await id(page, 'tip-screen').waitFor();
    assert.match(await id(page, 'tip-screen').innerText(), /5\.50 USD/);
    await check(page, 'customer-tip');
    await id(page, 'tip-20').click();
    await page.waitForFunction(() => window.__mock.calls.includes('choose_tip'));
    await id(page, 'customer-idle').waitFor();
    await page.close();
  });

  it('a customer display opened while the tip is asked shows it; the cashier going back hides it', async () => {
    const offer = { total: '2.50', currency: 'USD', choices: [{ percent: '10', amount: '0.25' }] };
    const page = await open('#customer', `${catalog} window.__mock.state.tipOffer = ${JSON.stringify(offer)};`);
    await id(page, 'tip-10').waitFor();
    await page.evaluate(() => window.__mock.emit('tip-asked', null));
    await id(page, 'customer-idle').waitFor();
    await page.close();
  });
});

/** A sale as Rust priced it: 2 × 2.50 incl. 21 % and 3.00 + 8.375 %, 10 % off, a 15 % tip. */
const pricedSale = `
  window.__mock.state.sales.push({
    receipt_no: 1, label: 'T1', attention: null, status: 'paid', amount: '8.54', currency: 'USD', amount_msat: 8_540_000,
    sats: 8_540, rate: '100000', memo: '', order_id: '1', payment_request: 'lnbcrt1', payment_hash: 'ab'.repeat(32),
    pay_url: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), order_expires_at: null, paid_at: new Date().toISOString(),
    error: null, underpaid: false, partial: false, training: true, replaces: null,
    bill: {
      currency: 'USD',
      lines: [
        { name: 'Espresso', sku: 'ESP', category: 'Coffee', quantity: 2, unit: '2.50', amount: '5.00', discount: '0.50',
          line_discount: '0.00', net: '3.72', tax: '0.78', gross: '4.50', tax_rate: '21', tax_included: true },
        { name: 'Bagel', sku: 'BAG', category: 'Food', quantity: 1, unit: '3.00', amount: '3.00', discount: '0.30',
          line_discount: '0.00', net: '2.70', tax: '0.23', gross: '2.93', tax_rate: '8.375', tax_included: false },
      ],
      subtotal: '8.00', discount: '0.80', order_discount: '10%', order_discount_amount: '0.80',
      tax: [
        { rate: '8.375', included: false, net: '2.70', tax: '0.23', gross: '2.93' },
        { rate: '21', included: true, net: '3.72', tax: '0.78', gross: '4.50' },
      ],
      tax_total: '1.01', tip: '1.11', tip_choice: '15%', total: '8.54',
    },
  });`;

describe('receipts', () => {
  it('a sale priced by Rust shows its lines, discount, added tax, tip and tax table', async () => {
    const page = await open('', `${catalog} ${pricedSale}`);
    await id(page, 'item-ESP').waitFor();
    await page.keyboard.press('F2');
    await id(page, 'history-list').getByRole('button').first().click();
    const bill = await id(page, 'bill').first().innerText();
    assert.match(bill, /2 × Espresso/);
    assert.match(bill, /Discount \(10% on the order\)\s*−0\.80/);
    assert.match(bill, /Tax 8\.375% added\s*0\.23/);
    assert.match(bill, /Tip \(15%\)\s*1\.11/);
    assert.match(bill, /Total\s*8\.54 USD/);
    assert.match(await id(page, 'bill-taxes').first().innerText(), /21% incl\.\s*3\.72\s*0\.78\s*4\.50/);
    await check(page, 'receipt-taxes');
    await page.close();
  });
});

describe('a scanner on the keypad', () => {
  it('adds the scanned item and never charges the code as an amount', async () => {
    const page = await open('', catalog);
    await id(page, 'item-CAP').click();
    await id(page, 'tab-keypad').click();
    await id(page, 'amount').waitFor();
    // The scanner's keys, as fast as a scanner sends them (dispatched together, so the test does
    // not depend on how busy the machine is), then Enter.
    await page.evaluate(() => {
      for (const key of [...'4006381333931', 'Enter']) {
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="cart-total"]')?.textContent?.startsWith('6.00'));
    assert.equal(await page.evaluate(() => window.__mock.state.sales.length), 0);
    assert.match(await id(page, 'amount').innerText(), /0\.00/);
    // A person typing an amount and Enter still charges it, added to the cart.
    for (const k of ['1', '.', '5', '0']) {
      await page.keyboard.press(k);
      await page.waitForTimeout(60);
    }
    assert.match(await id(page, 'amount').innerText(), /1\.50/);
    await page.close();
  });
});

describe('itemized refunds', () => {
  it('lines picked from a paid cart are given back with the PIN', async () => {
    const page = await open('', catalog);
    await id(page, 'item-ESP').click();
    await id(page, 'item-ESP').click();
    await id(page, 'item-CAP').click();
    await id(page, 'cart-charge').click();
    await id(page, 'simulate').click();
    await id(page, 'paid-screen').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('F2');
    await id(page, 'history-list').getByRole('button').first().click();
    await id(page, 'refund-start').click();
    await id(page, 'refund-line-0').fill('1');
    await id(page, 'refund-reason').fill('one espresso too many');
    await id(page, 'refund-amount-lines').waitFor();
    assert.equal(await id(page, 'refund-amount').count(), 0);
    await check(page, 'refund-lines');
    await id(page, 'refund-confirm').click();
    await typePin(page, 'prompt-pin', '2468');
    assert.match(await id(page, 'refunds').innerText(), /TR1: 2\.50 USD · one espresso too many/);
    await page.close();
  });
});

describe("the owner's catalog", () => {
  it('lists every item, refuses a bad one with the reason, and saves a good one', async () => {
    const page = await open('', catalog);
    await id(page, 'item-ESP').waitFor();
    await page.keyboard.press('F4');
    await id(page, 'pin-prompt').waitFor();
    await typePin(page, 'prompt-pin', '2468');
    await id(page, 'tab-catalog').click();
    await id(page, 'edit-OLD').waitFor();
    await id(page, 'catalog-new').click();
    await id(page, 'item-name').fill('');
    await id(page, 'item-price').fill('2.00');
    await id(page, 'item-save').click();
    assert.equal(await id(page, 'item-error').innerText(), 'the name is empty');
    await id(page, 'item-name').fill('Flat white');
    await id(page, 'item-category').fill('Coffee');
    await id(page, 'item-save').click();
    assert.equal(await id(page, 'catalog-message').innerText(), 'Saved Flat white.');
    await check(page, 'owner-catalog');
    await page.close();
  });
});
