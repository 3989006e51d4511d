import { describe, expect, it, vi } from 'vitest';
import { Printer, type PrinterApi } from '../src/lib/printer.svelte';

const ready = { printer: 'tcp://192.168.1.50:9100', ready: true, words: 'ready', condition: 'ready', waiting: 0, problem: null };
const off = {
  printer: 'tcp://192.168.1.50:9100',
  ready: false,
  words: 'could not reach the printer',
  condition: 'unreachable',
  waiting: 1,
  problem: 'could not reach the printer',
};

function api(over: Partial<PrinterApi> = {}): PrinterApi {
  return {
    printer: vi.fn(async () => ready),
    printReceipt: vi.fn(async () => ({ printed: true, message: 'The receipt 3 was printed on tcp://192.168.1.50:9100' })),
    printReport: vi.fn(async () => ({ printed: true, message: 'The X report was printed' })),
    retryPrints: vi.fn(async () => ({ printed: true, message: 'Nothing waits in the print queue' })),
    ...over,
  };
}

describe('Printer', () => {
  it('prints through the print dialog when no thermal printer is set up', async () => {
    const a = api({ printer: vi.fn(async () => ({ ...ready, printer: null, ready: false, words: 'no printer is set up', condition: 'none' })) });
    const p = new Printer(a);
    await p.refresh();
    const dialog = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    await p.receipt(3, true);
    expect(dialog).toHaveBeenCalledOnce();
    expect(a.printReceipt).not.toHaveBeenCalled();
    dialog.mockRestore();
  });

  it('prints on the thermal printer and says so', async () => {
    const a = api();
    const p = new Printer(a);
    await p.refresh();
    await p.receipt(3, false);
    expect(a.printReceipt).toHaveBeenCalledWith(3, false);
    expect(p.message).toMatch(/was printed/);
    expect(p.waiting).toBe(false);
  });

  it('a print that waits in the queue is shown as waiting, and the light follows Rust', async () => {
    const a = api({
      printReceipt: vi.fn(async () => ({ printed: false, message: 'The receipt 3 (copy) waits in the print queue: could not reach the printer' })),
    });
    const p = new Printer(a);
    await p.refresh();
    (a.printer as ReturnType<typeof vi.fn>).mockResolvedValue(off);
    await p.receipt(3, true);
    expect(p.waiting).toBe(true);
    expect(p.message).toMatch(/waits in the print queue/);
    expect(p.view?.waiting).toBe(1);
  });

  it('a refused print is a message, never a thrown error', async () => {
    const p = new Printer(api({ printReport: vi.fn(async () => Promise.reject({ code: 'bad_input', message: 'no receipt printer is set up' })) }));
    await p.refresh();
    await p.report('x');
    expect(p.message).toBe('no receipt printer is set up');
    expect(p.waiting).toBe(true);
  });

  it('a print that needs the manager PIN is handed back, so the caller can ask for it', async () => {
    const p = new Printer(api({ printReport: vi.fn(async () => Promise.reject({ code: 'pin_required', message: "this needs a manager's PIN" })) }));
    await p.refresh();
    await expect(p.report('x')).rejects.toMatchObject({ code: 'pin_required' });
    expect(p.busy).toBe(false);
  });
});
