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
export const renewalSettings = {
  /** Sales the cashier moved on from since the page loaded: in a busy shop a few renewals a
   * day, each giving back what a couple of hundred sales' screens left. */
  afterSales: 200,
  /** Quiet at rest (no touch, no key, no change on screen): longer than the pause between two
   * customers at the counter. */
  afterRestMs: 60_000,
  /** How often the quiet is looked at: a comparison of two numbers, so often enough that the
   * renewal comes within seconds of the minute. */
  checkMs: 5_000,
  /** Loads the page afresh. */
  reload: (): void => location.reload(),
};

/** Counts the quiet and renews the page once, when it is due. */
export class Renewal {
  private quietSince: number;
  private renewed = false;
  /** Counts `stir`s: a fallback reload goes ahead only if none came while Rust was asked. */
  private stirs = 0;

  /** `renew` asks Rust to load the page afresh in a new web process (the main window: WebKit
   * keeps some of what a day's screens used across documents, though not across processes);
   * where it answers false or fails, the document alone is reloaded, unless the till was touched
   * meanwhile: then at the next rest. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly renew: (() => Promise<boolean>) | null = null,
  ) {
    this.quietSince = now();
  }

  /** Something happened: a touch, a key, a change on screen. */
  stir(): void {
    this.quietSince = this.now();
    this.stirs++;
  }

  /** Renews the page if `sales` are enough and the till has been `atRest`, untouched and
   * unchanged, long enough; true when it did. Time not at rest is not quiet: the minute starts
   * again once the till is at rest, however it got there. */
  check(sales: number, atRest: boolean): boolean {
    if (!atRest) {
      this.stir();
      return false;
    }
    const due = sales >= renewalSettings.afterSales && this.now() - this.quietSince >= renewalSettings.afterRestMs;
    if (this.renewed || !due) return false;
    this.renewed = true;
    if (!this.renew) {
      renewalSettings.reload();
      return true;
    }
    // Rust answers within a round trip; a touch in that time (a customer at the counter) puts
    // the reload off to the next rest instead of wiping what was just typed.
    const asked = this.stirs;
    const fallback = () => {
      if (this.stirs === asked) renewalSettings.reload();
      else this.renewed = false;
    };
    void this.renew().then((done) => done || fallback(), fallback);
    return true;
  }
}
