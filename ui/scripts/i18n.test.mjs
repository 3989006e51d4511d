// The catalog check that fails the build on a broken catalog, and the pseudo-locale's words.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { problems, pseudo } from './i18n.mjs';

const here = dirname(fileURLToPath(import.meta.url));

describe('the catalog check', () => {
  it('passes the catalogs as they are and names a missing key and a changed placeholder', () => {
    expect(problems().found).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'till-catalogs-'));
    try {
      cpSync(join(here, '..', 'messages'), dir, { recursive: true });
      const de = join(dir, 'sell', 'de.json');
      const words = JSON.parse(readFileSync(de, 'utf8'));
      delete words.timed_out_title;
      words.timed_out_amount = '{betrag} · Beleg {receipt}';
      writeFileSync(de, JSON.stringify(words));
      const found = problems(dir).found;
      expect(found).toContain('sell/de.json: timed_out_title is missing');
      expect(found.some((p) => p.startsWith('sell/de.json: timed_out_amount has {betrag} {receipt}'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks every pseudo-locale word and keeps placeholders', () => {
    expect(pseudo('Pay {amount} now')).toBe('⟦Ƥàý {amount} ñöw⟧');
  });
});
