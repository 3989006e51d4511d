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
    },
  };
  const qr = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/>' +
    '<path d="M4 4h7v7H4zM18 4h7v7h-7zM4 18h7v7H4zM13 13h3v3h-3z" fill="#000"/></svg>';

  function sale(receipt_no, amount, status) {
    const now = new Date();
    return {
      receipt_no, status, amount, currency: 'USD',
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
    if (!s) throw { code: 'not_found', message: `there is no sale with receipt number ${n}` };
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
  window.__mock = { state, calls, emit, update: (n, status) => update(find(n), status) };
})();
