import { describe, expect, it, vi } from 'vitest';
import { Cashier, screenFor, type Api } from '../src/lib/cashier.svelte';
import { Sell } from '../src/lib/sell.svelte';
import type { SaleUpdated, SaleView } from '../src/lib/ipc';
import { chime } from '../src/lib/sound';

vi.mock('../src/lib/sound', () => ({ chime: vi.fn() }));

function sale(over: Partial<SaleView> = {}): SaleView {
  return {
    receipt_no: 1,
    label: `T${over.receipt_no ?? 1}`,
    attention: null,
    status: 'awaiting_payment',
    amount: '12.50',
    currency: 'USD',
    amount_msat: 12_500_000,
    sats: 12_500,
    rate: '100000',
    memo: '',
    order_id: '20261124000000000001',
    payment_request: 'lnbcrt125u1xyz',
    payment_hash: 'ab'.repeat(32),
    pay_url: 'http://127.0.0.1/#/cashier/1',
    created_at: '2026-11-24T10:00:00.000Z', updated_at: '2026-11-24T10:00:00.000Z',
    order_expires_at: '2026-11-24T10:30:00.000Z',
    paid_at: null,
    error: null,
    underpaid: false,
    partial: false,
    training: true,
    replaces: null,
    bill: null,
    tender: 'lightning',
    tendered: null,
    change: null,
    cashier: 'Ana',
    approved_by: null,
    ...over,
  };
}

function fakeApi(over: Partial<Api> = {}): { api: Api; emit: (u: SaleUpdated) => void } {
  let handler: ((u: SaleUpdated) => void) | null = null;
  const api: Api = {
    appInfo: vi.fn(async () => ({
      version: '0.1.0', demo: true, data_dir: '/d', network: 'regtest', shop_name: 'Corner Café',
      currency: 'USD', currency_exponent: 2, terminal: 'till-1', setup_needed: false, sound: true, language: 'en', customer_language: '',
      keychain_problem: null, tax_number: '',
    })),
    charge: vi.fn(async () => sale()),
    requote: vi.fn(async () => sale({ receipt_no: 2, replaces: 1 })),
    cancelSale: vi.fn(async () => sale({ status: 'cancelled' })),
    checkSale: vi.fn(async () => sale()),
    simulatePayment: vi.fn(async () => sale({ status: 'paid' })),
    pendingAlerts: vi.fn(async () => []),
    acknowledgeAlert: vi.fn(async () => undefined),
    onSaleUpdated: vi.fn(async (h: (u: SaleUpdated) => void) => {
      handler = h;
      return () => (handler = null);
    }),
    chargeCart: vi.fn(async () => sale()),
    cancelTip: vi.fn(async () => undefined),
    onTipChosen: vi.fn(async () => () => undefined),
    cashQuote: vi.fn(async (tendered?: string | null) => {
      if (tendered && Number(tendered) < 7.3) throw { code: 'bad_input', message: `${tendered} USD tendered does not cover the total of 7.30 USD` };
      return { total: '7.30', suggestions: ['7.30', '8.00', '10.00', '20.00'], change: tendered ? '12.70' : null };
    }),
    sellForCash: vi.fn(async (tendered: string) =>
      sale({ status: 'paid', amount: '7.30', tender: 'cash', tendered, change: '12.70', order_id: null, sats: null })),
    ...over,
  };
  return { api, emit: (u) => handler?.(u) };
}

describe('screenFor', () => {
  it('puts every status on its screen', () => {
    expect(screenFor('awaiting_payment')).toBe('invoice');
    expect(screenFor('uncertain')).toBe('invoice');
    expect(screenFor('paid')).toBe('paid');
    expect(screenFor('paid_late')).toBe('paid');
    expect(screenFor('timed_out')).toBe('timed_out');
    expect(screenFor('failed')).toBe('failed');
  });
});

