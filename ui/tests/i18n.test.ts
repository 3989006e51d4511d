// The language machinery: the closest language to a system's, the document told, words and
// numbers following the switch (the catalog check's own tests are in scripts/i18n.test.mjs).
import { afterEach, describe, expect, it } from 'vitest';
import { closest, language, useLanguage } from '../src/lib/i18n.svelte';
import { decimal, decimalSeparator, fiat, group, sats, showTyped, statusWords, typedAmount } from '../src/lib/format';
import { display } from '../src/lib/keypad';
import { m } from '../src/lib/paraglide/messages.js';
import { locales } from '../src/lib/paraglide/runtime.js';

afterEach(async () => {
  await useLanguage('en');
});

// First in the file: the pseudo-locale is loaded by no test here, so its words are not yet in.
describe('words loaded when their language is chosen', () => {
  it('reads a language not yet loaded in English, and switches only once its words are in', async () => {
    expect(m.state_paid({}, { locale: 'en-XA' })).toBe('Paid');
    const switching = useLanguage('en-XA');
    expect(language.current).toBe('en');
    expect(m.state_paid()).toBe('Paid');
    expect(document.documentElement.lang).not.toBe('en-XA');
    await expect(switching).resolves.toBe('en-XA');
    expect(language.current).toBe('en-XA');
    expect(document.documentElement.lang).toBe('en-XA');
    expect(m.state_paid()).toBe('⟦Ƥàïd⟧');
    expect(m.state_paid({}, { locale: 'en' })).toBe('Paid');
  });

  it('keeps the last language asked for when an earlier one loads after it', async () => {
    // French's words take longer to arrive than English's, which are always in.
    const french = useLanguage('fr');
    const english = useLanguage('en');
    // The dropped switch answers with the one that won, so a caller waiting on it sees that.
    expect(await Promise.all([french, english])).toEqual(['en', 'en']);
    expect(language.current).toBe('en');
    expect(m.state_paid()).toBe('Paid');
  });
});

describe('choosing the language', () => {
  it('finds the closest language Till speaks', async () => {
    expect(closest('de-CH')).toBe('de');
    expect(closest('pt-PT')).toBe('pt-BR');
    expect(closest('es_SV.UTF-8')).toBe('es');
    expect(closest('fr')).toBe('fr');
    expect(closest('ja-JP')).toBeNull();
    expect(closest(null)).toBeNull();
  });

  it('tells the document its language and direction, and the words follow', async () => {
    await useLanguage('de');
    expect(document.documentElement.lang).toBe('de');
    expect(document.documentElement.dir).toBe('ltr');
    expect(m.state_paid()).toBe('Bezahlt');
    expect(statusWords('timed_out')).toBe('Abgelaufen');
    await useLanguage('es');
    expect(m.state_paid()).toBe('Pagado');
    await useLanguage('klingon');
    // An unknown tag falls back to the system's language (jsdom's is English).
    expect(m.state_paid()).toBe('Paid');
  });
});

describe('numbers in the language, digits untouched', () => {
  it('formats exact decimals with the locale separators', async () => {
    expect(fiat('1234.50', 'USD')).toBe('1,234.50 USD');
    await useLanguage('de');
    expect(fiat('1234.50', 'EUR')).toBe('1.234,50 EUR');
    expect(decimal('-0.50')).toBe('-0,50');
    expect(group('123456789012345678901')).toBe('123.456.789.012.345.678.901');
    expect(sats(12500)).toBe('12.500 sats');
    await useLanguage('fr');
    expect(decimal('1234.50')).toBe('1\u202f234,50');
    await useLanguage('es');
    // Spanish groups from five digits on.
    expect(decimal('1234.50')).toBe('1234,50');
    expect(decimal('12345.50')).toBe('12.345,50');
  });

  // The symbols are written out in format.ts (the first Intl.NumberFormat costs the idle till
  // 2.4 MB); Intl is the reference they must match (Node's own ICU here, the system's in WebKit:
  // these languages' symbols are the same in both).
  it('writes numbers exactly as Intl does, in every language shipped', async () => {
    const wholes = ['0', '7', '12', '123', '1234', '12345', '123456', '1234567', '1000000', '123456789012345678901', '00', '0001234', '012345'];
    for (const locale of locales) {
      expect(await useLanguage(locale)).toBe(locale);
      const intl = new Intl.NumberFormat(locale === 'en-XA' ? 'en' : locale, { minimumFractionDigits: 2 });
      const part = (type: string) => intl.formatToParts(-1234.5).find((p) => p.type === type)?.value;
      expect(decimalSeparator(), locale).toBe(part('decimal'));
      for (const whole of wholes) {
        expect(group(whole), `${locale} ${whole}`).toBe(new Intl.NumberFormat(intl.resolvedOptions().locale).format(BigInt(whole)));
        expect(decimal(`-${whole}.50`), `${locale} -${whole}.50`).toBe(intl.format(`-${whole}.50` as unknown as number));
      }
    }
  });

  it('the keypad shows the decimal comma and sends the point', async () => {
    await useLanguage('pt-BR');
    expect(display('1234.5', 2)).toBe('1.234,50');
    expect(display('', 2)).toBe('0,00');
    expect(typedAmount('12,50')).toBe('12.50');
    expect(typedAmount(' 12.50 ')).toBe('12.50');
    // What the screen shows is read as it shows it: the grouping point is no decimal point.
    expect(typedAmount('1.234,50')).toBe('1234.50');
    expect(typedAmount('1.500')).toBe('1500');
    expect(typedAmount('12.345.678')).toBe('12345678');
    // A point that is no grouping is the point typed; anything else goes to Rust as typed.
    expect(typedAmount('12.5')).toBe('12.5');
    expect(typedAmount('1,2,3')).toBe('1,2,3');
    expect(showTyped('12.5')).toBe('12,5');
    await useLanguage('en');
    expect(typedAmount('12,50')).toBe('12,50');
    expect(display('1234.5', 2)).toBe('1,234.50');
  });
});
