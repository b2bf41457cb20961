import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { signalTree } from './process-tree.js';

// Runs detached beside the test process and outlives it: when that process is gone (even SIGKILLed,
// which no exit hook survives) and the cluster directory still exists, it kills the postmaster named
// in postmaster.pid (if that pid really runs this cluster), its backends, and deletes the directory.
const reaperScript = `
owner=$1; dir=$2
while kill -0 "$owner" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
pm=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
if [ -n "$pm" ] && grep -q "$dir" "/proc/$pm/cmdline" 2>/dev/null; then
  kill -STOP "$pm"; pkill -KILL -P "$pm"; kill -KILL "$pm"
fi
rm -rf "$dir"
`;

const live = new Map<string, { pid: () => number | undefined; reaper: number | undefined }>();
let hooked = false;

/**
 * Makes sure a cluster's processes and files go away with the test process: an exit hook for a
 * normal exit, and a detached reaper shell for every other way the process can end.
 */
export function trackCluster(directory: string, pid: () => number | undefined): void {
  const reaper = spawn('sh', ['-c', reaperScript, 'memgate-pg-reaper', String(process.pid), directory], { detached: true, stdio: 'ignore' });
  reaper.on('error', () => undefined);
  reaper.unref();
  live.set(directory, { pid, reaper: reaper.pid });
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    // Only synchronous work runs in an exit handler: signals and rmSync are.
    for (const [dir, entry] of live) removeCluster(dir, entry.pid());
  });
}

/** Forgets a cluster that was stopped properly; its reaper exits once the directory is gone. */
export function untrackCluster(directory: string): void {
  live.delete(directory);
}

/** Kills a cluster's processes and deletes its directory, synchronously. */
export function removeCluster(directory: string, pid: number | undefined): void {
  if (pid !== undefined) {
    signalTree(pid, 'SIGCONT');
    signalTree(pid, 'SIGKILL');
  }
  rmSync(directory, { recursive: true, force: true });
}
