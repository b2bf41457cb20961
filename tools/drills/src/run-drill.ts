/**
 * `pnpm drill soak [--runs N] [--seed S] [--minutes M] [--fault-every LOW-HIGH]`: the chaos soak at the defaults, N times with a min–max table (see run-soak.ts).
 * `pnpm drill rolling [--runs N] [--primary-outage MS] [--backup-crash-after MS]`: the rolling-failure drill at the defaults, N times (see run-rolling-drills.ts).
 * `pnpm drill [name… | --defaults | --shortened]`: runs the long failover drills (all, those named, or only
 * those at the shipped defaults, `<name>-defaults`, or only the shortened ones), prints failover time,
 * client errors and p99 during each fault, and writes them to bench/drill-results.json at the repo
 * root. Exits 1 when a drill had client errors or failed over in 1 s or more.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startDrillEnvironment } from './harness/start-drill-environment.js';
import { drillCatalogue } from './scenarios/drill-catalogue.js';

const failoverTargetMs = 1000;
const args = process.argv.slice(2);
// `pnpm drill rolling [--runs N]`: the rolling-failure drill at the defaults, N times, with a min–max table.
if (args[0] === 'rolling') {
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 1);
  const { runRollingDrills } = await import('./journal-drills/run-rolling-drills.js');
  // `--backup-crash-after MS`: kill the backup that soon after the primary returned (a few seconds: its breaker still open, nothing admissible).
  const backupCrashAfterMs = args.includes('--backup-crash-after') ? Number(args[args.indexOf('--backup-crash-after') + 1]) : undefined;
  // `--primary-outage MS`: how long the primary stays down (default 12,000).
  const primaryOutageMs = args.includes('--primary-outage') ? Number(args[args.indexOf('--primary-outage') + 1]) : undefined;
  const passed = await runRollingDrills(args.includes('--runs') && Number.isInteger(runs) && runs > 0 ? runs : 1, {
    ...(backupCrashAfterMs === undefined || Number.isNaN(backupCrashAfterMs) ? {} : { backupCrashAfterMs }),
    ...(primaryOutageMs === undefined || Number.isNaN(primaryOutageMs) ? {} : { primaryOutageMs }),
  });
  process.exit(passed ? 0 : 1);
}
// `pnpm drill soak [--runs N] [--seed S] [--minutes M] [--fault-every LOW-HIGH]`: the chaos soak at the defaults (10 minutes unless told), N times.
if (args[0] === 'soak') {
  const option = (name: string): number | undefined => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
  const runs = option('--runs') ?? 1;
  const { runSoaks } = await import('./journal-drills/run-soaks.js');
  const seed = option('--seed');
  // `--fault-every 15-25`: seconds between faults (the 2-minute version in pnpm test uses 15-25; default 20-60).
  const every = args.includes('--fault-every') ? /^(\d+)-(\d+)$/.exec(args[args.indexOf('--fault-every') + 1] ?? '') : null;
  const faultEveryMs = every ? ([Number(every[1]) * 1000, Number(every[2]) * 1000] as const) : undefined;
  const passed = await runSoaks({ runs: Number.isInteger(runs) && runs > 0 ? runs : 1, durationMs: (option('--minutes') ?? 10) * 60_000, ...(seed === undefined ? {} : { seed }), ...(faultEveryMs ? { faultEveryMs } : {}) });
  process.exit(passed ? 0 : 1);
}
// Names, or `--defaults` for every drill at the shipped defaults (`--shortened` for the others).
const named = args.filter((arg) => !arg.startsWith('-'));
const wanted = named.length > 0 ? named : args.includes('--defaults') ? drillCatalogue.filter((drill) => drill.name.endsWith('-defaults')).map((drill) => drill.name) : args.includes('--shortened') ? drillCatalogue.filter((drill) => !drill.name.endsWith('-defaults')).map((drill) => drill.name) : [];
const unknown = wanted.filter((name) => !drillCatalogue.some((drill) => drill.name === name));
if (unknown.length > 0) {
  console.error(`unknown drill(s): ${unknown.join(', ')}; known: ${drillCatalogue.map((drill) => drill.name).join(', ')}`);
  process.exit(2);
}
const round = (value: number | undefined): number | null => (value === undefined || Number.isNaN(value) ? null : Math.round(value * 10) / 10);

const results: Record<string, unknown>[] = [];
let missed = false;
for (const drill of drillCatalogue.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
  console.log(`\n== ${drill.name}: ${drill.description}`);
  const env = await startDrillEnvironment(drill.environment);
  try {
    const { summary, extra } = await drill.run(env);
    const row = {
      drill: drill.name,
      requests: summary.requests,
      clientErrors: summary.clientErrors,
      failoverMs: round(summary.failoverMs),
      p99DuringFaultMs: round(summary.duringFault.p99Ms),
      maxDuringFaultMs: round(summary.duringFault.maxMs),
      servedBy: summary.servedBy,
      // A crash of the gateway during the drill (exit code or signal), else null.
      gatewayExit: env.gateway.exit() ?? null,
      ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, typeof value === 'number' ? round(value) : value])),
    };
    const failoverMissed = drill.name.startsWith('slow-') ? false : (summary.failoverMs ?? Infinity) >= failoverTargetMs;
    if (summary.clientErrors > 0 || failoverMissed || env.gateway.exit() !== undefined) missed = true;
    console.log(JSON.stringify(row, null, 2));
    if (summary.errorSamples.length > 0) console.log('error samples:', summary.errorSamples);
    if (env.gateway.exit() !== undefined) console.log(`the gateway exited (${env.gateway.exit()}); its output ends with:\n${env.gateway.output().slice(-2500)}`);
    results.push(row);
  } catch (error) {
    missed = true;
    console.error(`${drill.name} failed: ${(error as Error).message}`);
    results.push({ drill: drill.name, error: (error as Error).message.slice(0, 2000) });
  } finally {
    await env.close();
  }
}

console.log('\ndrill                              requests  errors  failover ms  p99 fault ms');
for (const row of results) {
  const cell = (value: unknown, width: number): string => String(value ?? '-').padStart(width);
  console.log(`${String(row.drill).padEnd(34)} ${cell(row.requests, 8)} ${cell(row.error ? 'FAIL' : row.clientErrors, 7)} ${cell(row.failoverMs, 12)} ${cell(row.p99DuringFaultMs, 13)}`);
}
const output = fileURLToPath(new URL('../../../bench/drill-results.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../../bench/', import.meta.url)), { recursive: true });
writeFileSync(output, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, failoverTargetMs, results }, null, 2)}\n`);
console.log(`\nwrote ${output}`);
process.exitCode = missed ? 1 : 0;
