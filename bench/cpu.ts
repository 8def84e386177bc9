/**
 * CPU time beside wall time for `npm run bench`. A timeline of (wall clock,
 * CPU used so far) samples; the CPU of any interval, such as a phase's
 * `sz:*` mark, is read off it by interpolating between the samples around its
 * ends. On a machine other jobs load, CPU time moves far less than wall time.
 *
 * - Node engines: `process.cpuUsage()` (user + system, every thread of this
 *   process: DuckDB-WASM's blocking bundle runs on the main thread, native
 *   DuckDB on its own threads), sampled around every call into the connector.
 *   A blocked event loop runs no timers, so the engine's calls are the samples.
 * - The browser: user + system time of every thread of every Chromium process
 *   below this one (`/proc/<pid>/task/<tid>/stat`), polled from here while the
 *   page works: the renderer's main thread, the DuckDB and decode workers,
 *   V8's compiler and GC threads, and the browser process that reads the
 *   dropped file. Chrome DevTools' `Performance.getMetrics` counts the page's
 *   main thread only, not the worker where DuckDB runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Connector } from '../src/lib/engine/connector';

/** Wall clock in epoch milliseconds, comparable with a page's `timeOrigin + startTime`. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface CpuSample {
  /** Epoch milliseconds. */
  at: number;
  /** CPU milliseconds used since an arbitrary origin. */
  cpu: number;
}

/** Samples in time order; `between` reads the CPU of any interval off them. */
export class CpuTimeline {
  readonly samples: CpuSample[] = [];

  add(at: number, cpu: number): void {
    const last = this.samples.at(-1);
    if (!last || at >= last.at) this.samples.push({ at, cpu });
  }

  /** CPU milliseconds used by `at` (epoch ms), linear between the samples around it. */
  cpuAt(at: number): number {
    const s = this.samples;
    if (s.length === 0) return NaN;
    if (at <= s[0]!.at) return s[0]!.cpu;
    if (at >= s.at(-1)!.at) return s.at(-1)!.cpu;
    let lo = 0;
    let hi = s.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (s[mid]!.at <= at) lo = mid;
      else hi = mid;
    }
    const a = s[lo]!;
    const b = s[hi]!;
    return b.at === a.at ? b.cpu : a.cpu + ((b.cpu - a.cpu) * (at - a.at)) / (b.at - a.at);
  }

  between(start: number, end: number): number {
    return this.cpuAt(end) - this.cpuAt(start);
  }
}

const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One statement as an engine ran it: wall and CPU milliseconds, and when it started (epoch ms). */
export interface StatementCost {
  sql: string;
  at: number;
  wall: number;
  cpu: number;
}

const STATEMENT_METHODS = new Set(['query', 'queryArrow', 'exec']);

/**
 * `conn` with a CPU sample before and after every call, and every SQL
 * statement's own wall and CPU time logged; what it returns is unchanged.
 */
export function cpuSampledConnector(conn: Connector): {
  conn: Connector;
  timeline: CpuTimeline;
  statements: StatementCost[];
} {
  const timeline = new CpuTimeline();
  const statements: StatementCost[] = [];
  const sample = (): CpuSample => {
    const s = { at: epochNow(), cpu: processCpuMs() };
    timeline.add(s.at, s.cpu);
    return s;
  };
  sample();
  const wrapped = new Proxy(conn, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const before = sample();
        const done = (): void => {
          const after = sample();
          if (STATEMENT_METHODS.has(String(key)) && typeof args[0] === 'string')
            statements.push({
              sql: args[0],
              at: before.at,
              wall: after.at - before.at,
              cpu: after.cpu - before.cpu,
            });
        };
        const result = fn.apply(target, args);
        if (result instanceof Promise) return result.finally(done);
        done();
        return result;
      };
    },
  });
  return { conn: wrapped, timeline, statements };
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Pids below `root` whose command is not `node` (the static server the bench starts is). */
function chromiumPids(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = /PPid:\s+(\d+)/.exec(read(`/proc/${entry}/status`))?.[1];
    if (ppid) parents.set(Number(entry), Number(ppid));
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => below(pid) && read(`/proc/${pid}/comm`).trim() !== 'node');
}

/** utime + stime in milliseconds from a `/proc/.../stat` line. */
function statCpuMs(stat: string): number {
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * TICK_MS;
}

/** A thread's name without the digits that number threads of one kind (`ThreadPoolForeg`, `DedicatedWorker`). */
const threadGroup = (tid: string, pid: number): string =>
  read(`/proc/${pid}/task/${tid}/comm`)
    .trim()
    .replace(/[\d/]+$/, '')
    .trim() || '?';

/**
 * Poll the CPU time of every thread of the Chromium processes below this one
 * every `intervalMs` until `stop`: the total, and per kind of thread (named
 * as Chromium names them: `CrRendererMain` the page, `DedicatedWorker` the
 * workers where DuckDB and the decoder run, `V8 DefaultWorke` V8's compiler
 * and GC helpers…). A thread counts up to the last poll it was seen in; the
 * pids are re-listed every second, for processes started meanwhile.
 */
export function browserCpuTimeline(intervalMs = 100): {
  timeline: CpuTimeline;
  /** One timeline per kind of thread. */
  threads: Map<string, CpuTimeline>;
  stop(): void;
} {
  const timeline = new CpuTimeline();
  const threads = new Map<string, CpuTimeline>();
  let pids = chromiumPids(process.pid);
  let listedAt = Date.now();
  // Per thread, its group and the highest CPU seen.
  const seen = new Map<string, { group: string; cpu: number }>();
  let stopped = false;
  const poll = (): void => {
    if (Date.now() - listedAt > 1000) {
      pids = chromiumPids(process.pid);
      listedAt = Date.now();
    }
    for (const pid of pids) {
      let tids: string[] = [];
      try {
        tids = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tids) {
        const key = `${pid}/${tid}`;
        const cpu = statCpuMs(read(`/proc/${pid}/task/${tid}/stat`));
        const known = seen.get(key);
        if (!known) seen.set(key, { group: threadGroup(tid, pid), cpu });
        else if (cpu > known.cpu) known.cpu = cpu;
      }
    }
    const at = epochNow();
    const groups = new Map<string, number>();
    for (const { group, cpu } of seen.values()) groups.set(group, (groups.get(group) ?? 0) + cpu);
    for (const [group, cpu] of groups) {
      if (!threads.has(group)) {
        // A group first seen now used nothing before.
        const line = new CpuTimeline();
        const first = timeline.samples[0];
        if (first) line.add(first.at, 0);
        threads.set(group, line);
      }
      threads.get(group)!.add(at, cpu);
    }
    timeline.add(
      at,
      [...groups.values()].reduce((a, b) => a + b, 0),
    );
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    timeline,
    threads,
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      poll();
    },
  };
}
