// The catalog check that fails the build on a broken catalog, and the pseudo-locale's words.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyLocales, problems, pseudo } from './i18n.mjs';

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

describe('languages loaded when chosen', () => {
  const message = (key) => [
    `export const ${key} = ((inputs = {}, options = {}) => {`,
    '\tconst locale = experimentalStaticLocale ?? options.locale ?? getLocale()',
    `\tif (locale === "de") return __de.${key}(inputs)`,
    `\tif (locale === "pt-BR") return __pt_br2.${key}(inputs)`,
    `\treturn __en.${key}(inputs)`,
    '});',
  ];
  const index = [
    'import { getLocale, experimentalStaticLocale } from "../runtime.js"',
    'import * as __en from "./en.js"',
    'import * as __de from "./de.js"',
    'import * as __pt_br2 from "./pt-BR.js"',
    ...message('paid'),
    ...message('state_timed_out'),
    '',
  ].join('\n');

  it('imports the base language only, reads each message from the language loaded, and loads one when asked', () => {
    const out = lazyLocales(index, 'en', ['en', 'de', 'pt-BR']);
    expect(out).toContain('import * as __en from "./en.js"\n');
    expect(out).not.toMatch(/import \* as __(de|pt_br2)/);
    expect(out).not.toMatch(/return __(de|pt_br2)\./);
    expect(out).toContain('\tconst words = __loaded[locale]\n\treturn words ? words.paid(inputs) : __en.paid(inputs)\n');
    expect(out).toContain('\treturn words ? words.state_timed_out(inputs) : __en.state_timed_out(inputs)\n');
    expect(out).toContain('const __loaded = Object.create(null)');
    expect(out).toContain('\tif (locale === "de") __loaded[locale] = await import("./de.js")');
    expect(out).toContain('\tif (locale === "pt-BR") __loaded[locale] = await import("./pt-BR.js")');
    expect(out).toContain('export async function __loadLocale(locale)');
  });

  it('refuses an index that is not the shape it rewrites', () => {
    expect(() => lazyLocales(index, 'en', ['en', 'de', 'pt-BR', 'fr'])).toThrow(/not one module for each of en, de, pt-BR, fr/);
    expect(() => lazyLocales('export const paid = () => "Paid"\n', 'en', ['en'])).toThrow(/imports no language/);
    // A message that picks its language some other way: 2 messages, 1 read from English.
    const changed = index.replace('\treturn __en.paid(inputs)', '\treturn __en.paid(inputs, options)');
    expect(() => lazyLocales(changed, 'en', ['en', 'de', 'pt-BR'])).toThrow(/2 messages, 1 read from en, 4 choices/);
    // A language named anywhere else after its import is gone would fail in the page.
    const elsewhere = `${index}export const first = () => __de.paid({})\n`;
    expect(() => lazyLocales(elsewhere, 'en', ['en', 'de', 'pt-BR'])).toThrow(/de still named/);
  });

  it('left no other language imported in the compiled index', () => {
    const compiled = readFileSync(join(here, '..', 'src', 'lib', 'paraglide', 'messages', '_index.js'), 'utf8');
    expect(compiled).toMatch(/^import \* as __en from "\.\/en\.js"$/m);
    expect(compiled.match(/^import \* as /gm)).toHaveLength(1);
    expect(compiled).not.toMatch(/^\tif \(locale === "[^"]+"\) return /m);
    expect(compiled).toContain('export async function __loadLocale(locale)');
    // Words only Rust prints are not compiled for the screens.
    expect(compiled).not.toMatch(/^export const (print|cli)_/m);
    expect(compiled).toMatch(/^export const keypad_charge = /m);
  });
});
