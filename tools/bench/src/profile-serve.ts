/**
 * A CPU profile of `memgate serve` under load: starts a case of serve-cases.ts with `node --cpu-prof`,
 * runs searches then adds at a fixed rate (open model), stops the gateway cleanly (the profile is
 * written at exit) and prints the top self-time modules and functions (summarize-cpu-profile.ts).
 * Usage: `pnpm --filter @memgate/bench profile [pg1|pg2|embedded] [rate] [seconds per operation]`
 * (defaults pg2, 400, 10). The profile stays in a temporary directory, printed, for a viewer.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOpenLoad } from './open-model-load.js';
import { percentile } from './latency-percentiles.js';
import { serveCaseLabels, startServeCase, type ServeCaseKind } from './serve-cases.js';
import { printCpuProfileSummary, summarizeCpuProfile } from './summarize-cpu-profile.js';

const [kindArgument = 'pg2', rateArgument = '400', secondsArgument = '10'] = process.argv.slice(2);
if (!(kindArgument in serveCaseLabels)) throw new Error(`unknown case ${kindArgument}: pg1, pg2 or embedded`);
const kind = kindArgument as ServeCaseKind;
const rate = Number(rateArgument);
const seconds = Number(secondsArgument);
const profileDir = await mkdtemp(join(tmpdir(), 'memgate-cpu-prof-'));
const serveCase = await startServeCase(kind, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
try {
  for (const [operation, send] of [['search', serveCase.gatewaySearch], ['add', serveCase.gatewayAdd]] as const) {
    const result = await runOpenLoad({ rate, durationMs: seconds * 1000, send: ({ index }) => send(index) });
    console.log(`${serveCaseLabels[kind]}: ${operation} at ${rate}/s: achieved ${result.achievedRate.toFixed(0)}/s, p50 ${percentile(result.latencyMs, 50).toFixed(2)} ms, p99 ${percentile(result.latencyMs, 99).toFixed(2)} ms, ${result.failed} failed`);
  }
} finally {
  await serveCase.close();
}
const files = (await readdir(profileDir)).filter((file) => file.endsWith('.cpuprofile'));
if (files.length === 0) throw new Error(`no profile was written to ${profileDir}`);
for (const file of files) {
  console.log(`\n${join(profileDir, file)}`);
  printCpuProfileSummary(summarizeCpuProfile(JSON.parse(await readFile(join(profileDir, file), 'utf8'))), 35);
}
