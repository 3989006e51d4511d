// The process table and memory figures the benchmarks read from /proc (Linux).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Every process now: pid -> { comm, ppid }. */
export function processes() {
  const all = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.set(Number(p), { comm, ppid });
    } catch {
      // gone
    }
  }
  return all;
}

/** The processes in `roots` and every process under them, with their names. */
export function tree(roots, all = processes()) {
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, { ppid }] of all) {
      if (found.has(ppid) && !found.has(p)) {
        found.add(p);
        grew = true;
      }
    }
  }
  return [...found].filter((p) => all.has(p)).map((p) => ({ pid: p, name: all.get(p).comm }));
}

/** The processes named `name` (as /proc gives it: at most 15 characters), only those whose
 * TILL_DATA_DIR is `dataDir` when one is given, and every process under them. */
export function appTree(name, dataDir = null, all = processes()) {
  const apps = [...all]
    .filter(([pid, p]) => p.comm === name.slice(0, 15) && (dataDir === null || dataDirOf(pid) === dataDir))
    .map(([pid]) => pid);
  return tree(apps, all);
}

/** A process's TILL_DATA_DIR, or null. */
function dataDirOf(pid) {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith('TILL_DATA_DIR='));
    return entry ? entry.slice('TILL_DATA_DIR='.length) : null;
  } catch {
    return null;
  }
}

/** Sends `signal` to the process group led by `pid` (a child spawned `detached`, with every
 * process under it: the app, WebKit's); a group already gone is no error. */
export function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Sends SIGKILL to each of `pids`, as a crash would end them; answers those it reached (one
 * already gone is ended all the same). */
export function killEach(pids) {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  });
}

/** The pids of the WebKit web processes among `procs`. */
export function webProcessesIn(procs) {
  return procs.filter((p) => p.name.startsWith('WebKitWebProc')).map((p) => p.pid);
}

/**
 * PSS, RSS and anonymous PSS (kB), threads and open files of each process; PSS splits a page
 * shared by several processes among them, so their sum counts each page once.
 */
export function memoryOf(procs) {
  const out = [];
  for (const { pid, name } of procs) {
    try {
      const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (key) => Number(roll.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
      const threads = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Threads:\s+(\d+)/m)?.[1] ?? 0);
      out.push({ pid, name, pss_kb: kb('Pss'), rss_kb: kb('Rss'), anon_kb: kb('Pss_Anon'), threads, fds: readdirSync(`/proc/${pid}/fd`).length });
    } catch {
      // gone
    }
  }
  return out;
}

/** What a process's open files are, counted by kind (socket, pipe, eventfd, a file's folder...):
 * a growing count says which kind leaks. */
export function openFiles(pid) {
  const kinds = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = target.startsWith('/') ? target.replace(/\/[^/]*$/, '/') : target.replace(/:\[?\d+\]?$/, '');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

/** A process's threads counted by name (each task's `comm` under `/proc/PID/task`): a growing
 * count says whose threads grow (tokio's workers, WebKit's, GStreamer's...). */
export function threadNames(pid) {
  const names = {};
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let name;
    try {
      name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    names[name] = (names[name] ?? 0) + 1;
  }
  return names;
}

/** A process's PSS (kB) by what is mapped: each library or file, `[heap]`, `[anon]` for
 * anonymous memory: two of these, before and after, say which library or allocator grew. */
export function mappedPss(pid) {
  const by = {};
  let name = '[anon]';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (head) {
      name = head[1] || '[anon]';
      continue;
    }
    const pss = line.match(/^Pss:\s+(\d+) kB/);
    if (pss) by[name] = (by[name] ?? 0) + Number(pss[1]);
  }
  return by;
}
