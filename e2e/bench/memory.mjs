// Till's memory at idle against a bare WebKitGTK window, measured the same way in the same run
// (issue 18). Each variant is started on its own (no WebDriver: automation would add to the web
// process), left alone for TILL_BENCH_SETTLE_MS (20 s; the keypad shows in under a second), then
// the PSS of its whole process tree is summed from /proc/PID/smaps_rollup: PSS splits a page
// shared by several processes among them, so the sum counts each page once. Variants take turns,
// run by run, so a drift of the machine touches all of them alike; the median of TILL_BENCH_RUNS
// (3) starts is reported. Run by `cargo xtask bench` (or `cargo xtask memory`) under Xvfb with
// TILL_APP and TILL_CLI (release builds), TILL_FLOOR (webkit-floor), TILL_TAURI_FLOOR (tauri-floor),
// SQLITE3 and TILL_BENCH_OUT; TILL_OTHER_APP for the `other` variants.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preparedDataDir } from './prepared.mjs';
import { memoryOf, processes, signalGroup, tree } from './procs.mjs';

const RUNS = Number(process.env.TILL_BENCH_RUNS ?? 3);
const SETTLE_MS = Number(process.env.TILL_BENCH_SETTLE_MS ?? 20_000);
const SHOTS = process.env.TILL_SCREENSHOTS;
/** The production window's size (tauri.conf.json), which the bare window copies; the bare window
 * stays open well past the reading (it closes itself after `--seconds`, 60 by default). */
const WINDOW = ['--width', '1180', '--height', '780', '--seconds', String(Math.ceil(SETTLE_MS / 1000) + 60)];

/** A build of Till started on a prepared data folder (with the customer display opened at start
 * if `display`), in the environment given on top of the variant's own. */
const tillRun = (app, display = false, env = {}) => ({ cmd: app, args: [], env: { TILL_DATA_DIR: preparedDataDir('till-memory-', display), ...env } });

/** The environment Till gives its own web view (compositing off), which the bare windows get too. */
const BARE_ENV = { WEBKIT_DISABLE_COMPOSITING_MODE: '1' };

