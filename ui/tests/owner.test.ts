import { describe, expect, it, vi } from 'vitest';
import { Owner, type OwnerApi } from '../src/lib/owner.svelte';
import { TillError } from '../src/lib/ipc';

function api(over: Partial<OwnerApi> = {}): OwnerApi {
  return {
    lockState: vi.fn(async () => ({ locked: false, pin_set: true, manager: false, idle_lock_minutes: 5, person: null, manager_person: null })),
    lock: vi.fn(async () => undefined),
    unlock: vi.fn(async (pin: string) => {
      if (pin !== '2468') throw { code: 'wrong_pin', message: 'wrong PIN (2 more tries before the till makes you wait)' };
      return { id: 1, name: 'Owner', role: 'owner' as const };
    }),
    stepIn: vi.fn(async (pin: string) => {
      if (pin !== '9753') throw { code: 'wrong_pin', message: 'wrong PIN (2 more tries before the till makes you wait)' };
      return { id: 2, name: 'Max', role: 'manager' as const };
    }),
    endManager: vi.fn(async () => undefined),
    ...over,
  };
}

describe('Owner.asManager', () => {
  it('runs a command that needs no PIN straight away', async () => {
    const owner = new Owner(api());
    await expect(owner.asManager(async () => 42)).resolves.toBe(42);
    expect(owner.prompt).toBeNull();
  });

  it('asks for the PIN when Rust says so, keeps wrong PINs in the prompt, then retries', async () => {
    const a = api();
    const owner = new Owner(a);
    let calls = 0;
    const action = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new TillError('pin_required', 'this needs the manager PIN');
      return 'report';
    });
    const result = owner.asManager(action);
    await vi.waitFor(() => expect(owner.prompt).not.toBeNull());
    expect(await owner.prompt!.submit('1111')).toMatch(/wrong PIN/);
    expect(owner.prompt).not.toBeNull();
    expect(await owner.prompt!.submit('2468')).toBeNull();
    await expect(result).resolves.toBe('report');
    expect(action).toHaveBeenCalledTimes(2);
    expect(a.unlock).toHaveBeenCalledWith('2468');
    expect(owner.prompt).toBeNull();
  });

  it('lets a manager step in while a cashier is selling, without signing the cashier out', async () => {
    const ana = { id: 3, name: 'Ana', role: 'cashier' as const };
    const a = api({
      lockState: vi.fn(async () => ({ locked: false, pin_set: true, manager: false, idle_lock_minutes: 5, person: ana, manager_person: null })),
    });
    const owner = new Owner(a);
    await owner.refresh();
    expect(owner.person?.name).toBe('Ana');
    const opened = owner.openManager();
    await vi.waitFor(() => expect(owner.prompt).not.toBeNull());
    expect(await owner.prompt!.submit('9753')).toBeNull();
    await expect(opened).resolves.toBe(true);
    expect(a.stepIn).toHaveBeenCalledWith('9753');
    expect(a.unlock).not.toHaveBeenCalled();
  });

  it('gives null when the owner cancels, without running the command again', async () => {
    const owner = new Owner(api());
    const action = vi.fn(async () => {
      throw new TillError('pin_required', 'this needs the manager PIN');
    });
    const result = owner.asManager(action);
    await vi.waitFor(() => expect(owner.prompt).not.toBeNull());
    owner.prompt!.cancel();
    await expect(result).resolves.toBeNull();
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('passes any other error through', async () => {
    const owner = new Owner(api());
    await expect(owner.asManager(async () => { throw { code: 'gateway', message: 'down' }; })).rejects.toMatchObject({
      code: 'gateway',
    });
  });
});

describe('Owner.askPin', () => {
  it('hands the PIN to the action and closes on success', async () => {
    const owner = new Owner(api());
    const withdraw = vi.fn(async (pin: string) => ({ state: 'sent', pin }));
    const result = owner.askPin('Confirm the withdrawal', withdraw, 'Pay 2,500 sats?');
    expect(owner.prompt?.detail).toBe('Pay 2,500 sats?');
    expect(await owner.prompt!.submit('2468')).toBeNull();
    await expect(result).resolves.toEqual({ state: 'sent', pin: '2468' });
  });

  it('closes and hands any other error to the caller', async () => {
    const owner = new Owner(api());
    const result = owner.askPin('Confirm', async () => {
      throw { code: 'not_allowed', message: 'this invoice was already sent' };
    });
    await expect(owner.prompt!.submit('2468')).resolves.toBeNull();
    expect(owner.prompt).toBeNull();
    await expect(result).rejects.toMatchObject({ code: 'not_allowed', message: 'this invoice was already sent' });
  });
});

describe('Owner lock', () => {
  it('says why the till cannot be locked and what the lock screen got wrong', async () => {
    const owner = new Owner(
      api({
        lock: vi.fn(async () => {
          throw { code: 'not_allowed', message: 'set a manager PIN first' };
        }),
      }),
    );
    await expect(owner.lockNow()).resolves.toBe('set a manager PIN first');
    await expect(owner.unlock('0000')).resolves.toMatch(/wrong PIN/);
    await expect(owner.unlock('2468')).resolves.toBeNull();
  });
});
