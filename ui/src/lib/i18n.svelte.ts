// Which language the screen speaks, and the switch between them. The words themselves are in
// ui/messages/AREA/LOCALE.json, compiled by Paraglide into typed functions (`m.key()`); this module
// only picks the locale, tells the document (`lang`, `dir`) and lets the screen redraw.
//
// Paraglide's locale lives in a Svelte state here: every `m.key()` in a template reads it, so a
// switch redraws each word where it stands, with no remount and nothing typed lost. Only
// English's words are in the page from the start; another language's are loaded when chosen
// (scripts/i18n.mjs, `lazyLocales`), and the switch waits for them.
import { __loadLocale } from './paraglide/messages/_index.js';
import { baseLocale, locales, overwriteGetLocale, overwriteSetLocale, type Locale } from './paraglide/runtime.js';

/** The languages a shop can choose, each named in itself (a German speaker looks for "Deutsch").
 * `en-XA`, the pseudo-locale the browser suite uses to find words that skipped the catalogs, is
 * compiled in but never offered. */
export const LANGUAGES: readonly { tag: Language; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'es', name: 'Español' },
  { tag: 'pt-BR', name: 'Português (Brasil)' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'fr', name: 'Français' },
];

export type Language = Locale;

/** Languages written right to left; none yet, but the layout only needs this list to grow. */
const RTL = new Set<string>(['ar', 'fa', 'he', 'ur']);

/** The closest language we have to `tag` ("pt-PT" -> "pt-BR", "de-CH" -> "de"), or null. */
export function closest(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const wanted = (tag.replace('_', '-').split('.')[0] ?? '').toLowerCase();
  const exact = locales.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const base = wanted.split('-')[0] ?? '';
  return LANGUAGES.find((l) => (l.tag.split('-')[0] ?? '').toLowerCase() === base)?.tag ?? null;
}

/** The system's language (the web view's), or English. */
export function systemLanguage(): Language {
  const tags = typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const t of tags) {
    const found = closest(t);
    if (found) return found;
  }
  return 'en';
}

/** The screen's language; read by every message, so reading it is what makes words redraw. */
export const language = $state({ current: baseLocale as Language });
overwriteGetLocale(() => language.current);
overwriteSetLocale((l) => {
  void useLanguage(l);
});

/** The last language asked for: a switch whose words arrive after a later one's is dropped. */
let asked = 0;
/** The last switch asked for, which a dropped one waits for and answers with. */
let latest: Promise<Language> = Promise.resolve(baseLocale as Language);

/** Speaks `tag` from now on (unknown tags fall back to the system's language), once its words
 * are loaded; a language that cannot be loaded leaves the screen in the one it spoke. It reads
 * no state before its first wait, so an effect that calls it depends on its own reads alone
 * (reading `language.current` here made the main window's effect put the shop's language back
 * the moment the setup screen switched to another). */
export function useLanguage(tag: string | null | undefined): Promise<Language> {
  const chosen = closest(tag) ?? systemLanguage();
  const mine = ++asked;
  latest = switchTo(chosen, mine);
  return latest;
}

/** Loads `chosen`'s words and speaks it, unless a later switch was asked for meanwhile: then
 * the answer is that switch's, so a caller that waits never sees the screen in between. */
async function switchTo(chosen: Language, mine: number): Promise<Language> {
  try {
    await __loadLocale(chosen);
  } catch (e) {
    console.error(`The words of ${chosen} could not be loaded`, e);
    return mine === asked ? language.current : latest;
  }
  if (mine !== asked) return latest;
  language.current = chosen;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = chosen;
    document.documentElement.dir = RTL.has(chosen.split('-')[0] ?? '') ? 'rtl' : 'ltr';
  }
  return chosen;
}
