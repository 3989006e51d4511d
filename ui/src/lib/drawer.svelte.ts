// The drawer screen's state: the shift as Rust reports it, and the count being made. Every
// figure (expected cash, a count's total, the variance) comes from Rust; this only keeps what
// is typed and which answer is on screen.
import * as ipc from './ipc';
import type { CashMoveKind, DrawerView } from './ipc';
import { toTillError } from './ipc';
import type { Owner } from './owner.svelte';
import { m } from './paraglide/messages.js';

/** The commands the drawer uses; tests pass a fake. */
export type DrawerApi = Pick<typeof ipc, 'drawer' | 'openShift' | 'moveCash' | 'countDrawer' | 'closeShift'>;

export class Drawer {
  view = $state<DrawerView | null>(null);
  /** A sentence: why something was refused, or what was just done. */
  message = $state<string | null>(null);
  /** It was refused (shown in red). */
  refused = $state(false);
  /** Pieces counted per face value (as typed). */
  pieces = $state<Record<string, string>>({});
  /** The count's total as Rust adds it, or why it cannot. */
  counted = $state<string | null>(null);
  /** The shift just closed here: the result stays on screen until the next shift. */
  closed = $state(false);
  busy = $state(false);
  private asked = 0;
  readonly api: DrawerApi;

  constructor(api: DrawerApi = ipc) {
    this.api = api;
  }

  async load(): Promise<void> {
    await this.run(async () => {
      this.view = await this.api.drawer();
    });
  }

  private async run(action: () => Promise<string | void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      const done = await action();
      this.message = done ?? null;
      this.refused = false;
      return true;
    } catch (raw) {
      this.message = toTillError(raw).message;
      this.refused = true;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async open(float: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.openShift(float);
      this.view = await this.api.drawer();
      this.closed = false;
      this.pieces = {};
      this.counted = null;
      return m.drawer_opened_message({ float });
    });
  }

  /** Pays cash in, or out (a manager's: Rust says when their PIN is needed, and they step in). */
  async move(owner: Owner, kind: CashMoveKind, amount: string, reason: string): Promise<boolean> {
    return this.run(async () => {
      const view = await owner.asManager(() => this.api.moveCash(kind, amount, reason));
      if (!view) return m.drawer_nothing_paid_out();
      this.view = view;
      return kind === 'pay_in' ? m.drawer_paid_in_message({ amount, reason }) : m.drawer_paid_out_message({ amount, reason });
    });
  }

  /** The count as Rust takes it: only the faces with pieces. */
  private lines(): ipc.CountLine[] {
    return Object.entries(this.pieces)
      .filter(([, n]) => n.trim() !== '')
      .map(([face, n]) => ({ face, pieces: Number(n) }));
  }

  /** Sets how many of one note or coin were counted, and asks Rust for the new total. */
  async setPieces(face: string, text: string): Promise<void> {
    this.pieces = { ...this.pieces, [face]: text.replace(/\D/g, '').slice(0, 6) };
    const n = ++this.asked;
    const lines = this.lines();
    if (lines.length === 0) {
      this.counted = null;
      return;
    }
    try {
      const total = await this.api.countDrawer(lines);
      if (n === this.asked) this.counted = total;
    } catch (raw) {
      if (n === this.asked) this.counted = null;
      this.message = toTillError(raw).message;
      this.refused = true;
    }
  }

  /** Closes the shift with the count by denomination, or with `total` when one is typed. A
   * cashier's close asks a manager's PIN (Rust says when). */
  async close(owner: Owner, total: string): Promise<boolean> {
    const lines = total.trim() ? null : this.lines();
    const counted = total.trim() ? total.trim() : null;
    if (!counted && lines?.length === 0) {
      this.message = m.drawer_count_first();
      this.refused = true;
      return false;
    }
    return this.run(async () => {
      let view: DrawerView | null;
      try {
        view = await this.api.closeShift(counted, lines, null);
      } catch (raw) {
        if (toTillError(raw).code !== 'pin_required') throw raw;
        view = await owner.askPin(m.drawer_close_pin(), (pin) => this.api.closeShift(counted, lines, pin));
        await owner.refresh();
      }
      if (!view) return m.drawer_still_open();
      this.view = view;
      this.closed = true;
      this.pieces = {};
      this.counted = null;
      return undefined;
    });
  }
}
