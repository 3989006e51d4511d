// The idle app's threads and open files over time, and across web processes started anew
// (issue 18, "no growth in file descriptors or threads"). The soak reads threads and files once
// before its day and once after; this says what such a reading is worth: the app is started on
// its own on the keypad (no WebDriver), left alone TILL_IDLE_S (240) seconds and read every
// STEP_S, and at each of TILL_IDLE_KILL_AT (seconds, comma-separated; none by default) its web
// process is killed, as a crash would end it, so the page loads again in a new one
// (src-tauri/crash.rs; crashes in a row wait 10 s, then 20 s). Each reading names the threads
// and files that differ from the first reading after the start has settled (SETTLED_S). Run by
// `cargo xtask idle` under Xvfb with TILL_APP and TILL_CLI (release builds), SQLITE3 and
// TILL_BENCH_OUT.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { preparedDataDir } from './prepared.mjs';
import { killEach, memoryOf, openFiles, signalGroup, threadNames, tree, webProcessesIn } from './procs.mjs';

const IDLE_S = Math.min(Number(process.env.TILL_IDLE_S ?? 240), 3_600);
const KILL_AT = (process.env.TILL_IDLE_KILL_AT ?? '').split(',').filter(Boolean).map(Number);
if (!Number.isFinite(IDLE_S) || IDLE_S <= 0) throw new Error(`TILL_IDLE_S is not a number of seconds: ${process.env.TILL_IDLE_S}`);
if (KILL_AT.some((k) => !Number.isFinite(k) || k <= 0)) throw new Error(`TILL_IDLE_KILL_AT is not a list of seconds: ${process.env.TILL_IDLE_KILL_AT}`);
const STEP_S = 15;
/** The first reading compared against: the start's own threads (JIT workers, the first page's
 * loading) are gone by then. */
const SETTLED_S = 30;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What differs between two counts by name, as `name: before -> after`. */
function differences(before, after, label = '') {
  const out = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if ((before[k] ?? 0) !== (after[k] ?? 0)) out.push(`${label}${k}: ${before[k] ?? 0} -> ${after[k] ?? 0}`);
  }
  return out;
}

const child = spawn(process.env.TILL_APP, [], {
  env: { ...process.env, NO_AT_BRIDGE: '1', TILL_DATA_DIR: preparedDataDir('till-idle-') },
  detached: true,
  stdio: 'ignore',
});
const readings = [];
let base = null;
try {
  for (let t = STEP_S; t <= IDLE_S; t += STEP_S) {
    await sleep(STEP_S * 1_000);
    if (child.exitCode !== null) throw new Error(`the app exited early with ${child.exitCode}`);
    const killed = KILL_AT.some((k) => k > t - STEP_S && k <= t) ? killEach(webProcessesIn(tree([child.pid]))) : [];
    const procs = memoryOf(tree([child.pid])).map((p) => ({
      name: p.name,
      pid: p.pid,
      threads: p.threads,
      fds: p.fds,
      // A process's own /proc folder is named by its pid: counted as one name across processes.
      files: Object.fromEntries(Object.entries(openFiles(p.pid)).map(([k, n]) => [k.replace(`/proc/${p.pid}/`, '/proc/self/'), n])),
      thread_names: threadNames(p.pid),
    }));
    const reading = {
      t_s: t,
      killed,
      threads: procs.reduce((a, p) => a + p.threads, 0),
      fds: procs.reduce((a, p) => a + p.fds, 0),
      processes: procs,
    };
    readings.push(reading);
    const line = [`t=${t}s threads=${reading.threads} files=${reading.fds}`, ...procs.map((p) => `${p.name}(${p.pid}) ${p.threads}/${p.fds}`)];
    if (killed.length) line.push(`[killed ${killed.join(' ')}]`);
    console.error(line.join('  '));
    if (t >= SETTLED_S && base === null && !killed.length) base = reading;
    else if (base) {
      for (const p of procs) {
        const b = base.processes.find((q) => q.name === p.name);
        if (!b) continue;
        const d = [...differences(b.files, p.files), ...differences(b.thread_names, p.thread_names, 'thread ')];
        if (d.length) console.error(`    ${p.name}: ${d.join(', ')}`);
      }
    }
  }
} finally {
  signalGroup(child.pid, 'SIGTERM');
}
// The moments a web process was killed (its page not yet back) are left out of the ranges.
const counts = (k) => readings.filter((r) => r.t_s >= SETTLED_S && !r.killed.length).map((r) => r[k]);
const range = (xs) => (xs.length ? [Math.min(...xs), Math.max(...xs)] : null);
const result = { idle_s: IDLE_S, killed_at_s: KILL_AT, settled_from_s: SETTLED_S, threads_range: range(counts('threads')), fds_range: range(counts('fds')), readings };
writeFileSync(process.env.TILL_BENCH_OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify({ threads_range: result.threads_range, fds_range: result.fds_range }));
