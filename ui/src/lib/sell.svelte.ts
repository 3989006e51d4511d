// The selling screen's state: the catalog's tabs and items, the search box (which a barcode
// scanner types into), and the cart. Every figure comes priced from Rust (`CartView`); this file
// never adds money up.
import * as ipc from './ipc';
import type { CartChange, CartView, CategoryView, ItemView, TipOffer } from './ipc';
import { toTillError } from './ipc';
import { m } from './paraglide/messages.js';

/** The commands the selling screen uses; tests pass a fake. */
export type SellApi = Pick<typeof ipc, 'items' | 'categories' | 'cart' | 'cartChange' | 'askTip' | 'chooseTip'>;

/** The tab showing: the keypad, every item, or one category. */
export type Tab = { kind: 'keypad' } | { kind: 'all' } | { kind: 'category'; id: number };

/** How many items a tab or a search shows at once (the rest are found by searching). */
export const SHOWN = 120;

export class Sell {
  categories = $state<CategoryView[]>([]);
  items = $state<ItemView[]>([]);
  /** Whether the shop has a catalog at all (without one, the keypad is all there is). */
  hasCatalog = $state(false);
  tab = $state<Tab>({ kind: 'keypad' });
  search = $state('');
  cart = $state<CartView | null>(null);
  /** The cart line the cashier selected (its quantity and discount keys act on it). */
  selected = $state<number | null>(null);
  /** A quantity typed before tapping an item (the quantity key), or null. */
  quantity = $state<number | null>(null);
  /** Why the last change was refused, or what just happened. */
  message = $state<string | null>(null);
  /** The tips offered while the tip screen is up. */
  tips = $state<TipOffer | null>(null);

  readonly api: SellApi;
  private searchToken = 0;

  constructor(api: SellApi = ipc) {
    this.api = api;
  }

  /** Lines in the cart. */
  get count(): number {
    return this.cart?.lines.length ?? 0;
  }

  async load(): Promise<void> {
    try {
      this.categories = await this.api.categories();
      this.cart = await this.api.cart();
      const some = await this.api.items({ category: null, text: null, inactive: false, limit: 1 });
      this.hasCatalog = some.length > 0;
      if (this.hasCatalog && this.tab.kind === 'keypad') this.tab = { kind: 'all' };
      await this.refresh();
    } catch (raw) {
      this.message = toTillError(raw).message;
    }
  }

  /** Re-reads the items the tab and the search ask for; an answer overtaken by a newer one is
   * dropped, so fast typing never shows stale results. */
  async refresh(): Promise<void> {
    if (this.tab.kind === 'keypad') return;
    const token = ++this.searchToken;
    const category = this.tab.kind === 'category' ? this.tab.id : null;
    const text = this.search.trim() || null;
    try {
      const items = await this.api.items({ category, text, inactive: false, limit: SHOWN });
      if (token === this.searchToken) this.items = items;
    } catch (raw) {
      this.message = toTillError(raw).message;
    }
  }

  async show(tab: Tab): Promise<void> {
    this.tab = tab;
    this.search = '';
    await this.refresh();
  }

  async find(text: string): Promise<void> {
    this.search = text;
    await this.refresh();
  }

  /** Applies one change; the cart comes back priced, or the refusal is shown and nothing
   * changed. `pin` approves a discount above the owner's limit. */
  async change(change: CartChange, pin: string | null = null): Promise<boolean> {
    try {
      this.cart = await this.api.cartChange(change, pin);
      this.message = null;
      if (this.selected !== null && this.selected >= this.count) this.selected = null;
      return true;
    } catch (raw) {
      const err = toTillError(raw);
      if (err.code === 'pin_required' && pin === null) throw err;
      this.message = err.message;
      return false;
    }
  }

  /** A change with the manager's PIN; a wrong PIN throws (the PIN prompt asks again). */
  async changeWithPin(change: CartChange, pin: string): Promise<void> {
    this.cart = await this.api.cartChange(change, pin);
    this.message = null;
  }

  async add(item: ItemView): Promise<void> {
    const quantity = this.quantity;
    this.quantity = null;
    if (await this.change({ kind: 'add_item', item_id: item.id, quantity })) {
      this.selected = this.cart?.lines.findIndex((l) => l.item_id === item.id) ?? null;
    }
  }

  /** A scanned code: its item is added (or the reason it is not is shown). */
  async scan(code: string): Promise<boolean> {
    try {
      this.cart = await this.api.cartChange({ kind: 'scan', code }, null);
      this.message = null;
      return true;
    } catch (raw) {
      const err = toTillError(raw);
      this.message = err.code === 'not_found' ? m.sell_no_item_code({ code }) : err.message;
      return false;
    }
  }

  /** Enter in the search box: a scanned code adds its item; a search whose one result (for
   * exactly what is typed, read again now) is that item adds it. */
  async enter(): Promise<void> {
    const code = this.search.trim();
    if (!code) return;
    try {
      this.cart = await this.api.cartChange({ kind: 'scan', code }, null);
      this.message = null;
      this.search = '';
      await this.refresh();
      return;
    } catch (raw) {
      const err = toTillError(raw);
      if (err.code !== 'not_found') {
        this.message = err.message;
        return;
      }
    }
    await this.refresh();
    const only = this.items.length === 1 && this.search.trim() === code ? this.items[0] : undefined;
    if (only) {
      await this.add(only);
      this.search = '';
      await this.refresh();
    } else {
      this.message = m.sell_no_item_code({ code });
    }
  }

  async addAmount(amount: string): Promise<boolean> {
    return this.change({ kind: 'add_amount', amount });
  }

  async setQuantity(line: number, quantity: number): Promise<void> {
    if (quantity < 1) {
      await this.remove(line);
      return;
    }
    await this.change({ kind: 'set_quantity', line, quantity });
  }

  async remove(line: number): Promise<void> {
    if (await this.change({ kind: 'remove', line })) this.selected = null;
  }

  async clear(): Promise<void> {
    if (await this.change({ kind: 'clear' })) this.selected = null;
  }

  /** Asks Rust for the tips to offer (and shows them on the customer display); none when tips
   * are off. */
  async askTip(): Promise<TipOffer | null> {
    const offer = await this.api.askTip();
    this.tips = offer.choices.length > 0 ? offer : null;
    return this.tips;
  }

  async chooseTip(tip: string | null): Promise<boolean> {
    try {
      this.cart = await this.api.chooseTip(tip);
      this.tips = null;
      this.message = null;
      return true;
    } catch (raw) {
      this.message = toTillError(raw).message;
      return false;
    }
  }

  /** The cart was charged: Rust emptied it. */
  charged(): void {
    this.cart = { lines: [], bill: null, units: 0 };
    this.selected = null;
    this.tips = null;
  }
}
