// The main window's keyboard: which key does what on which screen. Pure, so every shortcut is
// tested without a window (tests/shortcuts.test.ts); MainWindow.svelte only carries them out.
import type { Screen } from './cashier.svelte';
import { fromKeyboard, type Key } from './keypad';

/** What the window is showing when a key is pressed. */
export interface Where {
  /** A PIN prompt, the lock screen, first-run setup or a late-payment alert has the keys, or
   * the till is not up (starting, or stopped by a wrong setting). */
  busy: boolean;
  /** The manager's screens are open. */
  manager: boolean;
  /** The cashier's screen. */
  screen: Screen;
  /** The key went to a text field (the memo, a search). */
  typing: boolean;
  /** The selling screen shows items (not the keypad): typed characters go to the search box, so
   * a barcode scanner's digits can never become an amount. */
  catalog?: boolean;
}

/** What a key asks for. */
export type Action =
  | { do: 'lock' }
  | { do: 'open-manager' }
  | { do: 'close-manager' }
  | { do: 'toggle-history' }
  | { do: 'toggle-drawer' }
  | { do: 'customer-display' }
  | { do: 'charge' }
  | { do: 'cash' }
  | { do: 'keypad'; key: Key }
  | { do: 'search'; key: string }
  | { do: 'cancel-invoice' }
  | { do: 'new-sale' }
  | { do: 'charge-again' }
  | { do: 'back-to-selling' };

/** The action `key` asks for where the window is, and whether the browser's own use of the key
 * (F-keys, Enter submitting) must be stopped; null when the key is not a shortcut there. */
export function shortcut(key: string, where: Where): { action: Action; prevent: boolean } | null {
  if (where.busy) return null; // those have their own keys and buttons
  const act = (action: Action, prevent = true) => ({ action, prevent });
  if (key === 'F9') return act({ do: 'lock' });
  if (key === 'F4') return act({ do: where.manager ? 'close-manager' : 'open-manager' });
  if (where.manager) return key === 'Escape' ? act({ do: 'close-manager' }) : null;
  if (key === 'F2') return act({ do: 'toggle-history' });
  if (key === 'F6') return act({ do: 'toggle-drawer' });
  if (key === 'F3') return act({ do: 'customer-display' });
  switch (where.screen) {
    case 'keypad': {
      if (key === 'Enter') return act({ do: 'charge' });
      if (key === 'F7') return act({ do: 'cash' });
      if (key === 'Escape') return act({ do: 'keypad', key: 'clear' }, false);
      if (where.typing) return null;
      if (where.catalog) return key.length === 1 ? act({ do: 'search', key }) : null;
      const k = fromKeyboard(key);
      return k ? act({ do: 'keypad', key: k }) : null;
    }
    case 'invoice':
      return key === 'Escape' ? act({ do: 'cancel-invoice' }, false) : null;
    case 'paid':
      return key === 'Enter' || key === 'Escape' ? act({ do: 'new-sale' }) : null;
    case 'timed_out':
    case 'failed':
      if (key === 'Enter') return act({ do: 'charge-again' });
      return key === 'Escape' ? act({ do: 'new-sale' }, false) : null;
    case 'history':
    case 'drawer':
      return key === 'Escape' ? act({ do: 'back-to-selling' }, false) : null;
    case 'tip':
      return null; // the tip screen has its own buttons
  }
}
