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

  it('gives back each icon as it is at its own size', () => {
    const numbers = (d: string) => (d.match(/-?(\d+\.?\d*|\.\d+)/g) ?? []).map(Number);
    for (const [name, d] of Object.entries(ICONS)) {
      expect(numbers(scaled(d, 1)), name).toEqual(numbers(d));
    }
  });
});
