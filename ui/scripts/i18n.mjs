// The UI's catalogs, before anything else reads them: `node scripts/i18n.mjs` checks every
// catalog against English (a missing or extra key, a placeholder renamed, dropped or added
// fails), writes the pseudo-locale `en-XA` from English, then compiles them all with Paraglide
// into src/lib/paraglide, one module per language, and makes every language but English load
// only when chosen (`lazyLocales`). Run by `npm run check`, `npm run build` and `npm test`, so a broken
// catalog fails `cargo xtask test` at its first UI step.
//
// The message-format plugin is loaded from node_modules (project.inlang/settings.json): from a
// CDN, as Paraglide's defaults do, it would fail offline and compile nothing without a word.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@inlang/paraglide-js';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');
const settings = JSON.parse(readFileSync(join(ui, 'project.inlang/settings.json'), 'utf8'));
const BASE = settings.baseLocale;
const PSEUDO = 'en-XA';
const MESSAGES = join(ui, 'messages');
/** The areas whose words only Rust prints (receipts and reports, the `till` command). */
const RUST_ONLY = ['print', 'cli'];

/** Placeholders of a message, `{name}` (also inside plural variants), sorted and unique. */
export function placeholders(text) {
  return [...new Set([...text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))].sort();
}

/** Letters in brackets and accented: "Pay {amount}" -> "⟦Ƥàý {amount}⟧". Anything on screen with
 * plain letters outside ⟦ ⟧ then came from somewhere other than a catalog. */
export function pseudo(text) {
  const accents = { a: 'à', e: 'é', i: 'ï', o: 'ö', u: 'ü', y: 'ý', c: 'ç', n: 'ñ', s: 'š', z: 'ž', A: 'À', E: 'É', I: 'Ï', O: 'Ö', U: 'Ü', C: 'Ç', N: 'Ñ', S: 'Š', Z: 'Ž', P: 'Ƥ', T: 'Ŧ', D: 'Ð', L: 'Ŀ', R: 'Ř', G: 'Ĝ', H: 'Ĥ', K: 'Ķ', W: 'Ŵ', B: 'ß', F: 'Ƒ', M: 'Ṁ', V: 'Ṽ', Y: 'Ý', X: 'Ẋ', J: 'Ĵ', Q: 'Ǫ' };
  const out = text
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((part) => (part.startsWith('{') ? part : [...part].map((ch) => accents[ch] ?? ch).join('')))
    .join('');
  return `⟦${out}⟧`;
}

function readCatalog(path) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  delete json.$schema;
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== 'string') throw new Error(`${path}: ${key} is not a plain string`);
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new Error(`${path}: ${key} is not a snake_case key`);
  }
  return json;
}

