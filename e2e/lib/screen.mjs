// A virtual screen of its own with a window manager (Openbox) on it, for what only a window
// manager does: making a window fullscreen, and giving the keyboard to one window or another.
// The suite's own Xvfb screen has none, so there nothing is ever fullscreen or focused, and tests
// that need neither stay free of a window manager's placing and decorations.
import { execFileSync, spawn } from 'node:child_process';
import { signalGroup } from '../bench/procs.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits up to `ms` for `check()` to return something truthy, and returns it (or the last falsy). */
async function until(check, ms, step = 100) {
  const deadline = Date.now() + ms;
  let got = check();
  while (!got && Date.now() < deadline) {
    await sleep(step);
    got = check();
  }
  return got;
}

/**
 * Starts Xvfb on a free display (it picks the number itself, `-displayfd`) and Openbox on it.
 * Returns { display, env, clients(), named(title), active(), states(id), geometry(id), stop() }:
 * `env` is what a program started on this screen needs (DISPLAY, and no X authority, which this
 * server does not ask for); windows are the X ids of the window manager's clients ("0x1a00003").
 */
export async function managedScreen({ width = 1280, height = 800 } = {}) {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', `${width}x${height}x24`], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  let number = '';
  xvfb.stdout.on('data', (d) => (number += d));
  const stopAll = [() => signalGroup(xvfb.pid, 'SIGTERM')];
  const stop = () => stopAll.reverse().forEach((f) => f());
  try {
    if (!(await until(() => /\n/.test(number) || xvfb.exitCode !== null, 10_000))) throw new Error('Xvfb gave no display within 10 s');
    if (xvfb.exitCode !== null) throw new Error(`Xvfb exited with ${xvfb.exitCode}`);
    const display = `:${number.trim()}`;
    const env = { ...process.env, DISPLAY: display };
    delete env.XAUTHORITY;
    const x = (args) => {
      try {
        return execFileSync(args[0], args.slice(1), { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return '';
      }
    };
    const wm = spawn('openbox', ['--sm-disable'], { env, stdio: 'ignore', detached: true });
    stopAll.push(() => signalGroup(wm.pid, 'SIGTERM'));
    // Managing: it names itself on the root window (EWMH's _NET_SUPPORTING_WM_CHECK).
    if (!(await until(() => /window id #/.test(x(['xprop', '-root', '_NET_SUPPORTING_WM_CHECK'])), 10_000))) {
      throw new Error('Openbox did not start managing the screen within 10 s');
    }
    const ids = (text) => text.match(/0x[0-9a-f]+/g) ?? [];
    const clients = () => ids(x(['xprop', '-root', '_NET_CLIENT_LIST']));
    return {
      display,
      env: { DISPLAY: display, XAUTHORITY: '' },
      clients,
      /** The client window whose title is exactly `title`, or null. */
      named: (title) => clients().find((id) => x(['xprop', '-id', id, '_NET_WM_NAME']).includes(`= ${JSON.stringify(title)}`)) ?? null,
      /** The window that has the keyboard, or null. */
      active: () => ids(x(['xprop', '-root', '_NET_ACTIVE_WINDOW']))[0] ?? null,
      /** The window's EWMH states ("_NET_WM_STATE_FULLSCREEN", ...). */
      states: (id) => x(['xprop', '-id', id, '_NET_WM_STATE']).match(/_NET_WM_STATE_[A-Z_]+/g) ?? [],
      /** The window's size and place on the screen ("1280x800+0+0"), or null. */
      geometry: (id) => {
        const info = x(['xwininfo', '-id', id]);
        const [w, h, ax, ay] = ['Width', 'Height', 'Absolute upper-left X', 'Absolute upper-left Y'].map((k) => info.match(new RegExp(`${k}:\\s+(-?\\d+)`))?.[1]);
        return w ? `${w}x${h}+${ax}+${ay}` : null;
      },
      until,
      stop,
    };
  } catch (e) {
    stop();
    throw e;
  }
}
