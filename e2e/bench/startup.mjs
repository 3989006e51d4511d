// Whole-app measurements through the real window: cold start to a usable keypad, and the memory
// of all the app's processes at idle. Run by `cargo xtask bench` under Xvfb with TILL_APP (a
// release build), TAURI_DRIVER, TILL_CLI and SQLITE3 set; writes JSON to TILL_BENCH_OUT.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchTill } from '../lib/app.mjs';
import { byTestId } from '../lib/till.mjs';
import { memoryOf, processes, tree } from './procs.mjs';

const RUNS = Number(process.env.TILL_BENCH_RUNS ?? 5);

/** A data folder whose setup is done and which has no PIN, so the app opens on the keypad. */
function preparedDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'till-bench-'));
  const env = { ...process.env, TILL_DATA_DIR: dir };
  execFileSync(process.env.TILL_CLI, ['verify'], { env }); // creates the ledger
  execFileSync(process.env.SQLITE3, [join(dir, 'ledger.sqlite'), "INSERT INTO settings VALUES ('setup_done', 'bench')"]);
  return dir;
}

/** The app's process and every process under it, with their PSS and RSS in kB. */
function appMemory() {
  const all = processes();
  const app = [...all].filter(([, p]) => p.comm.startsWith('till-desktop')).map(([pid]) => pid);
  return memoryOf(tree(app, all));
}

const starts = [];
let memory = null;
for (let run = 0; run < RUNS; run++) {
  const dataDir = preparedDataDir();
  const started = performance.now();
  const till = await launchTill({ TILL_DATA_DIR: dataDir });
  const amount = byTestId(till.browser, 'amount');
  await amount.waitForDisplayed({ timeout: 20_000, interval: 10 });
  starts.push(performance.now() - started);
  if (run === RUNS - 1) {
    await till.browser.pause(3000); // idle with the keypad
    const procs = appMemory();
    memory = {
      processes: procs,
      pss_mb: procs.reduce((a, p) => a + p.pss_kb, 0) / 1024,
      rss_mb: procs.reduce((a, p) => a + p.rss_kb, 0) / 1024,
    };
  }
  await till.close();
}
starts.sort((a, b) => a - b);
const result = JSON.stringify({ starts_ms: starts, median_ms: starts[Math.floor(starts.length / 2)], memory }, null, 2);
writeFileSync(process.env.TILL_BENCH_OUT, result);
console.error(result);