const VARIANTS = {
  // The floor: GTK and one web view, in Till's environment.
  floor: () => ({ cmd: process.env.TILL_FLOOR, args: WINDOW, env: BARE_ENV }),
  // A bare Tauri 2 app with the same page and window, in the same environment: what any Tauri
  // app holds over the bare window, so the share splits into Tauri's and Till's own.
  'tauri-floor': () => ({ cmd: process.env.TILL_TAURI_FLOOR, args: [], env: BARE_ENV }),
  till: () => tillRun(process.env.TILL_APP),
  // The customer display opened at start (the owner's setting), beside the keypad.
  'till+display': () => tillRun(process.env.TILL_APP, true),
  // What the settings save, each on its own: compositing as WebKit does by default, then glibc's
  // default arenas against two.
  'floor-compositing-on': () => ({ cmd: process.env.TILL_FLOOR, args: WINDOW, env: { WEBKIT_DISABLE_COMPOSITING_MODE: '0' } }),
  'till-compositing-on': () => tillRun(process.env.TILL_APP, false, { WEBKIT_DISABLE_COMPOSITING_MODE: '0' }),
  'till-2-arenas': () => tillRun(process.env.TILL_APP, false, { MALLOC_ARENA_MAX: '2' }),
  // JavaScriptCore's interpreter only (no JIT), for Till and for the bare window alike.
  'floor-no-jit': () => ({ cmd: process.env.TILL_FLOOR, args: WINDOW, env: { ...BARE_ENV, JSC_useJIT: '0' } }),
  'till-no-jit': () => tillRun(process.env.TILL_APP, false, { JSC_useJIT: '0' }),
  // JavaScriptCore's optimizing tiers off, its interpreter and baseline JIT kept: without FTL
  // (the B3 compiler), and without DFG (which takes FTL with it).
  'till-no-ftl': () => tillRun(process.env.TILL_APP, false, { JSC_useFTLJIT: '0' }),
  'till-no-dfg': () => tillRun(process.env.TILL_APP, false, { JSC_useDFGJIT: '0' }),
  // JavaScriptCore's own thresholds for machine code, not Till's hundredfold (src-tauri/process.rs).
  'till-jit-default': () => tillRun(process.env.TILL_APP, false, { JSC_thresholdForJITAfterWarmUp: '500', JSC_thresholdForJITSoon: '100' }),
  // Another build of Till (TILL_OTHER_APP, a copy of an earlier release build, say), alone and
  // with the display: two builds compared in one run, without the drift between runs. Its data
  // folder is prepared by TILL_CLI, so both builds must read the same ledger schema.
  other: () => tillRun(process.env.TILL_OTHER_APP),
  'other+display': () => tillRun(process.env.TILL_OTHER_APP, true),
};
const chosen = (process.env.TILL_BENCH_VARIANTS ?? 'floor,tauri-floor,till,till+display').split(',').map((v) => v.trim());
for (const v of chosen) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}: one of ${Object.keys(VARIANTS).join(', ')}`);
if (chosen.some((v) => v.startsWith('other')) && !process.env.TILL_OTHER_APP) throw new Error('the other variants need TILL_OTHER_APP, the other build to run');
if (chosen.includes('tauri-floor') && !process.env.TILL_TAURI_FLOOR) throw new Error('the tauri-floor variant needs TILL_TAURI_FLOOR, the bare Tauri app (crates/tauri-floor) built with its custom-protocol feature');

function measured(root) {
  const procs = memoryOf(tree([root]));
  const sum = (k) => procs.reduce((a, p) => a + p[k], 0);
  return { pss_mb: sum('pss_kb') / 1024, rss_mb: sum('rss_kb') / 1024, threads: sum('threads'), fds: sum('fds'), processes: procs };
}

/** A WebKit process nobody here started would share pages with the measured ones. */
function strangers() {
  return [...processes().values()].filter((p) => /^WebKit(Web|Network)Proc/.test(p.comm)).length;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(variant, run) {
  if (strangers() > 0) throw new Error('another WebKit process is running: measure on a quiet machine');
  const { cmd, args, env } = VARIANTS[variant]();
  const child = spawn(cmd, args, { env: { ...process.env, NO_AT_BRIDGE: '1', ...env }, detached: true, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await sleep(SETTLE_MS);
    if (child.exitCode !== null) throw new Error(`${variant} exited early with ${child.exitCode}`);
    const m = measured(child.pid);
    if (SHOTS && run === 0) execFileSync('import', ['-window', 'root', join(SHOTS, `memory-${variant.replace(/\W+/g, '-')}.png`)]);
    return m;
  } finally {
    signalGroup(child.pid, 'SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    signalGroup(child.pid, 'SIGKILL');
    // WebKit's helpers leave a moment after their parent.
    for (let i = 0; i < 50 && strangers() > 0; i++) await sleep(100);
  }
}

const samples = Object.fromEntries(chosen.map((v) => [v, []]));
for (let run = 0; run < RUNS; run++) {
  for (const variant of chosen) {
    const m = await measure(variant, run);
    samples[variant].push(m);
    console.error(`${variant} run ${run + 1}: ${m.pss_mb.toFixed(1)} MB PSS (${m.processes.map((p) => `${p.name} ${(p.pss_kb / 1024).toFixed(1)}`).join(', ')})`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  settle_ms: SETTLE_MS,
  runs: RUNS,
  variants: Object.fromEntries(
    Object.entries(samples).map(([v, ms]) => {
      const mid = ms.find((m) => m.pss_mb === median(ms.map((x) => x.pss_mb)));
      return [v, { median_pss_mb: mid.pss_mb, pss_mb: ms.map((m) => m.pss_mb), median_run: mid }];
    }),
  ),
};
const of = (v) => result.variants[v]?.median_pss_mb;
/** `a - b` as `key` when both variants ran. */
const figures = {};
const difference = (key, a, b) => {
  if (of(a) !== undefined && of(b) !== undefined) figures[key] = of(a) - of(b);
};
difference('till_over_floor_mb', 'till', 'floor');
difference('tauri_floor_over_floor_mb', 'tauri-floor', 'floor');
difference('till_over_tauri_floor_mb', 'till', 'tauri-floor');
difference('display_adds_mb', 'till+display', 'till');
difference('other_over_floor_mb', 'other', 'floor');
difference('other_display_adds_mb', 'other+display', 'other');
Object.assign(result, figures);
writeFileSync(process.env.TILL_BENCH_OUT, JSON.stringify(result, null, 2));
console.error(JSON.stringify({ medians: Object.fromEntries(chosen.map((v) => [v, of(v)])), ...figures }, null, 2));
