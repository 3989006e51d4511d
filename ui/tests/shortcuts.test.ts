import { describe, expect, it } from 'vitest';
import { shortcut, type Where } from '../src/lib/shortcuts';

const at = (over: Partial<Where> = {}): Where => ({ busy: false, manager: false, screen: 'keypad', typing: false, ...over });
const what = (key: string, where: Where) => shortcut(key, where)?.action ?? null;

describe('shortcuts', () => {
  it('lock, manager, history and the customer display from the cashier screens', () => {
    expect(what('F9', at())).toEqual({ do: 'lock' });
    expect(what('F4', at())).toEqual({ do: 'open-manager' });
    expect(what('F2', at({ screen: 'invoice' }))).toEqual({ do: 'toggle-history' });
    expect(what('F3', at({ screen: 'paid' }))).toEqual({ do: 'customer-display' });
    expect(shortcut('F2', at())?.prevent).toBe(true);
  });

  it('the keypad takes digits, the point, Enter to charge and Escape to clear', () => {
    expect(what('7', at())).toEqual({ do: 'keypad', key: '7' });
    expect(what(',', at())).toEqual({ do: 'keypad', key: '.' });
    expect(what('Backspace', at())).toEqual({ do: 'keypad', key: 'back' });
    expect(what('Enter', at())).toEqual({ do: 'charge' });
    expect(shortcut('Escape', at())).toEqual({ action: { do: 'keypad', key: 'clear' }, prevent: false });
    expect(what('x', at())).toBeNull();
  });

  it('digits typed into the memo stay in the memo, but Enter still charges', () => {
    expect(what('7', at({ typing: true }))).toBeNull();
    expect(what('Backspace', at({ typing: true }))).toBeNull();
    expect(what('Enter', at({ typing: true }))).toEqual({ do: 'charge' });
  });

  it('each sale screen has its own Enter and Escape', () => {
    expect(what('Escape', at({ screen: 'invoice' }))).toEqual({ do: 'cancel-invoice' });
    expect(what('Enter', at({ screen: 'invoice' }))).toBeNull();
    expect(what('Enter', at({ screen: 'paid' }))).toEqual({ do: 'new-sale' });
    expect(what('Escape', at({ screen: 'paid' }))).toEqual({ do: 'new-sale' });
    expect(what('Enter', at({ screen: 'timed_out' }))).toEqual({ do: 'charge-again' });
    expect(what('Enter', at({ screen: 'failed' }))).toEqual({ do: 'charge-again' });
    expect(what('Escape', at({ screen: 'failed' }))).toEqual({ do: 'new-sale' });
    expect(what('Escape', at({ screen: 'history' }))).toEqual({ do: 'back-to-selling' });
    expect(what('Escape', at({ screen: 'drawer' }))).toEqual({ do: 'back-to-selling' });
    expect(what('F6', at({ screen: 'keypad' }))).toEqual({ do: 'toggle-drawer' });
    expect(what('F6', at({ screen: 'drawer' }))).toEqual({ do: 'toggle-drawer' });
    expect(what('Enter', at({ screen: 'drawer' }))).toBeNull();
    expect(what('F7', at({ screen: 'keypad' }))).toEqual({ do: 'cash' });
    expect(what('F7', at({ screen: 'invoice' }))).toBeNull();
    expect(what('5', at({ screen: 'paid' }))).toBeNull();
  });

  it('in the manager screens only F4, Escape and F9 act', () => {
    expect(what('F4', at({ manager: true }))).toEqual({ do: 'close-manager' });
    expect(what('Escape', at({ manager: true }))).toEqual({ do: 'close-manager' });
    expect(what('F9', at({ manager: true }))).toEqual({ do: 'lock' });
    expect(what('F2', at({ manager: true }))).toBeNull();
    expect(what('Enter', at({ manager: true }))).toBeNull();
  });

  it('nothing while a prompt, the lock, setup or an alert has the keys', () => {
    for (const key of ['F9', 'F4', 'F2', 'Enter', 'Escape', '5']) {
      expect(shortcut(key, at({ busy: true }))).toBeNull();
    }
  });
});
