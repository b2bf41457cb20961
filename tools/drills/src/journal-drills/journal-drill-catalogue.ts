import type { DrillEnvironment } from '../harness/start-drill-environment.js';
import type { Drill, DrillOutcome } from '../scenarios/drill-catalogue.js';
import { journalDrillFigures } from './journal-drill-figures.js';
import { runJournalDrill, type JournalDrillOptions } from './run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment, type JournalEnvironmentOptions } from './start-journal-environment.js';

/** The reflex drills' environment (two PostgreSQL clusters behind proxies, one gateway) seen as a journal drill's; it cannot restart its gateway. */
function fromDrillEnvironment(env: DrillEnvironment): JournalEnvironment {
  const member = (backend: DrillEnvironment['primary']): JournalEnvironment['primary'] => ({
    name: backend.name,
    providerConfig: {},
    env: {},
    crash: () => backend.cluster.kill('SIGKILL'),
    recover: () => backend.cluster.restart(),
    close: async () => undefined,
  });
  const cannot = (): Promise<void> => Promise.reject(new Error('this environment cannot restart its gateway: use startJournalEnvironment'));
  const primary = member(env.primary);
  const backup = member(env.backup);
  return { primary, backup, third: undefined, members: [primary, backup], stateUrl: '', gateway: () => env.gateway, client: () => env.client, killGateway: cannot, restartGateway: cannot, close: async () => undefined };
}

/**
 * Runs a journal drill and shapes it for `pnpm drill`: the load summary (its client errors are those
 * outside a gateway restart: a dead gateway answers nobody) and the journal figures. An invalid history
 * (lost, duplicated, stale, resurrected) fails the drill with the figures in the message.
 */
async function journalOutcome(env: JournalEnvironment, options: JournalDrillOptions): Promise<DrillOutcome> {
  const result = await runJournalDrill(env, options);
  const figures = journalDrillFigures(result);
  const deletedReadable = result.finalReads.some((read) => read.deletedReadable.length > 0);
  if (!result.check.valid || deletedReadable || result.ownReads.missed > 0) {
    throw new Error(`history not valid: ${JSON.stringify({ ...figures, faults: result.faults.slice(0, 10) })}`);
  }
  // run-drill prints the summary's own figures; the rest go in `extra`.
  const shown = new Set(['requests', 'clientErrors', 'failoverMs', 'p99DuringFaultMs', 'servedBy', 'errorSamples']);
  const extra = Object.fromEntries(Object.entries(figures).filter(([key]) => !shown.has(key)));
  return { summary: { ...result.summary, clientErrors: result.clientErrorsOutsideGatewayRestart, errorSamples: result.errorSamples }, extra: { ...extra, allClientErrors: figures.clientErrors } };
}

/** A journal drill in an environment of its own (mem0 member, gateway restart); the one `pnpm drill` passes stays idle. */
const ownEnvironment = async (environment: JournalEnvironmentOptions, options: JournalDrillOptions): Promise<DrillOutcome> => {
  const env = await startJournalEnvironment(environment);
  try {
    return await journalOutcome(env, options);
  } finally {
    await env.close();
  }
};

const journalRouting = { attemptTimeoutMs: 1000, failureThreshold: 3, cooldownMs: 2000 };
const long = { clients: 8, warmupMs: 3000, outageMs: 20_000, afterMs: 3000, convergeTimeoutMs: 120_000 } as const;

/** The long journal drills, shortened (breaker 3 failures / 2 s cooldown, 1 s timeouts, write quorum 2) or at the shipped defaults. */
function journalDrillsAt(defaults: boolean): readonly Drill[] {
  const suffix = defaults ? '-defaults' : '';
  const environment = defaults ? { defaults: true } : journalRouting;
  const at = defaults ? ' (shipped defaults: the primary returns through its probes, not the 5-minute cooldown)' : '';
  // At the defaults a returned primary should be back within ~10-15 s (auto-healing), so the backlogs get a minute;
  // the mem0 member's replay is bounded by its event polling (about 50 entries/s), hence the longer wait.
  const converge = defaults ? { convergeTimeoutMs: 60_000 } : {};
  return [
    {
      name: `journal-sigkill-primary${suffix}`,
      description: `primary SIGKILLed for 20 s under 8 clients (adds, own reads, listings), restarted; every write on each member alone${at}`,
      environment,
      run: (env) => journalOutcome(fromDrillEnvironment(env), { ...long, ...converge }),
    },
    {
      name: `journal-deletes${suffix}`,
      description: `as journal-sigkill-primary, with deletes during the outage; none readable afterwards${at}`,
      environment,
      run: (env) => journalOutcome(fromDrillEnvironment(env), { ...long, ...converge, deletes: true }),
    },
    {
      name: `journal-gateway-crash${suffix}`,
      description: `primary down 20 s, the gateway SIGKILLed mid-replay and restarted; clients retry with Idempotency-Key${at}`,
      environment,
      run: () => ownEnvironment(defaults ? { defaults: true } : {}, { ...long, ...converge, killGateway: true }),
    },
    {
      name: `journal-mem0-member${suffix}`,
      description: `a mem0 primary (wire server, async adds) unreachable for 20 s beside a PostgreSQL backup, with deletes${at}`,
      environment,
      run: () => ownEnvironment({ primaryKind: 'mem0', ...(defaults ? { defaults: true } : {}) }, { ...long, deletes: true }),
    },
  ];
}

/**
 * The long journal drills of issue 6 (the CI tests run them with an 8 s outage and 4 clients), each
 * shortened and at the shipped defaults (issue 11 item 7). Each prints failover time, client errors,
 * p99 during the fault, backlog peak, replay throughput and time to converge.
 */
export const journalDrills: readonly Drill[] = [...journalDrillsAt(false), ...journalDrillsAt(true)];
