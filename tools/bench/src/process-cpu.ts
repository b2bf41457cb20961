/**
 * CPU time of processes, from Linux's `/proc/<pid>/stat` (user + system time of every thread, in clock
 * ticks of 10 ms). The serve benchmark reads it before and after a run to say how much CPU the gateway
 * and the PostgreSQL backends serving it spent per request: on a machine of N cores, CPU per request ×
 * rate must stay well under N × 1,000 ms/s for the latency to be anything but queueing.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux this runs on). */
const ticksPerSecond = 100;

/** User + system CPU time of a process in ms, or 0 when it is gone or /proc is not there. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The summed CPU time (ms) of several processes. */
export const processesCpuMs = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
