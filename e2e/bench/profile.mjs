// The functions Till runs from its start to the idle keypad, for the startup symbol list
// (src-tauri/startup-symbols.txt, `cargo xtask startup-symbols`). The release build is started
// alone under Valgrind's callgrind, which records every function that runs; it is left for
// TILL_PROFILE_S (90 s: under callgrind the keypad takes about 30 s to show, and the idle app's
// timers run a few times after), then ended, and callgrind writes the profile to TILL_BENCH_OUT.
// Run under Xvfb with TILL_APP, TILL_CLI and SQLITE3 (release builds), TILL_SCREENSHOTS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { preparedDataDir } from './prepared.mjs';

const WAIT_MS = Number(process.env.TILL_PROFILE_S ?? 90) * 1000;
const OUT = process.env.TILL_BENCH_OUT;
const SHOTS = process.env.TILL_SCREENSHOTS;
if (!OUT || !SHOTS || !process.env.TILL_APP) throw new Error('run by `cargo xtask startup-symbols`: TILL_APP, TILL_BENCH_OUT and TILL_SCREENSHOTS are unset');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
const child = spawn('valgrind', args, { env: { ...process.env, NO_AT_BRIDGE: '1', TILL_DATA_DIR: dataDir }, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
const exited = new Promise((r) => child.once('exit', () => r(true)));
const gone = () => child.exitCode !== null || child.signalCode !== null;

/** Sends `signal` to the app's process group, if it is still there. */
function signal(name) {
  try {
    process.kill(-child.pid, name);
  } catch {
    // gone already
  }
}

try {
  await Promise.race([exited, sleep(WAIT_MS)]);
  if (gone()) throw new Error(`the app ended under callgrind after less than ${WAIT_MS / 1000} s (${child.exitCode ?? child.signalCode}): nothing was profiled to the keypad`);
  // What the profile reached, for the eye: the keypad should show.
  execFileSync('import', ['-window', 'root', join(SHOTS, 'profile-keypad.png')], { timeout: 30_000 });
  // Callgrind writes its profile as the app ends.
  signal('SIGTERM');
  const ended = await Promise.race([exited, sleep(60_000).then(() => false)]);
  if (!ended) throw new Error('the app did not end within 60 s of SIGTERM under callgrind, so it wrote no profile');
  if (!existsSync(OUT)) throw new Error(`callgrind wrote no profile at ${OUT}`);
  console.error(`profile: ${OUT}`);
} finally {
  if (!gone()) {
    signal('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    signal('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
