// The UI's catalogs, before anything else reads them: `node scripts/i18n.mjs` checks every
// catalog against English (a missing or extra key, a placeholder renamed, dropped or added
// fails), writes the pseudo-locale `en-XA` from English, then compiles them all with Paraglide
// into src/lib/paraglide. Run by `npm run check`, `npm run build` and `npm test`, so a broken
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
  // The areas are the catalog's files: settings.json lists the ones that exist.
  const patterns = areas.map((a) => `./messages/${a}/{locale}.json`);
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
  });
  const compiled = readFileSync(join(ui, 'src/lib/paraglide/messages/_index.js'), 'utf8');
  if (!/export \*|export \{/.test(compiled)) {
    console.error('Paraglide compiled no messages: is the message-format plugin in node_modules?');
    process.exit(1);
  }
  console.log(`catalogs in step: ${areas.length} areas, ${settings.locales.length} locales`);
  // The inlang SDK leaves something pending that holds node for half a minute after its work.
  process.exit(0);
}
