import pg from 'pg';

/** What the gateway's state store says happened to one memory: its routing decisions and its journal rows. */
export interface MemoryTrace {
  /** Decisions of the requests named `<element>--add` / `<element>--delete` (and the replication they did), oldest first, compacted. */
  readonly decisions: readonly string[];
  /** The memory's journal entries still kept, with each member's delivery state. */
  readonly journal: readonly string[];
}

/**
 * Reads the trace of a memory from the gateway's state database (decisions carry the drill's request ids,
 * the journal the memory id). For failure messages only: it explains a lost or resurrected write.
 */
export async function traceMemory(stateUrl: string, element: string, memoryId: string | undefined): Promise<MemoryTrace> {
  const client = new pg.Client({ connectionString: stateUrl });
  await client.connect();
  try {
    const decisions = await client.query<{ at: Date; decision: { operation: string; chosen: string | null; outcome: string; attempts: { provider: string; outcome: string; durationMs: number; error?: { name: string; message: string } }[] }; request_id: string }>(
      `select at, request_id, decision from memgate.failover_decisions where request_id like $1 order by (decision->>'startedAt')::bigint, id`,
      [`${element}--%`],
    );
    const journal = memoryId
      ? await client.query<{ id: string; op: string; member: string; state: string; attempts: number; last_error: string | null }>(
          `select e.id::text, e.op, d.member, d.state, d.attempts, d.last_error from memgate.journal_entries e join memgate.journal_deliveries d on d.entry_id = e.id where e.memory_id = $1 order by e.id, d.member`,
          [memoryId],
        )
      : { rows: [] };
    return {
      decisions: decisions.rows.map(({ at, request_id, decision }) => `${at.toISOString().slice(11, 23)} ${request_id.split('--')[1]} ${decision.operation} → ${decision.chosen ?? 'none'} (${decision.outcome}): ${decision.attempts.map((attempt) => `${attempt.provider} ${attempt.outcome} ${Math.round(attempt.durationMs)}ms${attempt.error ? ` ${attempt.error.name}: ${attempt.error.message.slice(0, 80)}` : ''}`).join('; ')}`),
      journal: journal.rows.map((row) => `#${row.id} ${row.op} ${row.member} ${row.state} (${row.attempts} attempts${row.last_error ? `, ${row.last_error.slice(0, 80)}` : ''})`),
    };
  } finally {
    await client.end();
  }
}
