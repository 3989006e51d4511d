// The receipt printer as the screens see it: its state for the readiness light (pushed by Rust
// as `printer-changed`), and printing a receipt or report through the queue. Without a thermal
// printer set up, receipts print through the system's print dialog instead.
import * as ipc from './ipc';
import type { PrinterView, Printed } from './ipc';
import { toTillError } from './ipc';
import { m } from './paraglide/messages.js';

/** The printer's state in the screen's language; a printer that cannot be reached keeps the
 * system's words for why (they name the address and the error). */
export function conditionWords(view: PrinterView): string {
  switch (view.condition) {
    case 'none':
      return m.printer_condition_none();
    case 'ready':
      return m.printer_condition_ready();
    case 'paper_low':
      return m.printer_condition_paper_low();
    case 'out_of_paper':
      return m.printer_condition_out_of_paper();
    case 'unplugged':
      return m.printer_condition_unplugged({ printer: view.printer ?? '' });
    default:
      return view.words;
  }
}

/** The commands the printer uses; tests pass a fake. */
export type PrinterApi = Pick<typeof ipc, 'printer' | 'printReceipt' | 'printReport' | 'retryPrints'>;

export class Printer {
  view = $state<PrinterView | null>(null);
  /** What the last print did, in a sentence. */
  message = $state<string | null>(null);
  /** The last print is waiting in the queue (shown in red, with a retry). */
  waiting = $state(false);
  busy = $state(false);
  readonly api: PrinterApi;

  constructor(api: PrinterApi = ipc) {
    this.api = api;
  }

  /** A thermal printer is set up (otherwise receipts go through the print dialog). */
  get set(): boolean {
    return !!this.view?.printer;
  }

  async refresh(): Promise<void> {
    try {
      this.view = await this.api.printer();
    } catch {
      this.view = null;
    }
  }

  private async run(action: () => Promise<Printed>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const done = await action();
      this.message = done.message;
      this.waiting = !done.printed;
    } catch (e) {
      const error = toTillError(e);
      // A manager's print asks for the PIN (the caller's `owner.asManager` prompts and retries).
      if (error.code === 'pin_required') throw error;
      this.message = error.message;
      this.waiting = true;
    } finally {
      this.busy = false;
    }
    await this.refresh();
  }

  /** Prints a sale's receipt on the thermal printer, or through the dialog when there is none. */
  async receipt(receiptNo: number, copy: boolean): Promise<void> {
    if (!this.set) {
      window.print();
      return;
    }
    await this.run(() => this.api.printReceipt(receiptNo, copy));
  }

  /** Prints a report: `x`, `z` with its number, or `shift`. */
  async report(kind: 'x' | 'z' | 'shift', zNo: number | null = null): Promise<void> {
    await this.run(() => this.api.printReport(kind, zNo));
  }

  /** Tries the waiting jobs again. */
  async retry(): Promise<void> {
    await this.run(() => this.api.retryPrints());
  }
}
