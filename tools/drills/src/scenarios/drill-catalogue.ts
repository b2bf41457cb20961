import type { DrillEnvironment, DrillEnvironmentOptions } from '../harness/start-drill-environment.js';
import type { LoadSummary } from '../harness/summarize-load.js';
import { journalDrills } from '../journal-drills/journal-drill-catalogue.js';
import { blackholePrimary } from './blackhole-primary.js';
import { flappingPrimary } from './flapping-primary.js';
import { sigkillPrimary } from './sigkill-primary.js';
import { slowMember } from './slow-member.js';

/** What one drill reports: the load summary around its fault, plus figures of its own. */
export interface DrillOutcome {
  readonly summary: LoadSummary;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A drill `pnpm drill` can run: a fresh environment with these routing settings, then `run`. */
export interface Drill {
  readonly name: string;
  readonly description: string;
  readonly environment: DrillEnvironmentOptions;
  run(env: DrillEnvironment): Promise<DrillOutcome>;
}

const reflexRouting: DrillEnvironmentOptions = { attemptTimeoutMs: 300, failureThreshold: 3, cooldownMs: 5000 };

/**
 * The long versions of the reflex tests (the CI tests run the same scenarios shorter). A later drill
 * (say, the journal's SIGKILL-and-replay) is one more entry here with its own scenario module.
 */
export const drillCatalogue: readonly Drill[] = [
  {
    name: 'blackhole-primary',
    description: 'primary blackholed for 15 s under 8 readers',
    environment: reflexRouting,
    run: async (env) => {
      const { summary, ...extra } = await blackholePrimary(env, { clients: 8, warmupMs: 3000, faultMs: 15_000 });
      return { summary, extra };
    },
  },
  {
    name: 'sigkill-primary',
    description: 'primary SIGKILLed, 20 s on the backup, then restarted; 8 clients, half writes',
    environment: reflexRouting,
    run: async (env) => {
      const { summary, afterCrash } = await sigkillPrimary(env, { clients: 8, writeRatio: 0.5, warmupMs: 3000, faultMs: 20_000, restart: true });
      return { summary, extra: { writesAfterCrash: afterCrash.filter((record) => record.op === 'write').length } };
    },
  },
  {
    name: 'flapping-primary',
    description: 'primary down 2 s / up 2 s for 30 s',
    environment: reflexRouting,
    run: async (env) => {
      const { summary, breakerChanges, ...extra } = await flappingPrimary(env, { clients: 8, durationMs: 30_000 });
      return { summary, extra: { ...extra, breakerStates: breakerChanges.map((change) => change.state).join(' ') } };
    },
  },
  ...(['performance', 'hybrid'] as const).map(
    (strategy): Drill => ({
      name: `slow-member-${strategy}`,
      description: `+100 ms on the busier member under ${strategy}`,
      environment: { ...reflexRouting, strategy, attemptTimeoutMs: 2000 },
      run: async (env) => {
        const { summary, ...extra } = await slowMember(env, { clients: 8, warmupMs: 3000, windowMs: 5000, measureMs: 5000 });
        return { summary, extra };
      },
    }),
  ),
  ...journalDrills,
];
