import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../src/App.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
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
    expect(screen.getByTestId('amount').textContent).toContain('0.00');
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

  it('shows a configuration error as an alert', async () => {
    mockIPC(() => {
      throw { code: 'config', message: 'AURPAY_NETWORK: "x" is not a Bitcoin network' };
    });
    render(App);
    const alert = await screen.findByTestId('startup-error');
    expect(alert.textContent).toContain('AURPAY_NETWORK: "x" is not a Bitcoin network');
  });
});
