import type { History, HistoryOperation } from './history-operation.js';

/** Completes an invoked operation. Only the first completion counts. */
export interface PendingOperation {
  /** It happened; for a read, pass the elements it returned. */
  ok(value?: readonly string[]): void;
  /** It certainly did not happen (e.g. a 4xx that wrote nothing). */
  fail(error?: unknown): void;
  /** Unknown whether it happened (timeout, connection lost). */
  info(error?: unknown): void;
}

/** Records operations of several clients for {@link checkHistory}. */
export interface HistoryRecorder {
  /** Records the start of an add or delete of `element`, or of a read. */
  invoke(process: string, f: 'add' | 'delete', element: string): PendingOperation;
  invoke(process: string, f: 'read'): PendingOperation;
  /**
   * Runs `work` as one operation: `ok` with its result (for a read, the elements), `fail` when it
   * throws an error that `isDefinite(error)` says certainly wrote nothing, `info` for any other error.
   * Rethrows the error.
   */
  run<T>(process: string, f: 'add' | 'delete', element: string, work: () => Promise<T>, isDefinite?: (error: unknown) => boolean): Promise<T>;
  /** Runs a read: `ok` with the elements `work` returns, `fail` when it throws (a read changes nothing). Rethrows. */
  read(process: string, work: () => Promise<readonly string[]>): Promise<readonly string[]>;
  /** Everything recorded so far, in order. */
  history(): History;
}

const describe = (error: unknown): string | undefined => (error === undefined ? undefined : error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * A history recorder. `now` is the clock in milliseconds (default `performance.now`): one monotonic
 * clock for every client, so "read after ack" is well defined.
 */
export function createHistoryRecorder(now: () => number = () => performance.now()): HistoryRecorder {
  const operations: HistoryOperation[] = [];
  let nextId = 0;
  const invoke = (process: string, f: HistoryOperation['f'], element?: string): PendingOperation => {
    const id = nextId++;
    operations.push({ id, process, type: 'invoke', f, ...(element === undefined ? {} : { value: element }), time: now() });
    let done = false;
    const complete = (type: 'ok' | 'fail' | 'info', value: HistoryOperation['value'], error?: unknown): void => {
      if (done) return;
      done = true;
      const message = describe(error);
      operations.push({ id, process, type, f, ...(value === undefined ? {} : { value }), time: now(), ...(message === undefined ? {} : { error: message }) });
    };
    return {
      ok: (value) => complete('ok', f === 'read' ? [...(value ?? [])] : element),
      fail: (error) => complete('fail', element, error),
      info: (error) => complete('info', element, error),
    };
  };
  return {
    invoke: invoke as HistoryRecorder['invoke'],
    async run(process, f, element, work, isDefinite = () => false) {
      const pending = invoke(process, f, element);
      try {
        const result = await work();
        pending.ok();
        return result;
      } catch (error) {
        if (isDefinite(error)) pending.fail(error);
        else pending.info(error);
        throw error;
      }
    },
    async read(process, work) {
      const pending = invoke(process, 'read');
      try {
        const elements = await work();
        pending.ok(elements);
        return elements;
      } catch (error) {
        pending.fail(error);
        throw error;
      }
    },
    history: () => [...operations],
  };
}
