import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { SALE_UPDATED } from '../src/lib/bindings/events';
import App from '../src/App.svelte';
import { useLanguage } from '../src/lib/i18n.svelte';
import { renewalSettings } from '../src/lib/renewal';

afterEach(async () => {
  cleanup();
  clearMocks();
  await useLanguage('en');
});

const info = {
  version: '0.1.0', demo: true, data_dir: '/d', network: 'regtest', shop_name: 'Corner Café',
  currency: 'USD', currency_exponent: 2, terminal: 'till-1',
};

function backend(extra: Record<string, (args: unknown) => unknown> = {}) {
  mockIPC(
    (cmd, args) => {
      const handlers: Record<string, (args: unknown) => unknown> = {
        app_info: () => info,
        pending_alerts: () => [],
        gateway_ready: () => ({ ready: true, message: 'ok' }),
        ...extra,
      };
      const h = handlers[cmd];
      if (!h) throw `unexpected command ${cmd}`;
      return h(args);
    },
    { shouldMockEvents: true },
  );
}

describe('the cashier window', () => {
  it('opens on the keypad with the DEMO banner and the shop name', async () => {
    backend();
    render(App);
    // The whole sentence, read aloud and in the title; a narrow window shows only its short form.
    const banner = await screen.findByTestId('demo-banner');
    expect(banner).toHaveProperty('title', 'DEMO: no real money');
    expect(banner.querySelector('.long')).toHaveProperty('textContent', 'DEMO: no real money');
    expect(screen.getByText('Corner Café')).toBeTruthy();
    expect((await screen.findByTestId('amount')).textContent).toContain('0.00');
    expect((await screen.findByTestId('readiness')).textContent).toContain('Gateway ready');
  });

  it('types with the on-screen keys and the keyboard', async () => {
    backend();
    render(App);
    await screen.findByTestId('amount');
    await fireEvent.click(screen.getByTestId('key-1'));
    await fireEvent.click(screen.getByTestId('key-2'));
    await fireEvent.keyDown(window, { key: '.' });
    await fireEvent.keyDown(window, { key: '5' });
    expect(screen.getByTestId('amount').textContent).toContain('12.50');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByTestId('amount').textContent).toContain('0.00');
  });

  it('shows a refused amount on the keypad', async () => {
    backend({
      charge: () => {
        throw { code: 'bad_input', message: 'the amount must be more than zero' };
      },
    });
    render(App);
    await screen.findByTestId('amount');
    await fireEvent.click(screen.getByTestId('key-0'));
    await fireEvent.keyDown(window, { key: 'Enter' });
    expect((await screen.findByTestId('keypad-message')).textContent).toBe('the amount must be more than zero');
  });

  it('starting locked, shows the lock and never the keypad before it', async () => {
    let answer: (lock: unknown) => void = () => undefined;
    let asked = false;
    backend({
      lock_state: () => {
        asked = true;
        return new Promise((r) => (answer = r));
      },
    });
    render(App);
    // The shop is read; the lock state is still on its way.
    await vi.waitFor(() => expect(asked).toBe(true));
    await tick();
    expect(screen.queryByTestId('amount')).toBeNull();
    expect(screen.queryByTestId('nav-manager')).toBeNull();
    expect(screen.getByText('Starting…')).toBeTruthy();
    answer({ locked: true, pin_set: true, manager: false, idle_lock_minutes: 5, person: null, manager_person: null });
    await screen.findByTestId('lock-screen');
    expect(screen.queryByTestId('amount')).toBeNull();
  });

  it('a shop in German sees the keypad in German from its first frame, never English first', async () => {
    // Every wording of the top bar's banner and gateway light, as each frame left them.
    const words = new Set<string>();
    const seen = new MutationObserver(() => {
      for (const id of ['demo-banner', 'readiness']) {
        const shown = document.querySelector(`[data-testid="${id}"]`);
        if (shown) words.add(`${id}: ${shown.textContent?.trim()}`);
      }
    });
    seen.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    try {
      backend({ app_info: () => ({ ...info, language: 'de' }) });
      render(App);
      // German's words are loaded once the shop is read; the keypad and the top bar wait for them.
      const charge = await screen.findByTestId('charge', {}, { timeout: 5_000 });
      await screen.findByTestId('readiness');
      expect(charge.textContent).toContain('Kassieren');
      expect(document.documentElement.lang).toBe('de');
    } finally {
      seen.disconnect();
    }
    expect([...words].sort()).toEqual(['demo-banner: DEMO: kein echtes GeldDEMO', 'readiness: Zahlungsanbieter bereit']);
  });

  it('a language chosen on the setup screen stays chosen', async () => {
    backend({ app_info: () => ({ ...info, setup_needed: true, language: '' }) });
    render(App);
    const select = (await screen.findByTestId('setup-language')) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'es' } });
    await vi.waitFor(() => expect(document.documentElement.lang).toBe('es'));
    // Some turns later (the main window's own language effect has had every chance to run).
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(document.documentElement.lang).toBe('es');
    expect(screen.getByText('Te damos la bienvenida a Till')).toBeTruthy();
  });

  it('shows a configuration error as an alert', async () => {
    mockIPC(() => {
      throw { code: 'config', message: 'AURPAY_NETWORK: "x" is not a Bitcoin network' };
    });
    render(App);
    const alert = await screen.findByTestId('startup-error');
    expect(alert.textContent).toContain('AURPAY_NETWORK: "x" is not a Bitcoin network');
    // Nothing on the top bar, or behind its keys, that could do nothing there.
    for (const button of ['nav-manager', 'nav-history', 'nav-drawer', 'nav-customer', 'nav-lock']) {
      expect(screen.queryByTestId(button)).toBeNull();
    }
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      throw { code: 'config', message: 'AURPAY_NETWORK: "x" is not a Bitcoin network' };
    });
    for (const key of ['F2', 'F3', 'F4', 'F6', 'F9']) await fireEvent.keyDown(window, { key });
    // Only the touch reported for the idle lock, and the page's own event subscriptions.
    expect(asked.filter((cmd) => cmd !== 'activity' && !cmd.startsWith('plugin:event'))).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByTestId('lock-problem')).toBeNull();
  });
});