describe('Cashier', () => {
  it('charges what was typed and shows the invoice', async () => {
    const { api } = fakeApi();
    const c = new Cashier(api);
    await c.start();
    for (const k of ['1', '2', '.', '5'] as const) c.press(k);
    c.memo = 'table 4';
    await c.charge();
    expect(api.charge).toHaveBeenCalledWith('12.5', 'table 4');
    expect(c.screen).toBe('invoice');
    expect(c.sale?.receipt_no).toBe(1);
  });

  it('stays on the keypad with the reason when the amount is refused', async () => {
    const { api } = fakeApi({
      charge: vi.fn(async () => {
        throw { code: 'bad_input', message: 'the amount must be more than zero' };
      }),
    });
    const c = new Cashier(api);
    await c.start();
    c.press('0');
    await c.charge();
    expect(c.screen).toBe('keypad');
    expect(c.message).toBe('the amount must be more than zero');
    expect(c.typed).toBe('0');
  });

  it('an answer that comes after the cashier moved on never takes the screen back', async () => {
    // The sale's own update shows it paid first; the cashier taps "Next sale"; only then does
    // the simulated payment's answer arrive: the keypad stays.
    let answer: (s: SaleView) => void = () => undefined;
    const { api, emit } = fakeApi({ simulatePayment: vi.fn(() => new Promise<SaleView>((r) => (answer = r))) });
    const c = new Cashier(api);
    await c.start();
    c.press('5');
    await c.charge();
    const paying = c.simulate();
    emit({ sale: sale({ status: 'paid' }), previous: 'awaiting_payment', paid_late: false });
    expect(c.screen).toBe('paid');
    c.newSale();
    answer(sale({ status: 'paid' }));
    await paying;
    expect(c.screen).toBe('keypad');
    expect(c.sale).toBeNull();
    expect(c.busy).toBe(false);
  });

  it('does not charge nothing', async () => {
    const { api } = fakeApi();
    const c = new Cashier(api);
    await c.start();
    await c.charge();
    expect(api.charge).not.toHaveBeenCalled();
    expect(c.message).toBe('Type an amount first.');
  });

  it('follows pushed updates of the sale on screen, and only that sale', async () => {
    const { api, emit } = fakeApi();
    const c = new Cashier(api);
    await c.start();
    c.press('5');
    await c.charge();
    emit({ sale: sale({ receipt_no: 9, status: 'paid' }), previous: 'awaiting_payment', paid_late: false });
    expect(c.screen).toBe('invoice');
    emit({ sale: sale({ status: 'paid' }), previous: 'awaiting_payment', paid_late: false });
    expect(c.screen).toBe('paid');
    c.newSale();
    expect([c.screen, c.typed, c.sale]).toEqual(['keypad', '', null]);
  });

  it('raises a paid-late alert on any screen until acknowledged', async () => {
    const { api, emit } = fakeApi();
    const c = new Cashier(api);
    await c.start();
    const late = sale({ receipt_no: 4, status: 'paid_late' });
    emit({ sale: late, previous: 'timed_out', paid_late: true });
    emit({ sale: late, previous: 'timed_out', paid_late: true });
    expect(c.alerts.map((a) => a.receipt_no)).toEqual([4]);
    expect(c.screen).toBe('keypad');
    await c.acknowledge(4);
    expect(api.acknowledgeAlert).toHaveBeenCalledWith(4);
    expect(c.alerts).toEqual([]);
  });

  it('sounds an alert read at start or after a lock as one heard as it came, and only once', async () => {
    // A late payment that came while the page loaded (a renewal, a start) is only read.
    vi.mocked(chime).mockClear();
    const late = sale({ receipt_no: 4, status: 'paid_late' });
    const pending = vi.fn(async () => [late]);
    const { api, emit } = fakeApi({ pendingAlerts: pending });
    const c = new Cashier(api);
    await c.start();
    expect(c.alerts.map((a) => a.receipt_no)).toEqual([4]);
    expect(vi.mocked(chime).mock.calls).toEqual([['alert']]);
    // Read again (unlocked, settings saved), nothing new: silent.
    await c.reload();
    emit({ sale: late, previous: 'timed_out', paid_late: true });
    expect(vi.mocked(chime).mock.calls).toEqual([['alert']]);
    // A second one came meanwhile: it sounds.
    pending.mockResolvedValue([late, sale({ receipt_no: 6, status: 'paid_late' })]);
    await c.reload();
    expect(c.alerts.map((a) => a.receipt_no)).toEqual([4, 6]);
    expect(vi.mocked(chime).mock.calls).toEqual([['alert'], ['alert']]);
  });

  it('re-quotes a timed-out sale and cancels back to the keypad', async () => {
    const { api, emit } = fakeApi();
    const c = new Cashier(api);
    await c.start();
    c.press('5');
    await c.charge();
    emit({ sale: sale({ status: 'timed_out' }), previous: 'awaiting_payment', paid_late: false });
    expect(c.screen).toBe('timed_out');
    await c.requote();
    expect(api.requote).toHaveBeenCalledWith(1);
    expect(c.sale?.receipt_no).toBe(2);
    await c.cancel();
    expect(c.screen).toBe('keypad');
    expect(c.message).toMatch(/^Receipt T2 cancelled/);
  });

  it('shows why it could not start', async () => {
    const { api } = fakeApi({
      appInfo: vi.fn(async () => {
        throw { code: 'config', message: 'AURPAY_NETWORK: bad' };
      }),
    });
    const c = new Cashier(api);
    await c.start();
    expect(c.startError?.code).toBe('config');
  });

  it('sells the typed amount for cash: the quick keys, the change from Rust, the paid screen', async () => {
    const { api } = fakeApi();
    const lines: string[] = [];
    const sell = new Sell({
      items: vi.fn(async () => []),
      categories: vi.fn(async () => []),
      cart: vi.fn(async () => ({ lines: [], bill: null, units: 0 })),
      cartChange: vi.fn(async (change) => {
        if (change.kind === 'add_amount') lines.push(change.amount);
        return { lines: lines.map(() => ({ item_id: null, discount: null })), bill: null, units: lines.length };
      }),
      askTip: vi.fn(async () => ({ total: '', currency: 'USD', choices: [] })),
      chooseTip: vi.fn(async () => ({ lines: [], bill: null, units: 0 })),
    });
    const c = new Cashier(api, sell);
    await c.start();
    await c.startCash();
    expect(c.message).toMatch(/amount/);
    expect(c.cash).toBeNull();
    for (const k of ['7', '.', '3'] as const) c.press(k);
    await c.startCash();
    expect(lines).toEqual(['7.3']);
    expect(c.typed).toBe('');
    expect(c.cash?.suggestions[0]).toBe('7.30');
    expect(await c.quoteCash('5')).toMatchObject({ change: null, problem: expect.stringMatching(/does not cover/) });
    expect(await c.quoteCash('20')).toEqual({ change: '12.70', problem: null });
    expect(await c.payCash('20')).toBeNull();
    expect(api.sellForCash).toHaveBeenCalledWith('20', '');
    expect(c.cash).toBeNull();
    expect(c.screen).toBe('paid');
    expect(c.sale?.change).toBe('12.70');
  });

  it('keeps the cash screen up with Rust\'s reason when the sale is refused', async () => {
    const { api } = fakeApi({
      sellForCash: vi.fn(async () => {
        throw { code: 'not_allowed', message: 'no shift is open: open the drawer first' };
      }),
    });
    const c = new Cashier(api);
    c.cash = { total: '7.30', suggestions: ['7.30'], change: null };
    expect(await c.payCash('10')).toMatch(/no shift is open/);
    expect(c.cash).not.toBeNull();
    expect(c.screen).toBe('keypad');
  });
});
