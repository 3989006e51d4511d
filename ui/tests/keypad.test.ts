import { describe, expect, it } from 'vitest';
import { display, fromKeyboard, press, type Key } from '../src/lib/keypad';

function type(keys: Key[], exponent = 2): string {
  return keys.reduce((t, k) => press(t, k, exponent), '');
}

describe('keypad typing', () => {
  it('builds amounts digit by digit', () => {
    expect(type(['1', '2', '.', '5'])).toBe('12.5');
    expect(type(['.', '5'])).toBe('0.5');
    expect(type(['0', '0', '7'])).toBe('7');
  });

  it('refuses a second point and more decimals than the currency has', () => {
    expect(type(['1', '.', '2', '.', '3', '4', '5'])).toBe('1.23');
    expect(type(['1', '5', '.', '0'], 0)).toBe('150');
  });

  it('caps the whole part and deletes and clears', () => {
    expect(type(Array(12).fill('9') as Key[])).toBe('999999999');
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear'])).toBe('');
  });

  it('shows the amount formatted for the currency as it is typed', () => {
    expect(display('', 2)).toBe('0.00');
    expect(display('12.5', 2)).toBe('12.50');
    expect(display('1234567', 2)).toBe('1,234,567.00');
    expect(display('1500', 0)).toBe('1,500');
    expect(display('0.', 3)).toBe('0.000');
  });

  it('maps keyboard keys', () => {
    expect(fromKeyboard('7')).toBe('7');
    expect(fromKeyboard(',')).toBe('.');
    expect(fromKeyboard('Backspace')).toBe('back');
    expect(fromKeyboard('a')).toBeNull();
  });
});