/** The paid answer of a sale of 1.00, as Rust gives it. */
const paid = {
  receipt_no: 1, label: 'T1', attention: null, status: 'paid', amount: '1.00', currency: 'USD', amount_msat: 1_000_000,
  sats: 1_000, rate: '100000', memo: '', order_id: '1', payment_request: 'lnbcrt10u1xyz', payment_hash: null, pay_url: null,
  created_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T10:00:05.000Z', order_expires_at: '2026-12-01T10:30:00.000Z', paid_at: '2026-12-01T10:00:05.000Z',
  error: null, underpaid: false, partial: false, training: true, replaces: null, bill: null, tender: 'lightning',
  tendered: null, change: null, cashier: null, approved_by: null,
};

describe('the page renewed after a busy stretch', () => {
  const product = { ...renewalSettings };
  afterEach(() => {
    Object.assign(renewalSettings, product);
    vi.useRealTimers();
    location.hash = '';
  });


  it('reloads once the sales are done and the keypad has rested, never with an amount typed', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    renewalSettings.afterSales = 1;
    const reload = vi.fn();
    renewalSettings.reload = reload;
    backend({ charge: () => paid });
    render(App);
    await screen.findByTestId('amount');
    // Before any sale, a long rest renews nothing.
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.afterRestMs);
    expect(reload).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('key-1'));
    await fireEvent.keyDown(window, { key: 'Enter' });
    await fireEvent.click(await screen.findByTestId('next-sale'));
    await screen.findByTestId('amount');
    // An amount typed and left: the page keeps it.
    await fireEvent.click(screen.getByTestId('key-5'));
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.afterRestMs);
    expect(reload).not.toHaveBeenCalled();
    expect(screen.getByTestId('amount').textContent).toContain('5.00');
    // Deleted on screen (a tap, not a key): a minute of quiet on the empty keypad from then,
    // and the page loads afresh, once.
    await fireEvent.click(screen.getByTestId('key-back'));
    await vi.advanceTimersByTimeAsync(renewalSettings.afterRestMs - renewalSettings.checkMs);
    expect(reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.checkMs);
    expect(reload).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.afterRestMs);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('renews the customer display resting between customers, never while one pays', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    renewalSettings.afterSales = 1;
    const reload = vi.fn();
    renewalSettings.reload = reload;
    location.hash = '#customer';
    backend({ current_sale: () => null, current_tip: () => null });
    render(App);
    await vi.advanceTimersByTimeAsync(10);
    expect(screen.getByTestId('customer-idle')).toBeTruthy();
    // No customer yet: a long rest renews nothing.
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.afterRestMs);
    expect(reload).not.toHaveBeenCalled();
    // A customer paying, however long: the display stays.
    await emit(SALE_UPDATED, { sale: { ...paid, status: 'awaiting_payment', paid_at: null }, paid_late: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(screen.getByTestId('customer-paying')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(2 * renewalSettings.afterRestMs);
    expect(reload).not.toHaveBeenCalled();
    // Paid: the result shows for 15 s, then the display rests, and a minute later it renews, once.
    await emit(SALE_UPDATED, { sale: paid, paid_late: false });
    await vi.advanceTimersByTimeAsync(15_000 + renewalSettings.afterRestMs - 2 * renewalSettings.checkMs);
    expect(screen.getByTestId('customer-idle')).toBeTruthy();
    expect(reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4 * renewalSettings.checkMs);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('the customer display', () => {
  afterEach(() => {
    vi.useRealTimers();
    location.hash = '';
  });

  /** The display opened, with fake timers, reading `current` as the sale on now. */
  async function openDisplay(current: unknown) {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    location.hash = '#customer';
    backend({ current_sale: () => current, current_tip: () => null });
    render(App);
    await vi.advanceTimersByTimeAsync(10);
  }

  it("speaks the display's language from its first word, never English first", async () => {
    location.hash = '#customer';
    backend({ app_info: () => ({ ...info, customer_language: 'fr' }), current_sale: () => null, current_tip: () => null });
    render(App);
    // Nothing on screen until French's words are in.
    expect(screen.queryByTestId('customer-idle')).toBeNull();
    expect(screen.getByTestId('customer-display').textContent?.trim()).toBe('');
    const idle = await screen.findByTestId('customer-idle', {}, { timeout: 5_000 });
    expect(idle.textContent).toContain('Payez avec Bitcoin Lightning');
    expect(document.documentElement.lang).toBe('fr');
    // Listening and caught up after the wait for the words, as before it.
    await vi.waitFor(() => expect(screen.getByTestId('customer-display').hasAttribute('data-ready')).toBe(true));
  });

  it('loaded just after a sale was paid, shows the result for what is left of its 15 s', async () => {
    // Paid 10 s before the display loaded (a renewal, or the owner opening it at that moment).
    await openDisplay({ ...paid, updated_at: new Date(Date.now() - 10_000).toISOString() });
    expect(screen.getByTestId('customer-paid')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(4_500);
    expect(screen.getByTestId('customer-paid')).toBeTruthy();
    // 5 s after it loaded, 15 s after the payment: the display rests for the next customer.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(screen.getByTestId('customer-idle')).toBeTruthy();
  });

  it('loaded with under a second of a result left, rests at once rather than blink it', async () => {
    await openDisplay({ ...paid, updated_at: new Date(Date.now() - 14_500).toISOString() });
    expect(screen.getByTestId('customer-idle')).toBeTruthy();
    expect(screen.queryByTestId('customer-paid')).toBeNull();
  });

  it('shows a result heard while open for the whole 15 s, whatever time the sale carries', async () => {
    await openDisplay(null);
    // The fixture's time is days old: an update heard is news now.
    await emit(SALE_UPDATED, { sale: paid, paid_late: false });
    await vi.advanceTimersByTimeAsync(14_900);
    expect(screen.getByTestId('customer-paid')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(200);
    expect(screen.getByTestId('customer-idle')).toBeTruthy();
  });
});
