// The page loaded afresh when the till rests after a busy stretch.
//
// WebKit keeps memory from every sale's screens that its memory-pressure handler never gives
// back, though the page's own objects stay flat (the browser suite's leak test counts its
// listeners and DOM nodes; Chromium's heap grows only by the mocked ledger). A new document gives
// most of it back: in the release app after 1,000 sales the web process held 152.8 MB against
// 115.6 MB at the start, and 127.2 MB once the page had been reloaded (BENCHMARKS.md, "A long
// day"). Everything the page shows comes from Rust, so it comes back as it was; it is renewed
// only when nothing on it would be lost (`atRest` in MainWindow.svelte) and nobody has touched
// the till for a minute.

/** When the page is renewed. Tests shorten these; the product never changes them. */
export const renewal = {
  /** Sales the cashier moved on from since the page loaded. */
  afterSales: 200,
  /** Quiet: no touch, no key, no change on screen. */
  afterRestMs: 60_000,
  /** How often the quiet is looked at. */
  checkMs: 5_000,
  /** Loads the page afresh. */
  reload: (): void => location.reload(),
};

/** Counts the quiet and renews the page once, when it is due. */
export class Renewal {
  private quietSince: number;
  private renewed = false;

  constructor(private readonly now: () => number = Date.now) {
    this.quietSince = now();
  }

  /** Something happened: a touch, a key, a change on screen. */
  stir(): void {
    this.quietSince = this.now();
  }

  /** Renews the page if `sales` are enough, the quiet long enough and the till `atRest`; true
   * when it did. */
  check(sales: number, atRest: boolean): boolean {
    const due = sales >= renewal.afterSales && this.now() - this.quietSince >= renewal.afterRestMs;
    if (this.renewed || !due || !atRest) return false;
    this.renewed = true;
    renewal.reload();
    return true;
  }
}
