// Injected before the page loads: stands in for Tauri's IPC with a small in-memory till, so the
// built UI runs in a plain browser. Tests drive it through window.__mock (emit events, inspect
// calls). Typed against the generated bindings: a command Rust adds, removes or reshapes, or an
// event whose payload changes, fails the type check here (`npm run check`) before any browser
// runs. The harness strips the types when it injects the file.
import type { Commands } from '../src/lib/bindings/commands';
import type { Events } from '../src/lib/bindings/events';
import type { ErrorCode } from '../src/lib/bindings/ErrorCode';
import type { IpcError } from '../src/lib/bindings/IpcError';
import type { AppInfo } from '../src/lib/bindings/AppInfo';
import type { ClosedDay } from '../src/lib/bindings/ClosedDay';
import type { CredentialStatus } from '../src/lib/bindings/CredentialStatus';
import type { Line } from '../src/lib/bindings/Line';
import type { ShopLink } from '../src/lib/bindings/ShopLink';
import type { Refund } from '../src/lib/bindings/Refund';
import type { Report } from '../src/lib/bindings/Report';
import type { ReportKind } from '../src/lib/bindings/ReportKind';
import type { SaleState } from '../src/lib/bindings/SaleState';
import type { SaleView } from '../src/lib/bindings/SaleView';
import type { Settings } from '../src/lib/bindings/Settings';
import type { WithdrawalView } from '../src/lib/bindings/WithdrawalView';
import type { BillView } from '../src/lib/bindings/BillView';
import type { CartView } from '../src/lib/bindings/CartView';
import type { ItemView } from '../src/lib/bindings/ItemView';
import type { TipOffer } from '../src/lib/bindings/TipOffer';
import type { Person } from '../src/lib/bindings/Person';
import type { Role } from '../src/lib/bindings/Role';
import type { DrawerView } from '../src/lib/bindings/DrawerView';
import type { ShiftLine } from '../src/lib/bindings/ShiftLine';
import type { MoveLine } from '../src/lib/bindings/MoveLine';
import type { PrinterSettings } from '../src/lib/bindings/PrinterSettings';
import type { PrinterView } from '../src/lib/bindings/PrinterView';
import type { Printed } from '../src/lib/bindings/Printed';

/** Every command the UI may invoke, answered as Rust would; none may be missing. */
type Handlers = { [K in keyof Commands]: (args: Commands[K]['args']) => Commands[K]['returns'] };

/** The plugin commands Tauri's own JavaScript invokes. */
type PluginHandlers = Record<`plugin:${string}`, (args: Record<string, unknown>) => unknown>;

type Callback = (message: { event: string; id: number; payload: unknown }) => void;

interface MockState {
  /** How long Tauri takes to answer a listen, in ms (0: at once), for screens left before it. */
  listenDelayMs: number;
  sales: SaleView[];
  alerts: SaleView[];
  failNext: { cmd: string; error: IpcError } | null;
  fullscreen: boolean;
  info: AppInfo;
  pin: string | null;
  locked: boolean;
  manager: boolean;
  wrongPins: number;
  refunds: Refund[];
  withdrawals: WithdrawalView[];
  closed: ClosedDay[];
  sealed: number;
  lastActivity: number;
  credentials: CredentialStatus;
  settings: Settings;
  items: ItemView[];
  tipOffer: TipOffer | null;
  cart: { lines: { item: number | null; custom: number; quantity: number; discount: string | null }[]; discount: string | null; tip: string | null };
  /** The staff, each with their PIN (the owner's is `pin`). */
  staff: (Person & { pin: string; added_at: string })[];
  /** Who is selling, and the manager who stepped in. */
  seller: Person | null;
  stepped: Person | null;
  /** The drawer: shifts in cents, the last one open or closed. */
  shifts: MockShift[];
  /** The receipt printer: its settings, whether it is switched on, what waits and what came out. */
  printer: { settings: PrinterSettings; on: boolean; waiting: string[]; printed: string[] };
  /** The shop link (not joined unless a test joins it, then `emit('shop-changed', ...)`). */
  shop: ShopLink;
}

interface MockShift {
  no: number;
  opened_by: string;
  opened_at: string;
  float: number;
  cashSales: number;
  count: number;
  moves: (MoveLine & { cents: number })[];
  refunds: number;
  closed_by: string | null;
  counted: number | null;
}

declare global {
  interface Window {
    /** Tauri's IPC door (its own type is internal to @tauri-apps/api). */
    __TAURI_INTERNALS__: unknown;
    __mock: {
      state: MockState;
      calls: string[];
      emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
      update: (receiptNo: number, status: SaleState) => SaleView;
      /** Listeners registered and not yet unlistened. */
      listening: () => number;
    };
  }
}

