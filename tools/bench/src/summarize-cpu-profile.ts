/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and prints where the time went: self time per function
 * (name, file, line) and per module (a package under node_modules, or a repo file), as a share of the
 * sampled time. Usage: `tsx src/summarize-cpu-profile.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One aggregated entry: self time in ms and its share of all samples. */
export interface ProfileEntry {
  readonly key: string;
  readonly selfMs: number;
  readonly share: number;
}

/** A package name for a node_modules path (`.pnpm/<pkg>@<version>/node_modules/<pkg>/…`), the repo path for the rest, or the V8 bucket (`(garbage collector)`). */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules) return inModules[1]!;
  if (path.startsWith('node:')) return path;
  const inRepo = /\/(packages|apps|tools)\/([^/]+)\/(.*)$/.exec(path);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}/${inRepo[3]}` : path;
}

const inRepo = (url: string): boolean => /\/(packages|apps)\/[^/]+\/src\//.test(url) && !url.includes('node_modules');

/**
 * Self time per function and per module, largest first; and `ownedBy`: every sample charged to the
 * innermost repo function on its stack (so drizzle's or pg's time lands on the repo code that called it).
 */
export function summarizeCpuProfile(profile: CpuProfile): { totalMs: number; functions: ProfileEntry[]; modules: ProfileEntry[]; ownedBy: ProfileEntry[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached !== undefined) return cached;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const parent = parentOf.get(id);
    const owner = inRepo(url) ? `${functionName || '(anonymous)'}  ${moduleOf(url, functionName)}:${lineNumber + 1}` : parent === undefined ? `(no repo frame) ${moduleOf(url, functionName)}` : ownerOf(parent);
    ownerCache.set(id, owner);
    return owner;
  };
  const owned = new Map<string, number>();
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const module = moduleOf(url, functionName);
    const key = `${functionName || '(anonymous)'}  ${module}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    modules.set(module, (modules.get(module) ?? 0) + us);
    const owner = ownerOf(id);
    owned.set(owner, (owned.get(owner) ?? 0) + us);
  }
  const entries = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()].map(([key, us]) => ({ key, selfMs: us / 1000, share: us / Math.max(1, totalUs) })).sort((left, right) => right.selfMs - left.selfMs);
  return { totalMs: totalUs / 1000, functions: entries(functions), modules: entries(modules), ownedBy: entries(owned) };
}

/** Prints the top entries of a summary. */
export function printCpuProfileSummary(summary: ReturnType<typeof summarizeCpuProfile>, top = 30): void {
  const line = (entry: ProfileEntry): string => `${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.key}`;
  console.log(`sampled ${summary.totalMs.toFixed(0)} ms`);
  console.log(`\ntop modules by self time:`);
  for (const entry of summary.modules.slice(0, top)) console.log(line(entry));
  console.log(`\ntop functions by self time:`);
  for (const entry of summary.functions.slice(0, top)) console.log(line(entry));
  console.log(`\ntime charged to the innermost repo function on the stack (libraries included):`);
  for (const entry of summary.ownedBy.slice(0, top)) console.log(line(entry));
}

if (process.argv[1]?.endsWith('summarize-cpu-profile.ts')) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx src/summarize-cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  printCpuProfileSummary(summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile), top ? Number(top) : 30);
}
