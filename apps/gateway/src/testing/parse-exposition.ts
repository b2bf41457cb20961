/** What a Prometheus text exposition declares and holds, per metric family and per sample name. */
export interface ParsedExposition {
  /** Families declared by `# TYPE`, with their type. */
  readonly families: ReadonlyMap<string, string>;
  /** Every sample name (`x_bucket`, `x_sum`, `x_count` for a histogram `x`) with each label's values seen. */
  readonly samples: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+(?:\s+\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus' text format (what prom-client's `registry.metrics()` writes). */
export function parseExposition(text: string): ParsedExposition {
  const families = new Map<string, string>();
  const samples = new Map<string, Map<string, Set<string>>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = samples.get(match[1]!) ?? new Map<string, Set<string>>();
    samples.set(match[1]!, labels);
    for (const [, name, value] of (match[2] ?? '').matchAll(labelPair)) {
      const values = labels.get(name!) ?? new Set<string>();
      labels.set(name!, values);
      values.add(value!.replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
    }
  }
  return { families, samples };
}
