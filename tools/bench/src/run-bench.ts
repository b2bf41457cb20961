/**
 * Runs every `src/*-bench.ts` module in turn (or those whose file name contains one of the
 * command-line arguments: `pnpm bench postgres`), prints one table of figures and writes them to
 * `<repo root>/bench/results.json`. Each module exports `run(): Promise<BenchFigure[]>`. A run of
 * some modules replaces only their figures in an existing results.json and keeps the others'.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchFigure, BenchModule } from './bench-figure.js';

const here = dirname(fileURLToPath(import.meta.url));

function repoRoot(): string {
  let directory = here;
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('run-bench: no pnpm-workspace.yaml above tools/bench');
    directory = parent;
  }
  return directory;
}

function printTable(figures: readonly BenchFigure[]): void {
  const rows = figures.map((figure) => [figure.name, `${figure.value}`, figure.unit, figure.details ?? '']);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), ['figure', 'value', 'unit'][column]!.length));
  const line = (cells: string[]): string => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padStart(widths[1]!)}  ${cells[2]!.padEnd(widths[2]!)}  ${cells[3]}`;
  console.log(line(['figure', 'value', 'unit', 'details']));
  for (const row of rows) console.log(line(row));
}

const filters = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((file) => file.endsWith('-bench.ts') && file !== 'run-bench.ts' && (filters.length === 0 || filters.some((filter) => file.includes(filter))))
  .sort();
const figures: (BenchFigure & { module: string })[] = [];
const failures: string[] = [];
for (const file of modules) {
  const started = performance.now();
  console.log(`# ${file}`);
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    const result = await module.run();
    figures.push(...result.map((figure) => ({ module: file, ...figure })));
    console.log(`# ${file}: ${result.length} figures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    failures.push(`${file}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    console.error(`# ${file} failed:`, error);
  }
}
console.log('');
printTable(figures);
const output = join(repoRoot(), 'bench', 'results.json');
mkdirSync(dirname(output), { recursive: true });
const kept: (BenchFigure & { module: string })[] = [];
if (filters.length > 0 && existsSync(output)) {
  try {
    const previous = JSON.parse(readFileSync(output, 'utf8')) as { figures?: (BenchFigure & { module?: string })[] };
    for (const figure of previous.figures ?? []) if (figure.module && !modules.includes(figure.module)) kept.push(figure as BenchFigure & { module: string });
  } catch {
    // An unreadable old file is simply replaced.
  }
}
const all = [...kept, ...figures];
writeFileSync(output, `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, cpus: cpus().length, modules, figures: all, failures }, null, 2)}\n`);
console.log(`\nwrote ${all.length} figures to ${output}`);
process.exitCode = failures.length > 0 ? 1 : 0;
