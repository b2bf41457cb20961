import type { History, HistoryOperation } from './history-operation.js';

/** What became of one acknowledged add. */
export type WriteOutcome =
  /** In every final read exactly once, and seen by every read it had to be seen by. */
  | 'present'
  /** Missing from at least one final read. */
  | 'lost'
  /** In the final reads, but a read that began after its ack missed it. */
  | 'stale'
  /** More than one copy in some read. */
  | 'duplicated'
  /** Deleted by an acknowledged delete, and absent from every final read. */
  | 'deleted'
  /** Deleted by an acknowledged delete, yet present in a final read. */
  | 'resurrected';

/** The verdict on one acknowledged add. */
export interface WriteVerdict {
  readonly element: string;
  readonly process: string;
  /** When the add was acknowledged. */
  readonly ackedAt: number;
  readonly outcome: WriteOutcome;
  /** Final reads (by name) that lack it. */
  readonly missingFrom: readonly string[];
  /** Reads that began after the ack and missed it (only the writer's own, unless `staleness: 'any'`). */
  readonly staleReads: readonly { readonly process: string; readonly invokedAt: number }[];
  /** The most copies of it seen in one read. */
  readonly maxCopies: number;
}

/** Options of {@link checkHistory}. */
export interface CheckHistoryOptions {
  /**
   * Whose reads must see an acknowledged add: `own` (default) checks read-your-writes, the writer's
   * own later reads; `any` checks every client's, as a linearizable set would.
   */
  readonly staleness?: 'own' | 'any';
}

/** The result of {@link checkHistory}. */
export interface HistoryCheckResult {
  /** True when nothing was lost, stale, duplicated, resurrected or unexpected. */
  readonly valid: boolean;
  /** How many acknowledged adds had each outcome. */
  readonly counts: Readonly<Record<WriteOutcome, number>> & { readonly acknowledged: number; readonly indeterminate: number; readonly unexpected: number };
  /** One verdict per acknowledged add. */
  readonly writes: readonly WriteVerdict[];
  /** Elements in a final read whose add was never invoked, or certainly failed. */
  readonly unexpected: readonly string[];
}

type Completed = { invoke: HistoryOperation; completion: HistoryOperation | undefined };
const countIn = (read: readonly string[], element: string): number => read.reduce((total, item) => total + (item === element ? 1 : 0), 0);

/**
 * Checks a history of adds, deletes and reads of a set, in the manner of Jepsen's set-full checker:
 * every acknowledged add is classified as present, lost, stale, duplicated, deleted or resurrected,
 * given the final reads (say one per member of a pool, each read alone after the run).
 * Adds that completed `info` (indeterminate) may be present or absent without blame, once.
 *
 * @param history recorded operations (see `createHistoryRecorder`)
 * @param finalReads name → elements read after the run quiesced (duplicates kept)
 */
export function checkHistory(history: History, finalReads: Readonly<Record<string, readonly string[]>>, options: CheckHistoryOptions = {}): HistoryCheckResult {
  const operations = pairOperations(history);
  const reads = operations
    .filter(({ invoke, completion }) => invoke.f === 'read' && completion?.type === 'ok')
    .map(({ invoke, completion }) => ({ process: invoke.process, invokedAt: invoke.time, elements: (completion!.value ?? []) as readonly string[] }));
  const writes = (f: 'add' | 'delete', type: HistoryOperation['type']) => operations.filter(({ invoke, completion }) => invoke.f === f && (completion?.type ?? 'info') === type);
  const acknowledged = writes('add', 'ok');
  const deletes = new Map(writes('delete', 'ok').map(({ invoke, completion }) => [invoke.value as string, { invokedAt: invoke.time, ackedAt: completion!.time }]));
  const finals = Object.entries(finalReads);

  const seen = new Set<string>();
  const verdicts: WriteVerdict[] = [];
  for (const { invoke, completion } of acknowledged) {
    const element = invoke.value as string;
    if (seen.has(element)) continue; // a retried add of the same element is judged once, by its first ack
    seen.add(element);
    const ackedAt = completion!.time;
    const deleted = deletes.get(element);
    const missingFrom = finals.filter(([, read]) => countIn(read, element) === 0).map(([name]) => name);
    const maxCopies = Math.max(0, ...finals.map(([, read]) => countIn(read, element)), ...reads.map((read) => countIn(read.elements, element)));
    const staleReads = reads
      .filter((read) => read.invokedAt > ackedAt && (options.staleness === 'any' || read.process === invoke.process))
      .filter((read) => deleted === undefined || read.invokedAt < deleted.invokedAt)
      .filter((read) => countIn(read.elements, element) === 0)
      .map(({ process, invokedAt }) => ({ process, invokedAt }));
    const outcome: WriteOutcome = deleted
      ? missingFrom.length === finals.length ? 'deleted' : 'resurrected'
      : missingFrom.length > 0 ? 'lost' : maxCopies > 1 ? 'duplicated' : staleReads.length > 0 ? 'stale' : 'present';
    verdicts.push({ element, process: invoke.process, ackedAt, outcome, missingFrom, staleReads, maxCopies });
  }

  const invoked = new Set(operations.filter(({ invoke, completion }) => invoke.f === 'add' && completion?.type !== 'fail').map(({ invoke }) => invoke.value as string));
  const unexpected = [...new Set(finals.flatMap(([, read]) => read))].filter((element) => !invoked.has(element)).sort();
  const indeterminate = new Set(writes('add', 'info').map(({ invoke }) => invoke.value as string));
  for (const element of seen) indeterminate.delete(element);
  // An indeterminate add may land at most once.
  const doubledUnknown = [...indeterminate].filter((element) => finals.some(([, read]) => countIn(read, element) > 1));

  const counts = { present: 0, lost: 0, stale: 0, duplicated: 0, deleted: 0, resurrected: 0 };
  for (const verdict of verdicts) counts[verdict.outcome] += 1;
  counts.duplicated += doubledUnknown.length;
  const valid = counts.lost + counts.stale + counts.duplicated + counts.resurrected + unexpected.length === 0;
  return { valid, counts: { ...counts, acknowledged: verdicts.length, indeterminate: indeterminate.size, unexpected: unexpected.length }, writes: verdicts, unexpected };
}

function pairOperations(history: History): Completed[] {
  const byId = new Map<number, Completed>();
  for (const operation of history) if (operation.type === 'invoke') byId.set(operation.id, { invoke: operation, completion: undefined });
  for (const operation of history) {
    if (operation.type === 'invoke') continue;
    const entry = byId.get(operation.id);
    if (!entry) throw new Error(`checkHistory: operation ${operation.id} completes (${operation.type}) without an invocation`);
    entry.completion ??= operation;
  }
  return [...byId.values()];
}
