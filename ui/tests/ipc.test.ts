import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { appInfo, TillError, toTillError, whileShown } from '../src/lib/ipc';

afterEach(() => clearMocks());

describe('toTillError', () => {
  it('keeps the code and message of an IpcError from Rust', () => {
    const e = toTillError({ code: 'config', message: 'AURPAY_NETWORK: bad' });
    expect(e).toBeInstanceOf(TillError);
    expect(e.code).toBe('config');
    expect(e.message).toBe('AURPAY_NETWORK: bad');
  });

  it('turns a bare string rejection into an internal error with a sentence', () => {
    const e = toTillError('Command app_nope not found');
    expect(e.code).toBe('internal');
    expect(e.message).toBe('The till could not do that: Command app_nope not found');
  });

  it('never leaves the message empty', () => {
    expect(toTillError(undefined).message).toBe('The till could not do that.');
    expect(toTillError({ code: 1 }).code).toBe('internal');
  });
});

describe('appInfo', () => {
  it('calls the app_info command and returns its answer', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { version: '9.9.9', demo: true, data_dir: '/tmp/x', network: 'regtest' };
    });
    await expect(appInfo()).resolves.toEqual({
      version: '9.9.9',
      demo: true,
      data_dir: '/tmp/x',
      network: 'regtest',
    });
    expect(calls).toEqual(['app_info']);
  });

  it('rejects with a TillError when Rust answers with an error', async () => {
    mockIPC(() => {
      throw { code: 'config', message: 'AURPAY_BASE_URL "x" is not a web address' };
    });
    await expect(appInfo()).rejects.toMatchObject({
      name: 'TillError',
      code: 'config',
      message: 'AURPAY_BASE_URL "x" is not a web address',
    });
  });
});

describe('whileShown', () => {
  /** A listen whose answer the test hands over when it chooses. */
  function pending() {
    let answer: (stop: () => void) => void = () => undefined;
    const listening = new Promise<() => void>((r) => (answer = r));
    return { listening, answer };
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it('stops a listener that arrives after the screen has gone', async () => {
    const { listening, answer } = pending();
    let stopped = 0;
    const leave = whileShown(listening);
    leave();
    answer(() => stopped++);
    await tick();
    expect(stopped).toBe(1);
  });

  it('stops a listener in place when the screen goes, and only once', async () => {
    const { listening, answer } = pending();
    let stopped = 0;
    const leave = whileShown(listening);
    answer(() => stopped++);
    await tick();
    expect(stopped).toBe(0);
    leave();
    leave();
    await tick();
    expect(stopped).toBe(1);
  });

  it('lets a failing stop go without an unhandled rejection', async () => {
    const { listening, answer } = pending();
    const failures: unknown[] = [];
    const record = (e: unknown) => failures.push(e);
    // Node's process (the tests run in Node; the UI's types know no Node).
    type Events = { on(e: string, f: (x: unknown) => void): void; off(e: string, f: (x: unknown) => void): void };
    const process = (globalThis as unknown as { process: Events }).process;
    process.on('unhandledRejection', record);
    try {
      const leave = whileShown(listening);
      answer(() => Promise.reject(new Error('the window is closing')) as unknown as void);
      await tick();
      leave();
      await tick();
      await tick();
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(failures).toEqual([]);
  });

  it('leaves quietly when the listen itself failed', async () => {
    const leave = whileShown(Promise.reject(new Error('no event plugin')));
    await tick();
    expect(() => leave()).not.toThrow();
  });
});
