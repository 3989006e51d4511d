// The functions Till runs from its start to the idle keypad, for the startup symbol list
// (src-tauri/startup-symbols.txt, `cargo xtask startup-symbols`). The release build is started
// alone under Valgrind's callgrind, which records every function that runs; it is left for
// TILL_PROFILE_S (90 s: under callgrind the keypad takes about 30 s to show, and the idle app's
// timers run a few times after), then ended, and callgrind writes the profile to TILL_BENCH_OUT.
// Run under Xvfb with TILL_APP, TILL_CLI and SQLITE3 (release builds), TILL_SCREENSHOTS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { preparedDataDir } from './prepared.mjs';

const WAIT_MS = Number(process.env.TILL_PROFILE_S ?? 90) * 1000;
const OUT = process.env.TILL_BENCH_OUT;
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
const env = { ...process.env, NO_AT_BRIDGE: '1', TILL_DATA_DIR: preparedDataDir('till-profile-') };
const child = spawn('valgrind', args, { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
const exited = new Promise((r) => child.once('exit', r));
await sleep(WAIT_MS);
if (child.exitCode !== null) throw new Error(`the app exited under callgrind with ${child.exitCode}`);
// What the profile reached, for the eye: the keypad should show.
execFileSync('import', ['-window', 'root', join(process.env.TILL_SCREENSHOTS, 'profile-keypad.png')]);
// Callgrind writes its profile as the app ends.
process.kill(-child.pid, 'SIGTERM');
const ended = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
if (!ended) {
  process.kill(-child.pid, 'SIGKILL');
  throw new Error('the app did not end within 60 s of SIGTERM under callgrind');
}
if (!existsSync(OUT)) throw new Error(`callgrind wrote no profile at ${OUT}`);
console.error(`profile: ${OUT}`);
