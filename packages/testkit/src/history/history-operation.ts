/**
 * One event of a recorded history, in the manner of Jepsen: each operation is invoked, then
 * completes as `ok` (it happened), `fail` (it certainly did not) or `info` (unknown: a timeout,
 * a dropped connection). An invocation without a completion counts as `info`.
 */
export interface HistoryOperation {
  /** Pairs an invocation with its completion; unique per operation. */
  readonly id: number;
  /** The client that ran it. */
  readonly process: string;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  /** `add` and `delete` write one element; `read` reads the whole set. */
  readonly f: 'add' | 'delete' | 'read';
  /** The element for add/delete; for an `ok` read, the elements it saw (duplicates kept). */
  readonly value?: string | readonly string[];
  /** When it happened, in milliseconds on one monotonic clock. */
  readonly time: number;
  /** What went wrong, for `fail` and `info`. */
  readonly error?: string;
}

/** A recorded history: invocations and completions, in any order. */
export type History = readonly HistoryOperation[];
