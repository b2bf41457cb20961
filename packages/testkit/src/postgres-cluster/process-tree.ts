import { readdirSync, readFileSync } from 'node:fs';

/**
 * `pid` and its direct children, from /proc. PostgreSQL backends call setsid(), so a signal to the
 * postmaster's process group does not reach them: they have to be signalled one by one.
 */
export function processTree(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command (field 2) may hold spaces, so split after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return [pid, ...children];
}

/** Sends `signal` to `pid` and its children, ignoring processes that are already gone. */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const target of processTree(pid)) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}

/** True while `pid` runs; a zombie (state Z) counts as gone, since containers often have no init to reap it. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs, polling every 10 ms for at most `timeoutMs`. Resolves false on timeout. */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
