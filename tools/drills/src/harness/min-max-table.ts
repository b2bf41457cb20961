/**
 * Prints `min – max` of each numeric column over the rows (a row without a number in that column is
 * skipped, and counted: `(n of m)`), under a title. Returns the lines printed.
 */
export function printMinMaxTable(title: string, rows: readonly Readonly<Record<string, unknown>>[], columns: readonly string[]): string[] {
  const lines = [title];
  for (const column of columns) {
    const values = rows.map((row) => row[column]).filter((value): value is number => typeof value === 'number' && !Number.isNaN(value));
    const range = values.length === 0 ? '-' : `${Math.min(...values)} – ${Math.max(...values)}`;
    lines.push(`${column.padEnd(30)} ${range}${values.length < rows.length ? ` (${values.length} of ${rows.length} runs)` : ''}`);
  }
  for (const line of lines) console.log(line);
  return lines;
}
