// Who is at the till, the lock ("who is selling?"), and asking for a manager's PIN when Rust says
// a command needs one. Rust decides (every command checks the person's role itself); this only
// shows the prompt and retries.
import * as ipc from './ipc';
import type { LockState } from './ipc';
import { TillError, toTillError } from './ipc';
import { m } from './paraglide/messages.js';

/** The commands the owner's store uses; tests pass a fake. */
export type OwnerApi = Pick<typeof ipc, 'lockState' | 'lock' | 'unlock' | 'stepIn' | 'endManager'>;

/** A PIN prompt on screen: `submit` tries a PIN and answers with an error sentence or null. */
export type PinPrompt = {
  title: string;
  detail?: string;
  submit: (pin: string) => Promise<string | null>;
  cancel: () => void;
};

export class Owner {
  lock = $state<LockState | null>(null);
  /** Whether the lock state has been asked for (answered or not): until then the window cannot
   * know whether to show the lock, and shows neither it nor the till. */
  checked = $state(false);
  prompt = $state<PinPrompt | null>(null);
  readonly api: OwnerApi;

  constructor(api: OwnerApi = ipc) {
    this.api = api;
  }

  get locked(): boolean {
    return this.lock?.locked ?? false;
  }

  /** Who is selling (none while locked). */
  get person(): ipc.Person | null {
    return this.lock?.person ?? null;
  }

  /**
   * A manager steps in at the open till with their PIN (the cashier stays signed in); with no
   * one signed in yet, the PIN signs its person in.
   */
  private async managerPin(pin: string): Promise<void> {
    if (this.locked || !this.person) await this.api.unlock(pin);
    else await this.api.stepIn(pin);
  }

  async refresh(): Promise<void> {
    try {
      this.lock = await this.api.lockState();
    } catch {
      // The startup error screen says why; nothing to lock.
    } finally {
      this.checked = true;
    }
  }

  /** Locks now; says why when it cannot (no PIN set). */
  async lockNow(): Promise<string | null> {
    try {
      await this.api.lock();
      await this.refresh();
      return null;
    } catch (e) {
      return toTillError(e).message;
    }
  }

  /** Tries a PIN on the lock screen; null when it opened. */
  async unlock(pin: string): Promise<string | null> {
    try {
      await this.api.unlock(pin);
      await this.refresh();
      return null;
    } catch (e) {
      return toTillError(e).message;
    }
  }

  /** Opens the manager's screens: at once for a manager already in, else after a PIN. False
   * when the PIN prompt was cancelled. */
  async openManager(): Promise<boolean> {
    await this.refresh();
    if (!this.lock?.pin_set || this.lock.manager) return true;
    const ok = await this.askPin(m.owner_manager_pin(), async (pin) => {
      await this.managerPin(pin);
      return true;
    });
    await this.refresh();
    return !!ok;
  }

  async leaveManager(): Promise<void> {
    await this.api.endManager().catch(() => undefined);
    await this.refresh();
  }

  /**
   * Shows a PIN prompt that runs `withPin` with what is typed, until it succeeds (its result),
   * the owner cancels (null), or it fails for another reason (rejected with that error). Wrong
   * PINs stay in the prompt with Rust's sentence.
   */
  askPin<T>(title: string, withPin: (pin: string) => Promise<T>, detail?: string): Promise<T | null> {
    return new Promise((resolve, reject) => {
      this.prompt = {
        title,
        detail,
        submit: async (pin) => {
          try {
            const result = await withPin(pin);
            this.prompt = null;
            resolve(result);
            return null;
          } catch (e) {
            const err = toTillError(e);
            // A wrong PIN, or the PIN of someone whose role may not do this: try another.
            if (err.code === 'wrong_pin' || err.code === 'bad_input' || err.code === 'pin_required') return err.message;
            // Anything else ends the prompt; the caller shows it where the action was asked.
            this.prompt = null;
            reject(err);
            return null;
          }
        },
        cancel: () => {
          this.prompt = null;
          resolve(null);
        },
      };
    });
  }

  /**
   * Runs a manager command; when Rust answers `pin_required`, asks for the PIN, unlocks, and
   * runs it again. Null when the owner cancelled.
   */
  async asManager<T>(action: () => Promise<T>): Promise<T | null> {
    try {
      return await action();
    } catch (e) {
      const err = toTillError(e);
      if (err.code !== 'pin_required') throw err;
      const opened = await this.askPin(m.owner_manager_pin(), async (pin) => {
        await this.managerPin(pin);
        return true;
      });
      await this.refresh();
      if (!opened) return null;
      return await action();
    }
  }
}

export { TillError };
