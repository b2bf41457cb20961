import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import type { HistoryOperation } from './history-operation.js';

/** Builds a history from compact rows: [id, process, type, f, value, time]. */
const history = (...rows: [number, string, HistoryOperation['type'], HistoryOperation['f'], HistoryOperation['value'] | undefined, number][]): HistoryOperation[] =>
  rows.map(([id, process, type, f, value, time]) => ({ id, process, type, f, time, ...(value === undefined ? {} : { value }) }));
const outcomeOf = (result: ReturnType<typeof checkHistory>, element: string) => result.writes.find((write) => write.element === element)?.outcome;

describe('checkHistory', () => {
  it('calls every acknowledged add present when each final read holds it once and no later read missed it', () => {
    const result = checkHistory(
      history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2], [1, 'c2', 'invoke', 'add', 'b', 1], [1, 'c2', 'ok', 'add', 'b', 3], [2, 'c1', 'invoke', 'read', undefined, 4], [2, 'c1', 'ok', 'read', ['a', 'b'], 5]),
      { primary: ['a', 'b'], backup: ['b', 'a'] },
    );
    expect(result.valid).toBe(true);
    expect(result.counts).toMatchObject({ acknowledged: 2, present: 2, lost: 0, stale: 0, duplicated: 0 });
  });

  it('calls an acknowledged add lost when a final read lacks it, naming that read', () => {
    const result = checkHistory(history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2]), { primary: ['a'], backup: [] });
    expect(result.valid).toBe(false);
    expect(result.writes[0]).toMatchObject({ element: 'a', outcome: 'lost', missingFrom: ['backup'] });
    expect(result.counts.lost).toBe(1);
  });

  it("calls an add stale when the writer's own read, begun after the ack, missed it", () => {
    const result = checkHistory(
      history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2], [1, 'c1', 'invoke', 'read', undefined, 3], [1, 'c1', 'ok', 'read', [], 4]),
      { primary: ['a'] },
    );
    expect(result.valid).toBe(false);
    expect(result.writes[0]).toMatchObject({ outcome: 'stale', staleReads: [{ process: 'c1', invokedAt: 3 }] });
  });

  it("ignores other clients' and concurrent reads for staleness by default, and counts other clients' with staleness 'any'", () => {
    const operations = history(
      [0, 'c1', 'invoke', 'add', 'a', 1],
      [1, 'c1', 'invoke', 'read', undefined, 1.5], // began before the ack: may miss it
      [0, 'c1', 'ok', 'add', 'a', 2],
      [1, 'c1', 'ok', 'read', [], 2.5],
      [2, 'c2', 'invoke', 'read', undefined, 3],
      [2, 'c2', 'ok', 'read', [], 4],
    );
    expect(outcomeOf(checkHistory(operations, { primary: ['a'] }), 'a')).toBe('present');
    const strict = checkHistory(operations, { primary: ['a'] }, { staleness: 'any' });
    expect(strict.writes[0]).toMatchObject({ outcome: 'stale', staleReads: [{ process: 'c2', invokedAt: 3 }] });
  });

  it('calls an add duplicated when a final read or a read during the run holds two copies', () => {
    const inFinal = checkHistory(history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2]), { primary: ['a', 'a'] });
    expect(inFinal.writes[0]).toMatchObject({ outcome: 'duplicated', maxCopies: 2 });
    const duringRun = checkHistory(
      history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2], [1, 'c2', 'invoke', 'read', undefined, 3], [1, 'c2', 'ok', 'read', ['a', 'a'], 4]),
      { primary: ['a'] },
    );
    expect(outcomeOf(duringRun, 'a')).toBe('duplicated');
    expect(duringRun.valid).toBe(false);
  });

  it('prefers lost over duplicated over stale when several apply', () => {
    const result = checkHistory(
      history([0, 'c1', 'invoke', 'add', 'a', 1], [0, 'c1', 'ok', 'add', 'a', 2], [1, 'c1', 'invoke', 'read', undefined, 3], [1, 'c1', 'ok', 'read', [], 4]),
      { primary: ['a', 'a'], backup: [] },
    );
    expect(outcomeOf(result, 'a')).toBe('lost');
  });

  it('blames nothing on an indeterminate add that is absent, or present once, but counts one present twice as duplicated', () => {
    const operations = history([0, 'c1', 'invoke', 'add', 'x', 1], [0, 'c1', 'info', 'add', 'x', 2], [1, 'c1', 'invoke', 'add', 'y', 1]); // y never completed
    expect(checkHistory(operations, { primary: [] })).toMatchObject({ valid: true, counts: { indeterminate: 2, acknowledged: 0 } });
    expect(checkHistory(operations, { primary: ['x', 'y'] }).valid).toBe(true);
    expect(checkHistory(operations, { primary: ['x', 'x'] })).toMatchObject({ valid: false, counts: { duplicated: 1 } });
  });

  it('reports as unexpected an element whose add certainly failed, or was never invoked', () => {
    const result = checkHistory(history([0, 'c1', 'invoke', 'add', 'f', 1], [0, 'c1', 'fail', 'add', 'f', 2]), { primary: ['f', 'ghost'] });
    expect(result.valid).toBe(false);
    expect(result.unexpected).toEqual(['f', 'ghost']);
  });

  it('calls an acknowledged add deleted when an acknowledged delete removed it everywhere, resurrected when a final read still has it', () => {
    const operations = history([0, 'c1', 'invoke', 'add', 'd', 1], [0, 'c1', 'ok', 'add', 'd', 2], [1, 'c1', 'invoke', 'delete', 'd', 3], [1, 'c1', 'ok', 'delete', 'd', 4], [2, 'c1', 'invoke', 'read', undefined, 5], [2, 'c1', 'ok', 'read', [], 6]);
    expect(checkHistory(operations, { primary: [], backup: [] })).toMatchObject({ valid: true, counts: { deleted: 1 } });
    const resurrected = checkHistory(operations, { primary: [], backup: ['d'] });
    expect(resurrected).toMatchObject({ valid: false, counts: { resurrected: 1 } });
  });

  it('throws on a completion without an invocation', () => {
    expect(() => checkHistory(history([7, 'c1', 'ok', 'add', 'a', 1]), {})).toThrow(/operation 7 completes \(ok\) without an invocation/);
  });
});
