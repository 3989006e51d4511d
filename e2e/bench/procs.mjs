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