/** Every problem of every catalog, in plain words; empty when all are in step with English. */
export function problems(messages = MESSAGES) {
  const found = [];
  const areas = readdirSync(messages, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const seen = new Map();
  for (const area of areas) {
    const base = readCatalog(join(messages, area, `${BASE}.json`));
    for (const key of Object.keys(base)) {
      if (seen.has(key)) found.push(`${key} is in both ${seen.get(key)} and ${area}`);
      seen.set(key, area);
      if (!base[key].trim()) found.push(`${area}/${BASE}.json: ${key} is empty`);
    }
    for (const locale of settings.locales.filter((l) => l !== BASE && l !== PSEUDO)) {
      let other;
      try {
        other = readCatalog(join(messages, area, `${locale}.json`));
      } catch (e) {
        found.push(`${area}/${locale}.json: ${e.message}`);
        continue;
      }
      for (const key of Object.keys(base)) {
        if (!(key in other)) found.push(`${area}/${locale}.json: ${key} is missing`);
        else if (!other[key].trim()) found.push(`${area}/${locale}.json: ${key} is empty`);
        else if (placeholders(base[key]).join() !== placeholders(other[key]).join())
          found.push(`${area}/${locale}.json: ${key} has {${placeholders(other[key]).join('} {')}} where English has {${placeholders(base[key]).join('} {')}}`);
      }
      for (const key of Object.keys(other)) if (!(key in base)) found.push(`${area}/${locale}.json: ${key} is not in English`);
    }
  }
  return { found, areas };
}

/**
 * Paraglide's message index (`outputStructure: 'locale-modules'`) with every language but the
 * base one loaded only when chosen. Paraglide imports each language's module whole and picks
 * one in every message, so the web view held a function object for every message in every
 * language (about 5,400) and every message's choice among six, though the screen speaks one.
 * Here each message reads its words from the language loaded for the locale asked, or from the
 * base language's, which is the only one imported: a till that speaks English never loads the
 * others, one that speaks German loads German's when it is chosen (`__loadLocale`, a name no
 * message can have: keys are snake_case), and a message asked for in a language not yet loaded
 * reads in English rather than failing. Throws when Paraglide's output is not the shape this
 * expects, so a Paraglide update that changes it fails the build instead of shipping something
 * else.
 */
export function lazyLocales(index, base, locales) {
  const imports = [...index.matchAll(/^import \* as (__[A-Za-z0-9_]+) from "\.\/([A-Za-z0-9-]+)\.js"\n/gm)];
  const named = new Map(imports.map((i) => [i[2], i[1]]));
  if (imports.length !== locales.length || !locales.every((l) => named.has(l))) {
    throw new Error(`Paraglide's message index imports ${[...named.keys()].join(', ') || 'no language'}, not one module for each of ${locales.join(', ')}`);
  }
  const baseName = named.get(base);
  const others = [...named].filter(([locale]) => locale !== base);
  let out = index;
  for (const [locale, name] of others) out = out.replace(`import * as ${name} from "./${locale}.js"\n`, '');
  out = out.replace(
    `import * as ${baseName} from "./${base}.js"\n`,
    `import * as ${baseName} from "./${base}.js"\n/** @type {Record<string, typeof ${baseName}>} Each other language's words, once loaded. */\nconst __loaded = Object.create(null)\n`,
  );
  const messages = (out.match(/^export const [a-z][a-z0-9_]* = /gm) ?? []).length;
  let picked = 0;
  for (const [locale, name] of others) {
    const pick = new RegExp(`^\\tif \\(locale === ${JSON.stringify(locale).replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\) return ${name}\\.[a-z][a-z0-9_]*\\(inputs\\)\\n`, 'gm');
    out = out.replace(pick, () => (picked++, ''));
  }
  let read = 0;
  out = out.replace(new RegExp(`^\\treturn ${baseName}\\.([a-z][a-z0-9_]*)\\(inputs\\)$`, 'gm'), (_, key) => {
    read++;
    // The base language's message named outright, so the bundler keeps only those the screens use.
    return `\tconst words = __loaded[locale]\n\treturn words ? words.${key}(inputs) : ${baseName}.${key}(inputs)`;
  });
  const left = others.filter(([, name]) => new RegExp(`\\b${name}\\b`).test(out)).map(([locale]) => locale);
  if (messages === 0 || read !== messages || picked !== messages * others.length || left.length) {
    throw new Error(`Paraglide's message index is not the shape Till rewrites: ${messages} messages, ${read} read from ${base}, ${picked} choices of another language${left.length ? `, ${left.join(', ')} still named` : ''}`);
  }
  const loads = others.map(([locale]) => `\tif (locale === ${JSON.stringify(locale)}) __loaded[locale] = await import("./${locale}.js")`).join('\n');
  return `${out}
/**
 * Loads a language's words (written by ui/scripts/i18n.mjs, not by Paraglide): until it has,
 * its messages read as ${JSON.stringify(base)}'s.
 * @param {string} locale
 * @returns {Promise<void>}
 */
export async function __loadLocale(locale) {
${loads}
}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const messages = MESSAGES;
  const { found, areas } = problems();
  if (found.length) {
    console.error(`The UI's catalogs are not in step with English:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  for (const area of areas) {
    const base = readCatalog(join(messages, area, `${BASE}.json`));
    const out = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, pseudo(v)]));
    writeFileSync(join(messages, area, `${PSEUDO}.json`), JSON.stringify(out, null, 2) + '\n');
  }
  // The areas are the catalog's files: settings.json lists the ones that exist and the screens
  // speak. `print` and `cli` are words only Rust prints (till-core's `words`, which embeds the
  // JSON itself): compiled in, they would sit in the page in every language, unused.
  const patterns = areas.filter((a) => !RUST_ONLY.includes(a)).map((a) => `./messages/${a}/{locale}.json`);
  if (JSON.stringify(settings['plugin.inlang.messageFormat'].pathPattern) !== JSON.stringify(patterns)) {
    settings['plugin.inlang.messageFormat'].pathPattern = patterns;
    writeFileSync(join(ui, 'project.inlang/settings.json'), JSON.stringify(settings, null, 2) + '\n');
  }
  await compile({
    project: join(ui, 'project.inlang'),
    outdir: join(ui, 'src/lib/paraglide'),
    strategy: ['globalVariable', 'baseLocale'],
    emitGitIgnore: false,
    emitPrettierIgnore: false,
    emitReadme: false,
    includeEslintDisableComment: false,
    outputStructure: 'locale-modules',
  });
  const indexPath = join(ui, 'src/lib/paraglide/messages/_index.js');
  const compiled = readFileSync(indexPath, 'utf8');
  if (!/^export const [a-z]/m.test(compiled)) {
    console.error('Paraglide compiled no messages: is the message-format plugin in node_modules?');
    process.exit(1);
  }
  writeFileSync(indexPath, lazyLocales(compiled, BASE, settings.locales));
  console.log(`catalogs in step: ${areas.length} areas, ${settings.locales.length} locales`);
  // The inlang SDK leaves something pending that holds node for half a minute after its work.
  process.exit(0);
}
