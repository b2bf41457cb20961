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

/**
 * The journal's deliveries not yet `delivered`, oldest first (at most `limit`), with their entry and the
 * decisions of the memory's last requests: what a backlog that does not drain is stuck on. For failure
 * messages only.
 */
export async function undeliveredEntries(stateUrl: string, limit = 10): Promise<string[]> {
  const client = new pg.Client({ connectionString: stateUrl });
  await client.connect();
  try {
    const rows = await client.query<{ id: string; op: string; memory_id: string; version: number; member: string; state: string; attempts: number; last_error: string | null; next_attempt_at: Date | null; lease_until: Date | null; created_at: Date; payload: unknown }>(
      `select e.id::text, e.op, e.memory_id, e.version, e.payload, e.created_at, d.member, d.state, d.attempts, d.last_error, d.next_attempt_at, d.lease_until
         from memgate.journal_deliveries d join memgate.journal_entries e on e.id = d.entry_id
        where d.state <> 'delivered' order by e.id limit $1`,
      [limit],
    );
    return rows.rows.map((row) => `#${row.id} ${row.op} ${row.memory_id} v${row.version} (created ${row.created_at.toISOString().slice(11, 23)}) → ${row.member} ${row.state}, ${row.attempts} attempts, next ${row.next_attempt_at?.toISOString().slice(11, 23) ?? '-'}, lease ${row.lease_until?.toISOString().slice(11, 23) ?? '-'}${row.last_error ? `, last error: ${row.last_error.slice(0, 200)}` : ''}; payload ${JSON.stringify(row.payload).slice(0, 200)}`);
  } finally {
    await client.end();
  }
}
