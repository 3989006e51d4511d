// Injected before the page loads: stands in for Tauri's IPC with a small in-memory till, so the
// built UI runs in a plain browser. Tests drive it through window.__mock (emit events, inspect
// calls). Shapes follow the generated bindings in src/lib/bindings.
(() => {
  const callbacks = new Map();
  const listeners = new Map();
  let nextId = 1;
  const calls = [];
  const state = {
    sales: [],
    alerts: [],
    failNext: null,
    fullscreen: false,
    info: {
      version: '0.1.0', demo: true, data_dir: '/home/shop/.local/share/till', network: 'regtest',
      shop_name: 'Corner Café', currency: 'USD', currency_exponent: 2, terminal: 'till-1',
      setup_needed: false, sound: true, keychain_problem: null,
    },
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
    },
  };
  const pinRequired = () => {
    if (state.locked) throw { code: 'locked', message: 'the till is locked; enter the manager PIN to unlock it' };
    if (state.pin && !state.manager) throw { code: 'pin_required', message: 'this needs the manager PIN' };
  };
  const checkPin = (pin) => {
    if (pin !== state.pin) {
      state.wrongPins += 1;
      throw { code: 'wrong_pin', message: `wrong PIN (${Math.max(0, 3 - state.wrongPins)} more tries before the till makes you wait)` };
    }
    state.wrongPins = 0;
    state.manager = true;
  };
  const line = (status, count, amount, msat) => ({ status, currency: 'USD', count, amount, msat });
  function report(kind) {
    const paid = state.sales.filter((s) => s.status === 'paid' || s.status === 'paid_late');
    const total = paid.reduce((a, s) => a + parseFloat(s.amount), 0);
    const msat = paid.reduce((a, s) => a + s.amount_msat, 0);
    const refunded = state.refunds.reduce((a, r) => a + r.amount_minor, 0) / 100;
    const zNo = state.closed.length + (kind === 'X' ? 1 : 0);
    return {
      kind, label: kind === 'Z' ? `TZ${zNo}` : 'X', z_no: zNo, day: new Date().toLocaleDateString('sv-SE'),
      timezone: 'Europe/Zurich', terminal: 'till-1', training: true, generated_at: new Date().toISOString(),
      from: state.closed[0]?.cutoff ?? null, to: new Date().toISOString(), late_payments: [],
      documents: state.sales.length - state.sealed + state.refunds.length,
      lines: paid.length ? [line('paid', paid.length, total.toFixed(2), msat)] : [],
      received: paid.length ? [line('received', paid.length, total.toFixed(2), msat)] : [],
      refunds: state.refunds.length ? [line('refunded', state.refunds.length, refunded.toFixed(2), 0)] : [],
      net: paid.length ? [line('net', paid.length, (total - refunded).toFixed(2), 0)] : [],
      paid_late: [], underpaid: [], open: [], left_out: 0, chain_head: kind === 'Z' ? 'fe52a1c3'.repeat(8) : '',
    };
  }
  const qr = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/>' +
    '<path d="M4 4h7v7H4zM18 4h7v7h-7zM4 18h7v7H4zM13 13h3v3h-3z" fill="#000"/></svg>';

  function sale(receipt_no, amount, status) {
    const now = new Date();
    return {
      receipt_no, label: `T${receipt_no}`, attention: null, status, amount, currency: 'USD',
      amount_msat: Math.round(parseFloat(amount) * 1000) * 1000,
      rate: '100000', memo: '', order_id: `2026112400000000000${receipt_no}`,
      payment_request: 'lnbcrt125u1p4sf4dhdp5x93rjer9x4jrye3kvvmkgwp5xyckgdp3vd3nyv34xccxywfhvvus',
      payment_hash: 'ab'.repeat(32), pay_url: `http://127.0.0.1/#/cashier/${receipt_no}`,
      created_at: now.toISOString(), order_expires_at: new Date(now.getTime() + 30 * 60_000).toISOString(),
      paid_at: null, error: null, underpaid: false, partial: false, training: true, replaces: null,
    };
  }
  const find = (n) => {
    const s = state.sales.find((x) => x.receipt_no === n);
    if (!s) throw { code: 'not_found', message: `there is no sale with receipt number T${n}` };
    return s;
  };
  function update(s, status) {
    const previous = s.status;
    s.status = status;
    if (status === 'paid' || status === 'paid_late') s.paid_at = new Date().toISOString();
    emit('sale-updated', { sale: { ...s }, previous, paid_late: status === 'paid_late' });
    return { ...s };
  }
  function emit(event, payload) {
    for (const [id, name] of listeners) {
      if (name === event) callbacks.get(id)?.({ event, id, payload });
    }
  }

  const commands = {
    app_info: () => state.info,
    gateway_ready: () => ({ ready: true, message: 'The gateway answers and accepts the credentials (built-in demo gateway)' }),
    pending_alerts: () => state.alerts,
    charge: ({ amount, memo }) => {
      if (!/^\d*\.?\d{0,2}$/.test(amount) || !(parseFloat(amount) > 0)) {
        throw { code: 'bad_input', message: 'the amount must be more than zero' };
      }
      const s = sale(state.sales.length + 1, parseFloat(amount).toFixed(2), 'awaiting_payment');
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
      return update(s, ['timed_out', 'cancelled'].includes(s.status) ? 'paid_late' : 'paid');
    },
    sales_today: ({ query }) => [...state.sales].reverse().filter((s) => !query || s.memo.includes(query) || String(s.receipt_no) === query),
    sale_detail: ({ receiptNo }) => ({
      sale: { ...find(receiptNo) },
      timeline: [
        { at: find(receiptNo).created_at, what: 'Rung up', detail: '{}' },
        { at: find(receiptNo).created_at, what: 'Invoice created and checked', detail: '{}' },
      ],
    }),
    invoice_qr: ({ receiptNo }) => (find(receiptNo), qr),
    acknowledge_alert: ({ receiptNo }) => {
      state.alerts = state.alerts.filter((a) => a.receipt_no !== receiptNo);
      return null;
    },
    open_customer_display: () => null,
    save_receipt: ({ receiptNo }) => (find(receiptNo), `/home/shop/.local/share/till/receipts/receipt-till-1-${receiptNo}.pdf`),
    current_sale: () => state.sales.filter((s) => s.status === 'awaiting_payment').pop() ?? null,
    lock_state: () => ({ locked: state.locked, pin_set: !!state.pin, manager: state.manager, idle_lock_minutes: state.settings.idle_lock_minutes }),
    lock: () => {
      if (!state.pin) throw { code: 'not_allowed', message: 'set a manager PIN first (Manager > Settings); without one the till could not be unlocked' };
      state.locked = true;
      state.manager = false;
      return null;
    },
    unlock: ({ pin }) => {
      checkPin(pin);
      state.locked = false;
      return null;
    },
    end_manager: () => ((state.manager = false), null),
    sound_on: () => state.settings.sound,
    currencies: () => ({
      currencies: [
        { code: 'CHF', name: 'Swiss Franc' }, { code: 'EUR', name: 'Euro' }, { code: 'USD', name: 'US Dollar' },
      ],
      from_gateway: true, note: null,
    }),
    finish_setup: ({ shopName, terminal, currency, pin }) => {
      if (!shopName.trim()) throw { code: 'bad_input', message: "give the shop's name" };
      if (!/^\d{4,12}$/.test(pin)) throw { code: 'bad_input', message: 'a PIN is 4 to 12 digits' };
      Object.assign(state.info, { shop_name: shopName, terminal, currency, setup_needed: false });
      state.pin = pin;
      state.manager = true;
      return null;
    },
    x_report: () => (pinRequired(), report('X')),
    close_day: () => {
      pinRequired();
      const day = new Date().toLocaleDateString('sv-SE');
      if (state.sales.length === state.sealed && state.closed.length > 0) {
        throw { code: 'not_allowed', message: `nothing happened since ${state.closed[0].label} (closed at ${state.closed[0].closed_at}); there is nothing to close` };
      }
      const now = new Date().toISOString();
      const z_no = state.closed.length + 1;
      state.closed.unshift({ z_no, label: `TZ${z_no}`, closed_at: now, cutoff: now });
      const sealed = report('Z');
      state.sealed = state.sales.length;
      return { report: sealed, exported_to: `/home/shop/exports/till-till-1-${day}-TZ${z_no}-demo.csv`, export_problem: null };
    },
    closed_days: () => (pinRequired(), state.closed),
    z_report: () => (pinRequired(), report('Z')),
    activity: () => ((state.lastActivity = Date.now()), null),
    settle_sale: ({ receiptNo, orderId, pin }) => {
      checkPin(pin);
      const s = find(receiptNo);
      s.attention = null;
      return update(s, orderId ? 'awaiting_payment' : 'failed');
    },
    export_sales: () => (pinRequired(), '/home/shop/Documents/till-till-1.csv'),
    choose_export_folder: () => (pinRequired(), '/home/shop/exports'),
    credential_status: () => (pinRequired(), state.credentials),
    save_credentials: ({ kind, apiKey, secret }) => {
      pinRequired();
      const key = kind === 'api_key' ? apiKey : secret;
      if (key !== 'right') {
        return { outcome: 'wrong_credentials', message: 'The gateway refused these credentials (code 401). Check them in the Aurpay dashboard; nothing was saved.', saved: false };
      }
      state.credentials = { ...state.credentials, source: 'keychain', hint: kind === 'api_key' ? 'API key …ight' : 'API token …ken1 with its secret' };
      state.info.demo = false;
      return { outcome: 'connected', message: 'Connected: the gateway accepted the credentials. They are saved in the system keychain.', saved: true };
    },
    sign_in: () => (pinRequired(), { outcome: 'wrong_credentials', message: 'Aurpay did not accept that username and password. Nothing was saved.', saved: false }),
    test_connection: () => (pinRequired(), { outcome: 'connected', message: 'Demo mode: the built-in demo gateway answers.', saved: false }),
    forget_credentials: () => (pinRequired(), (state.credentials.source = 'none'), null),
    get_settings: () => (pinRequired(), { ...state.settings }),
    save_settings: ({ settings }) => {
      pinRequired();
      if (settings.idle_lock_minutes > 240) throw { code: 'bad_input', message: 'the idle lock is 0 (never) to 240 minutes' };
      state.settings = { ...settings };
      return { ...state.settings };
    },
    change_pin: ({ current, newPin }) => (checkPin(current), (state.pin = newPin), null),
    balance: () => (pinRequired(), { btc: '0.00125', sats: 125_000, demo: true }),
    preview_invoice: ({ invoice }) => {
      pinRequired();
      if (!invoice.trim().startsWith('lnbcrt')) throw { code: 'bad_input', message: 'that is not a valid Lightning invoice; copy the whole invoice and paste it again' };
      return { sats: 25_000, msat: 25_000_000, expires_at: new Date(Date.now() + 86_400_000).toISOString(), payment_hash: 'cd'.repeat(8) + '…' };
    },
    withdraw: ({ invoice, pin }) => {
      checkPin(pin);
      if (state.withdrawals.some((w) => w.invoice === invoice)) {
        throw { code: 'not_allowed', message: 'this invoice was already sent to the gateway on today (sent); it is never paid twice' };
      }
      const w = { id: state.withdrawals.length + 1, payment_hash: 'cd'.repeat(32), invoice, amount_msat: 25_000_000, state: 'sent',
        answer: '{"status":"SUCCESS"}', training: true, created_at: new Date().toISOString(), updated_at: new Date().toISOString() };
      state.withdrawals.unshift(w);
      return w;
    },
    withdrawals: () => (pinRequired(), state.withdrawals),
    refund: ({ receiptNo, amount, reason, invoice, pin }) => {
      checkPin(pin);
      const s = find(receiptNo);
      if (!reason.trim()) throw { code: 'bad_input', message: 'say why the money is given back' };
      const n = state.refunds.length + 1;
      const r = { id: n, terminal: 'till-1', refund_no: n, label: `TR${n}`, sale_id: receiptNo,
        receipt_no: receiptNo, created_at: new Date().toISOString(), amount_minor: Math.round(parseFloat(amount) * 100),
        amount: parseFloat(amount).toFixed(2), currency: s.currency, reason, method: invoice ? 'lightning' : 'cash',
        training: true, event_id: 1, state: invoice ? 'paid' : 'done', payment_hash: null, amount_msat: null,
        answer: null, updated_at: new Date().toISOString() };
      state.refunds.push(r);
      return { refund: r, sale: { ...s }, gateway_error: null };
    },
    refunds_of: ({ receiptNo }) => state.refunds.filter((r) => r.receipt_no === receiptNo),
    'plugin:window|is_fullscreen': () => state.fullscreen,
    'plugin:window|set_fullscreen': ({ value }) => {
      state.fullscreen = value;
      return null;
    },
    'plugin:event|listen': ({ event, handler }) => {
      listeners.set(handler, event);
      return handler;
    },
    'plugin:event|unlisten': ({ eventId }) => {
      listeners.delete(eventId);
      return null;
    },
  };

  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(cb) {
      const id = nextId++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    async invoke(cmd, args) {
      calls.push(cmd);
      if (state.failNext && state.failNext.cmd === cmd) {
        const e = state.failNext.error;
        state.failNext = null;
        throw e;
      }
      const h = commands[cmd];
      if (!h) throw `unknown command ${cmd}`;
      return h(args ?? {});
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
  // The idle lock, as Rust keeps it: from the last reported touch or key; it locks and tells.
  setInterval(() => {
    const minutes = state.settings.idle_lock_minutes;
    if (!state.pin || state.locked || minutes === 0) return;
    if (Date.now() - state.lastActivity >= minutes * 60_000) {
      state.locked = true;
      state.manager = false;
      emit('lock-changed', null);
    }
  }, 5_000);
  window.__mock = { state, calls, emit, update: (n, status) => update(find(n), status) };
})();
