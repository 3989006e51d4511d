// A virtual screen of its own with a window manager (Openbox) on it, for what only a window
// manager does: making a window fullscreen, and giving the keyboard to one window or another.
// The suite's own Xvfb screen has none, so there nothing is ever fullscreen or focused, and tests
// that need neither stay free of a window manager's placing and decorations.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Starts `cmd` in a process group of its own; `stop()` ends the group (TERM, then KILL after
 * 5 s) and waits for it. A program that cannot start fails `started` with `hint`. */
function started(cmd, args, options, hint) {
  const child = spawn(cmd, args, { ...options, detached: true });
  const exited = new Promise((r) => child.once('exit', r));
  const failed = new Promise((_, reject) => child.once('error', (e) => reject(new Error(`${cmd} did not start (${e.message}): ${hint}`))));
  failed.catch(() => {});
  return {
    child,
    failed,
    async stop() {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

/**
 * Starts Xvfb on a free display (it picks the number itself, `-displayfd`) and Openbox on it,
 * with Openbox's own default settings (not a developer's `~/.config/openbox`).
 * Returns { display, env, clients(), named(title), active(), states(id), geometry(id),
 * leaveFullscreen(id), screenshot(file), until, stop() }: `env` is what a program started on this
 * screen needs (DISPLAY, and no X authority, which this server does not ask for); windows are the
 * X ids of the window manager's clients ("0x1a00003"). Every X query is bounded (5 s) and answers
 * as if the window were not there when it fails.
 */
export async function managedScreen({ width = 1280, height = 800 } = {}) {
  const config = mkdtempSync(join(tmpdir(), 'till-openbox-'));
  const parts = [];
  const stop = async () => {
    for (const part of [...parts].reverse()) await part.stop();
    rmSync(config, { recursive: true, force: true });
  };
  try {
    const xvfb = started('Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', `${width}x${height}x24`], { stdio: ['ignore', 'pipe', 'ignore'] }, 'cargo xtask setup installs it');
    parts.push(xvfb);
    let number = '';
    xvfb.child.stdout.on('data', (d) => (number += d));
    const ended = (part) => part.child.exitCode !== null || part.child.signalCode !== null;
    const ready = await Promise.race([until(() => /\n/.test(number) || ended(xvfb), 10_000), xvfb.failed]);
    if (ended(xvfb)) throw new Error(`Xvfb ended (${xvfb.child.exitCode ?? xvfb.child.signalCode})`);
    if (!ready) throw new Error('Xvfb gave no display within 10 s');
    const display = `:${number.trim()}`;
    // `undefined` drops a variable: Xlib then sends no cookie, which this server accepts, and GTK
    // opens its windows here even under a developer's Wayland session.
    const own = { DISPLAY: display, XAUTHORITY: undefined, WAYLAND_DISPLAY: undefined, GDK_BACKEND: 'x11' };
    const env = { ...process.env, ...own };
    const x = (args) => {
      try {
        return execFileSync(args[0], args.slice(1), { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 });
      } catch {
        return '';
      }
    };
    const wm = started('openbox', ['--sm-disable'], { env: { ...env, XDG_CONFIG_HOME: config }, stdio: 'ignore' }, 'cargo xtask setup installs it');
    parts.push(wm);
    // Managing: it names itself on the root window (EWMH's _NET_SUPPORTING_WM_CHECK).
    const managing = await Promise.race([until(() => ended(wm) || /window id #/.test(x(['xprop', '-root', '_NET_SUPPORTING_WM_CHECK'])), 10_000), wm.failed]);
    if (ended(wm)) throw new Error(`Openbox ended (${wm.child.exitCode ?? wm.child.signalCode})`);
    if (!managing) throw new Error('Openbox did not start managing the screen within 10 s');
    const ids = (text) => text.match(/0x[0-9a-f]+/g) ?? [];
    const clients = () => ids(x(['xprop', '-root', '_NET_CLIENT_LIST']));
    return {
      display,
      env: own,
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
      /** Asks the window manager to take the window out of fullscreen (EWMH, through wmctrl). */
      leaveFullscreen: (id) => execFileSync('wmctrl', ['-i', '-r', id, '-b', 'remove,fullscreen'], { env, timeout: 5_000 }),
      /** The whole screen as a PNG at `file`. */
      screenshot: (file) => execFileSync('import', ['-display', display, '-window', 'root', file], { env, timeout: 10_000 }),
      until,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
