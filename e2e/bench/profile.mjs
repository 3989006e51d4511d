// The functions Till runs from its start to the idle keypad, for the startup symbol list
// (src-tauri/startup-symbols.txt, `cargo xtask startup-symbols`). The release build is started
// alone under Valgrind's callgrind, which records every function that runs; it is left for
// TILL_PROFILE_S (90 s: under callgrind the keypad takes about 30 s to show, and the idle app's
// timers run a few times after), then ended, and callgrind writes the profile to TILL_BENCH_OUT.
// Run under Xvfb with TILL_APP, TILL_CLI and SQLITE3 (release builds), TILL_SCREENSHOTS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { preparedDataDir } from './prepared.mjs';
import { signalGroup } from './procs.mjs';

const WAIT_MS = Number(process.env.TILL_PROFILE_S ?? 90) * 1000;
const OUT = process.env.TILL_BENCH_OUT;
const SHOTS = process.env.TILL_SCREENSHOTS;
if (!OUT || !SHOTS || !process.env.TILL_APP) throw new Error('run by `cargo xtask startup-symbols`: TILL_APP, TILL_BENCH_OUT and TILL_SCREENSHOTS are unset');

const args = [
  '--tool=callgrind',
  // Mangled names, one per line, as the linker's symbol ordering file needs them.
  '--demangle=no',
  '--compress-strings=no',
  '--compress-pos=no',
  `--callgrind-out-file=${OUT}`,
  process.env.TILL_APP,
];
const dataDir = preparedDataDir('till-profile-');
let failedToStart = null;
const child = spawn('valgrind', args, { env: { ...process.env, NO_AT_BRIDGE: '1', TILL_DATA_DIR: dataDir }, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
const exited = new Promise((r) => {
  child.once('exit', () => r(true));
  child.once('error', (e) => {
    failedToStart = e;
    r(true);
  });
});
const gone = () => failedToStart !== null || child.exitCode !== null || child.signalCode !== null;

/** True once the app has ended, false after `ms` if it has not; the timer is cleared either way. */
async function endedWithin(ms) {
  const timer = new AbortController();
  try {
    return await Promise.race([exited, delay(ms, false, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

try {
  await endedWithin(WAIT_MS);
  if (failedToStart) throw new Error(`valgrind could not be started (${failedToStart.message}): run \`cargo xtask setup\``);
  if (gone()) throw new Error(`the app ended under callgrind after less than ${WAIT_MS / 1000} s (${child.exitCode ?? child.signalCode}): nothing was profiled to the keypad`);
  // What the profile reached, for the eye: the keypad should show.
  execFileSync('import', ['-window', 'root', join(SHOTS, 'profile-keypad.png')], { timeout: 30_000 });
  // Callgrind writes its profile as the app ends.
  signalGroup(child.pid, 'SIGTERM');
  if (!(await endedWithin(60_000))) throw new Error('the app did not end within 60 s of SIGTERM under callgrind, so it wrote no profile');
  if (!existsSync(OUT)) throw new Error(`callgrind wrote no profile at ${OUT}`);
  console.error(`profile: ${OUT}`);
} finally {
  if (!gone()) {
    signalGroup(child.pid, 'SIGTERM');
    await endedWithin(10_000);
  }
  // WebKit's helpers, whatever became of the app.
  signalGroup(child.pid, 'SIGKILL');
  if (!failedToStart) await endedWithin(5_000);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
}
