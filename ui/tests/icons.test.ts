import { describe, expect, it } from 'vitest';
import { ICONS, scaled } from '../src/lib/icons.svelte';

describe('icons', () => {
  it('scales every coordinate and radius of a path', () => {
    expect(scaled('M13.5 2 6 13.5h5L9.5 22 18 9.5h-5z', 2)).toBe('M27 4 12 27h10L19 44 36 19h-10z');
  });

  it("keeps an arc's rotation and flags as they are", () => {
    expect(scaled('M7 10V7a5 5 0 0 1 10 0v3', 3)).toBe('M21 30V21a15 15 0 0 1 30 0v9');
    expect(scaled('A1 1 30 1 0 2 2 3 3 0 0 1 4 4', 2)).toBe('A2 2 30 1 0 4 4 6 6 0 0 1 8 8');
  });

  it('reads numbers written without spaces between them', () => {
    expect(scaled('M4 13a4.5 4.5 0 0 0 3-.8', 2)).toBe('M8 26a9 9 0 0 0 6 -1.6');
    expect(scaled('M1.5.5l2e1-3', 2)).toBe('M3 1l40 -6');
  });

  it('rounds to hundredths of a pixel', () => {
    expect(scaled('M1 2', 17.4 / 24)).toBe('M0.73 1.45');
  });

  it("doubles every number of each icon but its arcs' rotations and flags", () => {
    const numbers = (d: string) => (d.match(/-?(\d+\.?\d*|\.\d+)/g) ?? []).map(Number);
    // The icons with an arc whose sweep flag is 1: a 1 kept as it is, where any other 1 doubles.
    const sweeping = ['printer', 'shop', 'soundOn', 'tap', 'lock'];
    for (const [name, d] of Object.entries(ICONS)) {
      const before = numbers(d);
      const after = numbers(scaled(d, 2));
      expect(after.length, name).toBe(before.length);
      after.forEach((n, i) => expect(n === 2 * before[i]! || (n === before[i] && (n === 0 || n === 1)), `${name}, number ${i}`).toBe(true));
      const keptOnes = after.filter((n, i) => n === 1 && before[i] === 1).length;
      expect(keptOnes > 0, `${name}: a sweep flag kept`).toBe(sweeping.includes(name));
    }
  });
});
