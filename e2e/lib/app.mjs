// Starts the real Till app for a test: tauri-driver on free ports, a WebdriverIO session whose
// application is the debug binary, and a screenshot helper. `cargo xtask e2e` sets the variables
// read here and runs everything under dbus-run-session and xvfb-run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { signalGroup } from '../bench/procs.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`cargo xtask e2e\``);
  return value;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Launches Till with `env` added to its environment (TILL_DATA_DIR defaults to a fresh folder).
 * Returns { browser, dataDir, screenshot(name), close(), stop() }.
 */
export async function launchTill(env = {}) {
  const app = required('TILL_APP');
  const driverBin = required('TAURI_DRIVER');
  const shots = required('TILL_SCREENSHOTS');
  const dataRoot = required('TILL_E2E_DATA');
  const dataDir = env.TILL_DATA_DIR ?? mkdtempSync(join(dataRoot, 'till-'));

  const port = await freePort();
  const nativePort = await freePort();
  // tauri-driver, WebKitWebDriver and the app run in a process group of their own, so closing
  // kills all three: an app left behind (deleteSession does not always wait for it to quit)
  // would hold this test file's output open, and node --test would wait for it forever.
  const driver = spawn(driverBin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env, TILL_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  const killAll = async (signal) => {
    signalGroup(driver.pid, signal);
    if (driver.exitCode === null && driver.signalCode === null) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
    }
    // Whatever is still in the group after tauri-driver went (the app, WebKit) goes too.
    signalGroup(driver.pid, 'SIGKILL');
  };
  try {
    await waitForPort(port, driver, 20_000);
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      connectionRetryCount: 0,
      // An element used without its own wait waits this long for itself (WebdriverIO's 5 s
      // default is tight for a debug build on a slow machine).
      waitforTimeout: 20_000,
      capabilities: {
        browserName: 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: app },
      },
    });
    return {
      browser,
      dataDir,
      async screenshot(name) {
        // Let the web view paint what the test just did before capturing it.
        await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await browser.pause(250);
        const file = join(shots, `${name}.png`);
        // At X level, the whole virtual screen: with WebKit's compositing off (the product's
        // setting since issue 18) WebKitWebDriver's own screenshot can stall past any timeout.
        execFileSync('import', ['-window', 'root', file]);
        return file;
      },
      async close() {
        try {
          await browser.deleteSession();
        } finally {
          await killAll('SIGTERM');
        }
      },
      /** Stops tauri-driver and the app without WebDriver: for a session that ended with its web
       * process (a page renewed in a new one). */
      async stop() {
        await killAll('SIGTERM');
      },
    };
  } catch (e) {
    await killAll('SIGKILL');
    throw e;
  }
}

/**
 * Starts the Aurpay simulator (TILL_SIM) on a free port with `key`, and waits until it answers.
 * Returns { url, process }.
 */
export async function startSim(key) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(required('TILL_SIM'), ['--port', String(port), '--api-key', key, '--network', 'regtest'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${url}/_sim/orders`).then((r) => r.ok).catch(() => false))) {
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the simulator did not answer on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: child };
}

/** The app's log (`logs/` in its data folder), all of it; empty before it has written any. */
export function appLog(dataDir) {
  const logs = join(dataDir, 'logs');
  if (!existsSync(logs)) return '';
  return readdirSync(logs)
    .map((f) => readFileSync(join(logs, f), 'utf8'))
    .join('\n');
}

/** How many pages the app has logged as loaded (`page loaded`), or only `window`'s when given
 * (`main`, `customer`): a page loaded again after a renewal or a crash counts once more. */
export function pageLoads(dataDir, window = null) {
  const line = window ? `page loaded window=${window}` : 'page loaded';
  return appLog(dataDir)
    .split('\n')
    .filter((l) => l.includes(line)).length;
}
