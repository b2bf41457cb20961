/** One measured figure, as printed and as written to bench/results.json. */
export interface BenchFigure {
  /** What was measured, e.g. `postgres server: search p50 @ 100,000 memories`. */
  readonly name: string;
  readonly value: number;
  /** Unit of `value`, e.g. `ms`, `memories/s`. */
  readonly unit: string;
  /** How it was measured (sizes, batch sizes, sample counts), so a figure can be read on its own. */
  readonly details?: string;
}

/** What every `src/*-bench.ts` module exports. */
export interface BenchModule {
  run(): Promise<BenchFigure[]>;
}