(() => {
  const callbacks = new Map<number, Callback>();
  const listeners = new Map<number, string>();
  let nextId = 1;
  const calls: string[] = [];
  const state: MockState = {
    sales: [],
    alerts: [],
    failNext: null,
    fullscreen: false,
    info: {
      version: '0.1.0', demo: true, data_dir: '/home/shop/.local/share/till', network: 'regtest',
      shop_name: 'Corner Café', currency: 'USD', currency_exponent: 2, terminal: 'till-1',
      setup_needed: false, sound: true, keychain_problem: null, tax_number: 'CHE-123.456.789 MWST',
      language: 'en', customer_language: '',
    },
    listenDelayMs: 0,
    // The owner's side: PIN 2468 unless a test sets otherwise.
    pin: '2468',
    locked: false,
    manager: false,
    wrongPins: 0,
    refunds: [],
    withdrawals: [],
    closed: [],
    sealed: 0,
    lastActivity: Date.now(),
    credentials: { source: 'none', hint: null, base_url: 'https://dashboard.aurpay.net', keychain_problem: null },
    settings: {
      shop_name: 'Corner Café', sound: true, idle_lock_minutes: 5, customer_display: false, network: 'bitcoin',
      gateway_url: 'https://dashboard.aurpay.net', auto_export_dir: '', timezone: 'Europe/Zurich', fixed: [],
      default_tax: 'none', tips: false, tip_presets: '10,15,20', tips_taxed: false, discount_limit: '20', tax_number: '',
      language: 'en', customer_language: '',
    },
    items: [],
    tipOffer: null,
    cart: { lines: [], discount: null, tip: null },
    staff: [{ id: 1, name: 'Owner', role: 'owner', pin: '2468', added_at: new Date().toISOString() }],
    seller: { id: 1, name: 'Owner', role: 'owner' },
    stepped: null,
    shifts: [],
    printer: { settings: { printer: '', columns: 48, code_page: 'pc858', print_when_paid: false, address: '' }, on: true, waiting: [], printed: [] },
    shop: { joined: false, server: '', waiting: 0, last_sent_at: null, alarm: null, problem: null },
  };

  function fail(code: ErrorCode, message: string): never {
    const error: IpcError = { code, message };
    throw error;
  }
  const rank: Record<Role, number> = { cashier: 0, manager: 1, owner: 2 };
  /** Who acts for a command needing `role`: the manager who stepped in, or the seller. */
  const acting = (): Person | null => (state.manager ? state.stepped ?? state.seller : state.seller);
  const pinRequired = (role: Role = 'manager') => {
    if (state.locked) fail('locked', 'the till is locked; enter a PIN to unlock it');
    const who = acting();
    if (state.pin && (!who || rank[who.role] < rank[role])) fail('pin_required', `this needs ${role === 'owner' ? "the owner's" : "a manager's"} PIN`);
  };
  const ownerRequired = () => pinRequired('owner');
  /** Whose PIN this is (wrong ones count, as Rust's back-off does). */
  const identify = (pin: string): Person => {
    // The first owner's PIN is `state.pin`, which tests set.
    const found = state.staff.find((m) => (m.id === 1 ? state.pin : m.pin) === pin);
    if (!found) {
      state.wrongPins += 1;
      fail('wrong_pin', `wrong PIN (${Math.max(0, 3 - state.wrongPins)} more tries before the till makes you wait)`);
    }
    state.wrongPins = 0;
    return { id: found.id, name: found.name, role: found.role };
  };
  /** A PIN that must be a manager's (or the owner's): they step in. */
  const checkPin = (pin: string, role: Role = 'manager') => {
    const who = identify(pin);
    if (rank[who.role] < rank[role]) {
      // As in Rust: it counts as a miss, and the answer names nobody.
      state.wrongPins += 1;
      fail('pin_required', `that PIN may not do this: only ${role === 'owner' ? 'the owner' : 'a manager or the owner'} may`);
    }
    state.stepped = who;
    state.manager = true;
    return who;
  };
  const openShift = () => {
    const last = state.shifts[state.shifts.length - 1];
    return last && last.closed_by === null ? last : null;
  };
  const expected = (s: MockShift) =>
    s.float + s.cashSales - s.refunds + s.moves.reduce((a, m) => a + (m.kind === 'pay_in' ? m.cents : -m.cents), 0);
  const shiftLine = (s: MockShift): ShiftLine => ({
    label: `TS${s.no}`, opened_by: s.opened_by, closed_by: s.closed_by ?? '', currency: 'USD', float: decimal(s.float),
    cash_sales: decimal(s.cashSales), pay_ins: decimal(s.moves.filter((m) => m.kind === 'pay_in').reduce((a, m) => a + m.cents, 0)),
    pay_outs: decimal(s.moves.filter((m) => m.kind === 'pay_out').reduce((a, m) => a + m.cents, 0)), refunds: decimal(s.refunds),
    expected: decimal(expected(s)), counted: decimal(s.counted ?? 0), variance: decimal((s.counted ?? expected(s)) - expected(s)),
  });
  const denominations = ['500.00', '200.00', '100.00', '50.00', '20.00', '10.00', '5.00', '2.00', '1.00', '0.50', '0.20', '0.10', '0.05', '0.02', '0.01'];
  function drawerView(): DrawerView {
    const s = state.shifts[state.shifts.length - 1];
    if (!s) return { open: false, shift: null, opened_at: null, cash_sales: 0, moves: [], denominations };
    return {
      open: s.closed_by === null, shift: shiftLine(s), opened_at: s.opened_at, cash_sales: s.count,
      moves: s.moves.map(({ cents: _c, ...m }) => m), denominations,
    };
  }
  const positive = (amount: string, what: string) => {
    if (!amountPattern.test(amount.trim()) || !(cents(amount.trim()) > 0)) fail('bad_input', `${what} must be an amount above zero, such as 20.00`);
    return cents(amount.trim());
  };

  // The fake's own sums: amounts in cents as integers, so even the mock adds no floats.
  const cents = (amount: string) => {
    const [whole = '0', frac = ''] = amount.split('.');
    return Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  };
  const decimal = (c: number) => `${c < 0 ? '-' : ''}${Math.trunc(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
  const line = (status: string, count: number, c: number, sats: number): Line =>
    ({ status, currency: 'USD', count, amount: decimal(c), msat: sats * 1000, sats });

  function report(kind: ReportKind): Report {
    const paid = state.sales.filter((s) => s.status === 'paid' || s.status === 'paid_late');
    const total = paid.reduce((a, s) => a + cents(s.amount), 0);
    const sats = paid.reduce((a, s) => a + (s.sats ?? 0), 0);
    const refunded = state.refunds.reduce((a, r) => a + cents(r.amount), 0);
    const zNo = state.closed.length + (kind === 'X' ? 1 : 0);
    return {
      kind, label: kind === 'Z' ? `TZ${zNo}` : 'X', z_no: zNo, day: new Date().toLocaleDateString('sv-SE'),
      timezone: 'Europe/Zurich', terminal: 'till-1', training: true, generated_at: new Date().toISOString(),
      from: state.closed[0]?.cutoff ?? null, to: new Date().toISOString(), late_payments: [],
      documents: state.sales.length - state.sealed + state.refunds.length,
      lines: paid.length ? [line('paid', paid.length, total, sats)] : [],
      received: paid.length ? [line('received', paid.length, total, sats)] : [],
      refunds: state.refunds.length ? [line('refunded', state.refunds.length, refunded, 0)] : [],
      net: paid.length ? [line('net', paid.length, total - refunded, 0)] : [],
      paid_late: [], underpaid: [], open: [], left_out: 0, chain_head: kind === 'Z' ? 'fe52a1c3'.repeat(8) : '',
      tenders: (['cash', 'lightning'] as const)
        .map((t) => {
          const of = paid.filter((s) => s.tender === t);
          return { tender: t, currency: 'USD', sales: of.length, received: decimal(of.reduce((a, s) => a + cents(s.amount), 0)), refunds: 0, refunded: '0.00' };
        })
        .filter((l) => l.sales > 0),
      people: [...new Set(paid.map((s) => s.cashier))].map((name) => {
        const of = paid.filter((s) => s.cashier === name);
        return { name, currency: 'USD', sales: of.length, received: decimal(of.reduce((a, s) => a + cents(s.amount), 0)), refunds: 0, refunded: '0.00' };
      }),
      shifts: state.shifts.filter((s) => s.closed_by !== null).map(shiftLine),
    };
  }
  const qr = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/>' +
    '<path d="M4 4h7v7H4zM18 4h7v7h-7zM4 18h7v7H4zM13 13h3v3h-3z" fill="#000"/></svg>';

  function sale(receipt_no: number, amount: string, status: SaleState): SaleView {
    const now = new Date();
    // At 100,000 USD/BTC a cent is 10 sats.
    const sats = cents(amount) * 10;
    return {
      receipt_no, label: `T${receipt_no}`, attention: null, status, amount, currency: 'USD',
      amount_msat: sats * 1000, sats,
      rate: '100000', memo: '', order_id: `2026112400000000000${receipt_no}`,
      payment_request: 'lnbcrt125u1p4sf4dhdp5x93rjer9x4jrye3kvvmkgwp5xyckgdp3vd3nyv34xccxywfhvvus',
      payment_hash: 'ab'.repeat(32), pay_url: `http://127.0.0.1/#/cashier/${receipt_no}`,
      created_at: now.toISOString(), updated_at: now.toISOString(), order_expires_at: new Date(now.getTime() + 30 * 60_000).toISOString(),
      paid_at: null, error: null, underpaid: false, partial: false, training: true, replaces: null, bill: null,
      tender: 'lightning', tendered: null, change: null, cashier: state.seller?.name ?? '', approved_by: null,
    };
  }
  const find = (n: number): SaleView =>
    state.sales.find((x) => x.receipt_no === n) ?? fail('not_found', `there is no sale with receipt number T${n}`);

  function emit<E extends keyof Events>(event: E, payload: Events[E]) {
    for (const [id, name] of listeners) {
      if (name === event) callbacks.get(id)?.({ event, id, payload });
    }
  }
  function update(s: SaleView, status: SaleState): SaleView {
    const previous = s.status;
    s.status = status;
    s.updated_at = new Date().toISOString();
    if (status === 'paid' || status === 'paid_late') s.paid_at = new Date().toISOString();
    emit('sale-updated', { sale: { ...s }, previous, paid_late: status === 'paid_late' });
    return { ...s };
  }
  const amountPattern = /^\d*\.?\d{0,2}$/;

  // The cart, priced by a stand-in for Rust's money module: no tax, a percentage or amount off
  // the order, a percentage or amount of tip. Enough for the screens; the rules themselves are
  // tested in Rust.
  const off = (spec: string | null, base: number) =>
    !spec ? 0 : spec.endsWith('%') ? Math.round((base * Number(spec.slice(0, -1))) / 100) : cents(spec);
  function priced(): CartView {
    const c = state.cart;
    if (c.lines.length === 0) return { lines: [], bill: null, units: 0 };
    const lines = c.lines.map((l) => {
      const item = state.items.find((i) => i.id === l.item);
      const unit = item ? cents(item.price) : l.custom;
      const amount = unit * l.quantity;
      const own = off(l.discount, amount);
      return { item, unit, amount, own, quantity: l.quantity };
    });
    const base = lines.reduce((a, l) => a + l.amount - l.own, 0);
    const order = off(c.discount, base);
    if (order > base) fail('bad_input', `a discount of ${decimal(order)} USD is more than the subtotal after line discounts (${decimal(base)} USD)`);
    const goods = base - order;
    const tip = off(c.tip, goods);
    const bill: BillView = {
      currency: 'USD',
      lines: lines.map((l, n) => {
        const share = n === 0 ? order : 0;
        const gross = l.amount - l.own - share;
        return {
          name: l.item?.name ?? 'Custom amount', sku: l.item?.sku ?? null, category: l.item?.category ?? null,
          quantity: l.quantity, unit: decimal(l.unit), amount: decimal(l.amount), discount: decimal(l.own + share),
          line_discount: decimal(l.own), net: decimal(gross), tax: '0.00', gross: decimal(gross), tax_rate: '0', tax_included: true,
        };
      }),
      subtotal: decimal(lines.reduce((a, l) => a + l.amount, 0)),
      discount: decimal(lines.reduce((a, l) => a + l.own, 0) + order),
      order_discount: c.discount,
      order_discount_amount: decimal(order),
      tax: [{ rate: '0', included: true, net: decimal(goods), tax: '0.00', gross: decimal(goods) }],
      tax_total: '0.00',
      tip: decimal(tip),
      tip_choice: c.tip,
      total: decimal(goods + tip),
    };
    return {
      lines: c.lines.map((l) => ({ item_id: l.item, discount: l.discount })),
      bill,
      units: c.lines.reduce((a, l) => a + l.quantity, 0),
    };
  }
  /** Applies a change to a copy and keeps it only if it prices, as Rust does. */
  function changeCart(apply: (c: MockState['cart']) => void): CartView {
    const before = JSON.parse(JSON.stringify(state.cart)) as MockState['cart'];
    apply(state.cart);
    try {
      return priced();
    } catch (e) {
      state.cart = before;
      throw e;
    }
  }
  const lineAt = (n: number) => state.cart.lines[n] ?? fail('not_found', `the cart has no line ${n}`);

  // The printer, as Rust's queue behaves: a job waits while the printer is off, oldest first.
  function printerView(): PrinterView {
    const p = state.printer;
    const address = p.settings.printer || null;
    const off = `could not reach the printer at ${address}: connection refused`;
    return {
      printer: address,
      ready: !!address && p.on,
      words: !address ? 'no printer is set up' : p.on ? 'ready' : off,
      condition: !address ? 'none' : p.on ? 'ready' : 'unreachable',
      waiting: p.waiting.length,
      problem: p.waiting.length ? off : null,
    };
  }
  function printJob(what: string): Printed {
    const p = state.printer;
    if (!p.settings.printer) fail('bad_input', 'no receipt printer is set up');
    p.waiting.push(what);
    const done = runQueue(what);
    emit('printer-changed', printerView());
    return done;
  }
  function runQueue(what: string | null): Printed {
    const p = state.printer;
    if (!p.on) {
      return { printed: false, message: `The ${what ?? p.waiting[0]} waits in the print queue: ${printerView().words}` };
    }
    p.printed.push(...p.waiting);
    p.waiting = [];
    return { printed: true, message: what ? `The ${what} was printed on ${p.settings.printer}` : 'Nothing waits in the print queue' };
  }

  const commands: Handlers = {
    // Refused while locked, as Rust's cashier commands are.
    printer: () => {
      if (state.locked) fail('locked', 'the till is locked; enter a PIN to unlock it');
      return printerView();
    },
    print_receipt: ({ receiptNo, copy }) => {
      find(receiptNo);
      return printJob(`receipt T${receiptNo}${copy ? ' (copy)' : ''}`);
    },
    print_report: ({ kind, zNo }) => {
      if (kind !== 'shift') pinRequired();
      return printJob(kind === 'z' ? `TZ${zNo} report` : kind === 'x' ? 'X report' : 'shift report');
    },
    retry_prints: () => {
      const done = runQueue(null);
      emit('printer-changed', printerView());
      return done;
    },
    printer_settings: () => (ownerRequired(), { ...state.printer.settings }),
    save_printer: ({ settings }) => {
      ownerRequired();
      const address = settings.printer.trim();
      if (address && !/^(tcp:\/\/[^:]+:\d+|\/dev\/\S+)$/.test(address)) {
        fail('bad_input', `${address} is not a printer address: tcp://HOST:PORT or a device such as /dev/usb/lp0`);
      }
      const lines = settings.address.split(/[\n|]/).map((l) => l.trim()).filter((l) => l);
      if (lines.length > 3) fail('bad_input', `the address takes at most 3 lines on a receipt, not ${lines.length}`);
      state.printer.settings = { ...settings, printer: address, address: lines.join('\n') };
      emit('printer-changed', printerView());
      return { ...state.printer.settings };
    },
    print_test_page: ({ settings }) => {
      ownerRequired();
      return state.printer.on
        ? { printed: true, message: `The test page was printed on ${settings.printer}` }
        : { printed: false, message: `could not reach the printer at ${settings.printer}: connection refused` };
    },
    tap_card: ({ receiptNo }) => {
      find(receiptNo);
      emit('card-tap', { receipt_no: receiptNo, state: 'armed', message: null });
    },
    stop_card: () => undefined,
    pay_by_link: ({ receiptNo, link }) => {
      const s = find(receiptNo);
      if (s.status !== 'awaiting_payment') fail('not_allowed', `receipt ${s.label} is ${s.status}: only a sale waiting for payment can be paid by card`);
      if (!/^(lightning:)?(lnurlw:\/\/|lnurl1|https:\/\/)/i.test(link.trim())) {
        fail('card', `this is not a card or withdraw link: ${link}`);
      }
    },
    app_info: () => state.info,
    shop_link: () => {
      if (state.locked) fail('locked', 'the till is locked; enter a PIN to unlock it');
      return { ...state.shop };
    },
    gateway_ready: () => {
      if (state.locked) fail('locked', 'the till is locked; enter a PIN to unlock it');
      return { ready: true, message: 'The gateway answers and accepts the credentials (built-in demo gateway)' };
    },
    pending_alerts: () => state.alerts,
    charge: ({ amount, memo }) => {
      if (!amountPattern.test(amount) || !(cents(amount) > 0)) fail('bad_input', 'the amount must be more than zero');
      const s = sale(state.sales.length + 1, decimal(cents(amount)), 'awaiting_payment');
      s.memo = memo;
      state.sales.push(s);
      return { ...s };
    },
    requote: ({ receiptNo }) => {
      const old = find(receiptNo);
      const s = sale(state.sales.length + 1, old.amount, 'awaiting_payment');
      s.replaces = receiptNo;
      state.sales.push(s);
      return { ...s };
    },
    cancel_sale: ({ receiptNo }) => update(find(receiptNo), 'cancelled'),
    check_sale: ({ receiptNo }) => ({ ...find(receiptNo) }),
    simulate_payment: ({ receiptNo }) => {
      const s = find(receiptNo);
      return update(s, s.status === 'timed_out' || s.status === 'cancelled' ? 'paid_late' : 'paid');
    },
    sales_today: ({ query }) =>
      [...state.sales].reverse().filter((s) => !query || s.memo.includes(query) || String(s.receipt_no) === query).slice(0, 100),
    sale_detail: ({ receiptNo }) => ({
      sale: { ...find(receiptNo) },
      timeline: [
        { at: find(receiptNo).created_at, what: 'Rung up', kind: 'created', detail: '{}' },
        { at: find(receiptNo).created_at, what: 'Invoice created and checked', kind: 'order_created', detail: '{}' },
      ],
    }),
    invoice_qr: ({ receiptNo }) => (find(receiptNo), qr),
    acknowledge_alert: ({ receiptNo }) => {
      state.alerts = state.alerts.filter((a) => a.receipt_no !== receiptNo);
    },
    open_customer_display: () => {},
    close_customer_display: () => {},
    // The browser has no web process to renew: the page reloads its document, as off WebKitGTK.
    renew_page: () => false,
    save_receipt: ({ receiptNo }) => (find(receiptNo), `/home/shop/.local/share/till/receipts/receipt-till-1-${receiptNo}.pdf`),
    // As Rust: the sale being paid, else the last sale's result while the display shows one.
    current_sale: () => {
      const open = state.sales.filter((s) => ['creating', 'awaiting_payment', 'uncertain'].includes(s.status)).pop();
      const last = state.sales.at(-1);
      // 15 s: Rust's `history::RESULT_SHOWN`.
      return open ?? (last && Date.now() - Date.parse(last.updated_at) <= 15_000 ? last : null);
    },
    lock_state: () => ({
      locked: state.locked,
      pin_set: !!state.pin,
      manager: state.manager,
      idle_lock_minutes: state.settings.idle_lock_minutes,
      person: state.locked ? null : state.seller,
      manager_person: state.manager ? state.stepped ?? state.seller : null,
    }),
    lock: () => {
      if (!state.pin) fail('not_allowed', 'set a manager PIN first (Manager > Settings); without one the till could not be unlocked');
      state.locked = true;
      state.manager = false;
      state.seller = null;
      state.stepped = null;
    },
    unlock: ({ pin }) => {
      const who = identify(pin);
      state.locked = false;
      state.seller = who;
      state.stepped = null;
      state.manager = who.role !== 'cashier';
      return who;
    },
    end_manager: () => {
      state.manager = false;
      state.stepped = null;
    },
    step_in: ({ pin }) => checkPin(pin),
    staff_list: () => (ownerRequired(), state.staff.map(({ pin: _p, ...m }) => m).sort((a, b) => a.name.localeCompare(b.name))),
    add_staff: ({ name, role, pin }) => {
      ownerRequired();
      if (!/^[\p{L}\p{N} ]{1,40}$/u.test(name.trim())) fail('bad_input', 'a name is 1 to 40 letters, digits or spaces');
      if (state.staff.some((m) => m.name === name.trim())) fail('bad_input', `${name.trim()} is already on the staff`);
      if (!/^\d{4,12}$/.test(pin)) fail('bad_input', 'a PIN is 4 to 12 digits');
      if (state.staff.some((m) => (m.id === 1 ? state.pin : m.pin) === pin)) fail('bad_input', 'someone on the staff already has this PIN; choose another');
      const m = { id: Math.max(...state.staff.map((x) => x.id)) + 1, name: name.trim(), role, pin, added_at: new Date().toISOString() };
      state.staff.push(m);
      return { id: m.id, name: m.name, role: m.role, added_at: m.added_at };
    },
    remove_staff: ({ name }) => {
      ownerRequired();
      const m = state.staff.find((x) => x.name === name) ?? fail('bad_input', `nobody called "${name}" is on the staff`);
      if (m.role === 'owner' && state.staff.filter((x) => x.role === 'owner').length === 1) fail('not_allowed', `${name} is the only owner; add another owner first`);
      state.staff = state.staff.filter((x) => x !== m);
    },
    drawer: () => (pinRequired('cashier'), drawerView()),
    open_shift: ({ float }) => {
      pinRequired('cashier');
      const open = openShift();
      if (open) fail('not_allowed', `shift TS${open.no} is still open (opened by ${open.opened_by}); close it first`);
      if (!amountPattern.test(float.trim()) || float.trim() === '') fail('bad_input', 'the float must be an amount, such as 100.00');
      const s: MockShift = { no: state.shifts.length + 1, opened_by: state.seller?.name ?? '', opened_at: new Date().toISOString(),
        float: cents(float.trim()), cashSales: 0, count: 0, moves: [], refunds: 0, closed_by: null, counted: null };
      state.shifts.push(s);
      return { id: s.no, terminal: 'till-1', training: true, shift_no: s.no, currency: 'USD', opened_at: s.opened_at, opened_by: s.opened_by,
        float_minor: s.float, closed_at: null, closed_by: null, expected_minor: null, counted_minor: null, counts: null };
    },
    move_cash: ({ kind, amount, reason }) => {
      pinRequired(kind === 'pay_out' ? 'manager' : 'cashier');
      const s = openShift() ?? fail('not_allowed', 'no shift is open: open one with the float counted into the drawer first');
      const c = positive(amount, 'the amount');
      if (!reason.trim()) fail('bad_input', 'say why the cash goes in or out');
      if (kind === 'pay_out' && c > expected(s)) fail('not_allowed', `the drawer should hold ${decimal(expected(s))} USD; ${decimal(c)} USD cannot be paid out of it`);
      s.moves.push({ kind, amount: decimal(c), cents: c, reason: reason.trim(), made_by: acting()?.name ?? '', at: new Date().toISOString() });
      return drawerView();
    },
    count_drawer: ({ counts }) => {
      pinRequired('cashier');
      return decimal(counts.reduce((a, l) => a + cents(l.face) * l.pieces, 0));
    },
    close_shift: ({ counted, counts, pin }) => {
      const by = pin ? checkPin(pin) : (pinRequired('manager'), acting());
      const s = openShift() ?? fail('not_allowed', 'no shift is open: open one with the float counted into the drawer first');
      const total = counts ? counts.reduce((a, l) => a + cents(l.face) * l.pieces, 0) : amountPattern.test(counted ?? '') && counted ? cents(counted) : fail('bad_input', 'say what was counted: a total such as 123.45');
      s.counted = total;
      s.closed_by = by?.name ?? '';
      return drawerView();
    },
    cash_quote: ({ tendered }) => {
      const bill = priced().bill ?? fail('bad_input', 'the cart is empty');
      const total = cents(bill.total);
      const ups = [100, 200, 500, 1000, 2000, 5000, 10000].map((d) => Math.ceil(total / d) * d).filter((v) => v > total);
      const suggestions = [total, ...new Set(ups)].slice(0, 4).map(decimal);
      let change: string | null = null;
      if (tendered && tendered.trim()) {
        const given = amountPattern.test(tendered.trim()) ? cents(tendered.trim()) : fail('bad_input', `"${tendered}" is not an amount`);
        if (given < total) fail('bad_input', `${decimal(given)} USD tendered does not cover the total of ${bill.total} USD: ${decimal(total - given)} USD more is needed`);
        change = decimal(given - total);
      }
      return { total: bill.total, suggestions, change };
    },
    sell_for_cash: ({ tendered, memo }) => {
      pinRequired('cashier');
      const bill = priced().bill ?? fail('bad_input', 'the cart is empty');
      const s = openShift() ?? fail('not_allowed', 'no shift is open: open one with the float counted into the drawer first');
      const given = amountPattern.test(tendered.trim()) && tendered.trim() ? cents(tendered.trim()) : fail('bad_input', `"${tendered}" is not an amount`);
      const total = cents(bill.total);
      if (given < total) fail('bad_input', `${decimal(given)} USD tendered does not cover the total of ${bill.total} USD: ${decimal(total - given)} USD more is needed`);
      const sold = sale(state.sales.length + 1, bill.total, 'paid');
      Object.assign(sold, { memo, bill, tender: 'cash', tendered: decimal(given), change: decimal(given - total), order_id: null, payment_request: null,
        payment_hash: null, pay_url: null, amount_msat: null, sats: null, rate: null, order_expires_at: null, paid_at: new Date().toISOString() });
      state.sales.push(sold);
      s.cashSales += total;
      s.count += 1;
      state.cart = { lines: [], discount: null, tip: null };
      return { ...sold };
    },
    sound_on: () => state.settings.sound,
    currencies: () => ({
      currencies: [
        { code: 'CHF', name: 'Swiss Franc' }, { code: 'EUR', name: 'Euro' }, { code: 'USD', name: 'US Dollar' },
      ],
      from_gateway: true, note: null,
    }),
    finish_setup: ({ shopName, terminal, currency, pin, language }) => {
      if (!shopName.trim()) fail('bad_input', "give the shop's name");
      if (!/^\d{4,12}$/.test(pin)) fail('bad_input', 'a PIN is 4 to 12 digits');
      Object.assign(state.info, { shop_name: shopName, terminal, currency, setup_needed: false, language: language ?? state.info.language });
      state.pin = pin;
      state.manager = true;
    },
    x_report: () => (pinRequired(), report('X')),
    close_day: () => {
      pinRequired();
      const day = new Date().toLocaleDateString('sv-SE');
      const last = state.closed[0];
      if (state.sales.length === state.sealed && last) {
        fail('not_allowed', `nothing happened since ${last.label} (closed at ${last.closed_at}); there is nothing to close`);
      }
      const now = new Date().toISOString();
      const z_no = state.closed.length + 1;
      state.closed.unshift({ z_no, label: `TZ${z_no}`, closed_at: now, cutoff: now });
      const sealed = { ...report('Z'), closed_by: acting()?.name };
      state.sealed = state.sales.length;
      return { report: sealed, exported_to: `/home/shop/exports/till-till-1-${day}-TZ${z_no}-demo.csv`, export_problem: null };
    },
    closed_days: () => (pinRequired(), state.closed),
    z_report: () => (pinRequired(), report('Z')),
    activity: () => {
      state.lastActivity = Date.now();
    },
    settle_sale: ({ receiptNo, orderId, pin }) => {
      checkPin(pin);
      const s = find(receiptNo);
      s.attention = null;
      return update(s, orderId ? 'awaiting_payment' : 'failed');
    },
    export_sales: () => (pinRequired(), '/home/shop/Documents/till-till-1.csv'),
    choose_export_folder: () => (pinRequired(), '/home/shop/exports'),
    credential_status: () => (ownerRequired(), state.credentials),
    save_credentials: ({ kind, apiKey, secret }) => {
      ownerRequired();
      const key = kind === 'api_key' ? apiKey : secret;
      if (key !== 'right') {
        return { outcome: 'wrong_credentials', message: 'The gateway refused these credentials (code 401). Check them in the Aurpay dashboard; nothing was saved.', saved: false };
      }
      state.credentials = { ...state.credentials, source: 'keychain', hint: kind === 'api_key' ? 'API key …ight' : 'API token …ken1 with its secret' };
      state.info.demo = false;
      return { outcome: 'connected', message: 'Connected: the gateway accepted the credentials. They are saved in the system keychain.', saved: true };
    },
    sign_in: () => (ownerRequired(), { outcome: 'wrong_credentials', message: 'Aurpay did not accept that username and password. Nothing was saved.', saved: false }),
    test_connection: () => (ownerRequired(), { outcome: 'connected', message: 'Demo mode: the built-in demo gateway answers.', saved: false }),
    forget_credentials: () => {
      ownerRequired();
      state.credentials.source = 'none';
    },
    get_settings: () => (ownerRequired(), { ...state.settings }),
    save_settings: ({ settings }) => {
      ownerRequired();
      if (settings.idle_lock_minutes > 240) fail('bad_input', 'the idle lock is 0 (never) to 240 minutes');
      if (!['en', 'es', 'pt-BR', 'de', 'fr'].includes(settings.language)) fail('bad_input', `Till speaks en, es, pt-BR, de, fr; not "${settings.language}"`);
      state.settings = { ...settings };
      Object.assign(state.info, { language: settings.language, customer_language: settings.customer_language });
      return { ...state.settings };
    },
    change_pin: ({ current, newPin }) => {
      const who = identify(current);
      const m = state.staff.find((x) => x.id === who.id);
      if (who.id === 1) state.pin = newPin;
      else if (m) m.pin = newPin;
    },
    balance: () => (ownerRequired(), { btc: '0.00125', sats: 125_000, demo: true }),
    preview_invoice: ({ invoice }) => {
      pinRequired();
      if (!invoice.trim().startsWith('lnbcrt')) fail('bad_input', 'that is not a valid Lightning invoice; copy the whole invoice and paste it again');
      return { sats: 25_000, msat: 25_000_000, expires_at: new Date(Date.now() + 86_400_000).toISOString(), payment_hash: 'cd'.repeat(8) + '…' };
    },
    withdraw: ({ invoice, pin }) => {
      const by = checkPin(pin, 'owner');
      if (state.withdrawals.some((w) => w.invoice === invoice)) {
        fail('not_allowed', 'this invoice was already sent to the gateway on today (sent); it is never paid twice');
      }
      const w: WithdrawalView = { id: state.withdrawals.length + 1, payment_hash: 'cd'.repeat(32), invoice, amount_msat: 25_000_000, sats: 25_000,
        state: 'sent', answer: '{"status":"SUCCESS"}', training: true, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), made_by: by.name };
      state.withdrawals.unshift(w);
      return w;
    },
    withdrawals: () => (ownerRequired(), state.withdrawals),
    refund: ({ receiptNo, amount, reason, invoice, lines, tip, pin }) => {
      checkPin(pin);
      const s = find(receiptNo);
      if (!reason.trim()) fail('bad_input', 'say why the money is given back');
      const n = state.refunds.length + 1;
      // Lines picked: each line's share of what was paid for it (Rust prices this exactly).
      const bill = s.bill;
      const minor =
        bill && (lines?.length || tip)
          ? (lines ?? []).reduce((a, p) => {
              const l = bill.lines[p.line] ?? fail('bad_input', `the sale has no line ${p.line + 1}`);
              return a + Math.round((cents(l.gross) * p.quantity) / l.quantity);
            }, 0) + (tip ? cents(bill.tip) : 0)
          : cents(amount);
      const r: Refund = { id: n, terminal: 'till-1', refund_no: n, label: `TR${n}`, sale_id: receiptNo,
        receipt_no: receiptNo, created_at: new Date().toISOString(), amount_minor: minor,
        amount: decimal(minor), currency: s.currency, reason, method: invoice ? 'lightning' : 'cash',
        training: true, event_id: 1, state: invoice ? 'paid' : 'done', payment_hash: null, amount_msat: null,
        answer: null, updated_at: new Date().toISOString() };
      state.refunds.push(r);
      return { refund: r, sale: { ...s }, gateway_error: null };
    },
    refunds_of: ({ receiptNo }) => state.refunds.filter((r) => r.receipt_no === receiptNo),
    items: ({ filter }) => {
      const text = filter.text?.toLowerCase() ?? '';
      const cat = filter.category === null ? null : ['Coffee', 'Food'][filter.category - 1];
      const found = state.items.filter(
        (i) => (filter.inactive || i.active) && (cat === null || i.category === cat) &&
          (!text || i.name.toLowerCase().includes(text) || (i.sku ?? '').toLowerCase().includes(text) || (i.barcode ?? '').includes(text)),
      );
      return filter.limit ? found.slice(0, filter.limit) : found;
    },
    categories: () =>
      ['Coffee', 'Food']
        .map((name, n) => ({ id: n + 1, name, items: state.items.filter((i) => i.category === name && i.active).length }))
        .filter((c) => c.items > 0),
    cart: () => priced(),
    cart_change: ({ change, pin }) => {
      if (pin) checkPin(pin);
      return changeCart((c) => {
        switch (change.kind) {
          case 'add_item': {
            const item = state.items.find((i) => i.id === change.item_id && i.active) ?? fail('not_found', `no item for sale has the code or SKU "${change.item_id}"`);
            const line = c.lines.find((l) => l.item === item.id && !l.discount);
            if (line) line.quantity += change.quantity ?? 1;
            else c.lines.push({ item: item.id, custom: 0, quantity: change.quantity ?? 1, discount: null });
            return;
          }
          case 'scan': {
            const item = state.items.find((i) => i.barcode === change.code || i.sku === change.code) ?? fail('not_found', `no item for sale has the code or SKU "${change.code}"`);
            const line = c.lines.find((l) => l.item === item.id && !l.discount);
            if (line) line.quantity += 1;
            else c.lines.push({ item: item.id, custom: 0, quantity: 1, discount: null });
            return;
          }
          case 'add_amount':
            if (!amountPattern.test(change.amount) || !(cents(change.amount) > 0)) fail('bad_input', 'the amount must be more than zero');
            c.lines.push({ item: null, custom: cents(change.amount), quantity: 1, discount: null });
            return;
          case 'set_quantity':
            if (change.quantity < 1) fail('bad_input', `the quantity must be a whole number from 1 to 9999, not ${change.quantity}`);
            lineAt(change.line).quantity = change.quantity;
            return;
          case 'remove':
            lineAt(change.line);
            c.lines.splice(change.line, 1);
            return;
          case 'line_discount':
            lineAt(change.line).discount = change.discount ?? null;
            return;
          case 'discount': {
            const limit = Number(state.settings.discount_limit);
            if (!pin && change.discount?.endsWith('%') && Number(change.discount.slice(0, -1)) > limit) {
              fail('pin_required', `a discount of ${change.discount} is above the ${limit}% a cashier may give; a manager's PIN is needed`);
            }
            c.discount = change.discount ?? null;
            return;
          }
          case 'tip':
            c.tip = change.tip ?? null;
            return;
          case 'clear':
            c.lines = [];
            c.discount = null;
            c.tip = null;
            return;
        }
      });
    },
    ask_tip: () => {
      if (!state.settings.tips) return { total: '', currency: 'USD', choices: [] };
      const before = priced().bill;
      const base = before ? cents(before.total) - cents(before.tip) : 0;
      const offer = {
        total: decimal(base),
        currency: 'USD',
        choices: state.settings.tip_presets.split(',').map((p) => ({ percent: p, amount: decimal(Math.round((base * Number(p)) / 100)) })),
      };
      state.tipOffer = offer;
      emit('tip-asked', offer);
      return offer;
    },
    current_tip: () => state.tipOffer,
    cancel_tip: () => {
      state.tipOffer = null;
      emit('tip-asked', null);
    },
    choose_tip: ({ tip }) => {
      const view = changeCart((c) => {
        c.tip = tip ?? null;
      });
      state.tipOffer = null;
      emit('tip-chosen', view);
      return view;
    },
    charge_cart: ({ memo }) => {
      const bill = priced().bill ?? fail('bad_input', 'the cart is empty');
      const s = sale(state.sales.length + 1, bill.total, 'awaiting_payment');
      s.memo = memo;
      s.bill = bill;
      state.sales.push(s);
      state.cart = { lines: [], discount: null, tip: null };
      return { ...s };
    },
    save_item: ({ id, form }) => {
      pinRequired();
      if (!form.name.trim()) fail('bad_input', 'the name is empty');
      const item: ItemView = {
        id: id ?? state.items.length + 1, sku: form.sku || null, name: form.name, category: form.category || null,
        price: decimal(cents(form.price)), tax_rate: form.tax_rate || '0', tax_included: form.tax_included !== 'false',
        barcode: form.barcode || null, label: form.label || null, colour: form.colour || null, active: form.active !== 'false',
      };
      state.items = [...state.items.filter((i) => i.id !== item.id), item];
      return item;
    },
    import_catalog: () => (pinRequired(), { added: 0, updated: 0 }),
    export_catalog: () => (pinRequired(), '/home/shop/Documents/catalog.csv'),
  };

  const plugins: PluginHandlers = {
    'plugin:window|is_fullscreen': () => state.fullscreen,
    'plugin:window|set_fullscreen': ({ value }) => {
      state.fullscreen = value === true;
      return null;
    },
    'plugin:event|listen': ({ event, handler }) => {
      listeners.set(handler as number, event as string);
      const delay = state.listenDelayMs;
      return delay > 0 ? new Promise((r) => setTimeout(() => r(handler), delay)) : handler;
    },
    'plugin:event|unlisten': ({ eventId }) => {
      listeners.delete(eventId as number);
      return null;
    },
  };

  function handler(cmd: string): ((args: Record<string, unknown>) => unknown) | undefined {
    if (cmd.startsWith('plugin:')) return plugins[cmd as `plugin:${string}`];
    return Object.hasOwn(commands, cmd)
      ? (commands[cmd as keyof Commands] as (args: Record<string, unknown>) => unknown)
      : undefined;
  }

  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(cb: Callback) {
      const id = nextId++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback(id: number) {
      callbacks.delete(id);
    },
    async invoke(cmd: string, args?: Record<string, unknown>) {
      calls.push(cmd);
      if (state.failNext && state.failNext.cmd === cmd) {
        const e = state.failNext.error;
        state.failNext = null;
        throw e;
      }
      const h = handler(cmd);
      if (!h) throw `unknown command ${cmd}`;
      // A command answering nothing answers null over IPC.
      return h(args ?? {}) ?? null;
    },
  };
  // As Tauri's own: a listener's callback is dropped when it is unlistened (a no-op here kept
  // every unmounted component's handler, and through it the component's DOM, alive).
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener(_event: string, id: number) {
      callbacks.delete(id);
      listeners.delete(id);
    },
  };
  // The idle lock, as Rust keeps it: from the last reported touch or key; it locks and tells.
  setInterval(() => {
    const minutes = state.settings.idle_lock_minutes;
    if (!state.pin || state.locked || minutes === 0) return;
    if (Date.now() - state.lastActivity >= minutes * 60_000) {
      state.locked = true;
      state.manager = false;
      state.seller = null;
      state.stepped = null;
      emit('lock-changed', null);
    }
  }, 5_000);
  window.__mock = { state, calls, emit, update: (n, status) => update(find(n), status), listening: () => listeners.size };
})();
