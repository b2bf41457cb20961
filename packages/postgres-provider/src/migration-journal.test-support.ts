import { readFileSync } from 'node:fs';

/** How many migrations drizzle-kit committed to a folder of this package (its journal's entries). */
export function journalEntries(folder: 'migrations' | 'migrations-vector'): number {
  const journal = JSON.parse(readFileSync(new URL(`../${folder}/meta/_journal.json`, import.meta.url), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}
