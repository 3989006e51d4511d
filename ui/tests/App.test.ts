import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../src/App.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('App', () => {
  it('shows the DEMO banner and the till information in demo mode', async () => {
    mockIPC(() => ({ version: '0.1.0', demo: true, data_dir: '/data/till', network: 'bitcoin' }));
    render(App);
    expect(await screen.findByTestId('demo-banner')).toHaveProperty(
      'textContent',
      'DEMO: training sales only, no real money',
    );
    expect(screen.getByTestId('mode').textContent).toMatch(/^Demo/);
    expect(screen.getByTestId('data-dir').textContent).toBe('/data/till');
  });

  it('has no DEMO banner in live mode', async () => {
    mockIPC(() => ({ version: '0.1.0', demo: false, data_dir: '/d', network: 'bitcoin' }));
    render(App);
    expect((await screen.findByTestId('mode')).textContent).toBe('Live (Aurpay)');
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });

  it('shows the configuration error as an alert', async () => {
    mockIPC(() => {
      throw { code: 'config', message: 'AURPAY_NETWORK: "x" is not a Bitcoin network' };
    });
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('AURPAY_NETWORK: "x" is not a Bitcoin network');
    expect(screen.queryByTestId('app-info')).toBeNull();
  });
});
