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

/** The reflex drills at the shipped defaults: providers with no timing settings, no routing section but the strategy a scenario needs. */
const shippedDefaults: DrillEnvironmentOptions = { defaults: true };

/**
 * The long versions of the reflex tests (the CI tests run the same scenarios shorter), each shortened
 * (cooldown 5 s, 300 ms timeouts) and once at the shipped defaults (5 s timeouts, 5 failures to trip, a
 * 5-minute cooldown, probes every 30 s, 5 s while failing; issue 11 item 7): a default that makes a
 * drill fail is a defect of the default. A later drill is one more entry here with its own scenario module.
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
    name: 'blackhole-primary-defaults',
    description: 'primary blackholed for 15 s under 8 readers, at the shipped defaults (clients wait 15 s; isolation by the breaker or the health gate; back through its probes)',
    environment: shippedDefaults,
    run: async (env) => {
      const { summary, ...extra } = await blackholePrimary(env, { clients: 8, warmupMs: 3000, faultMs: 15_000, recoveryTimeoutMs: 60_000, requestTimeoutMs: 15_000, openTimeoutMs: 30_000, requireBreakerOpen: false });
      return { summary, extra };
    },
  },
  ...([false, true] as const).map(
    (defaults): Drill => ({
      name: `sigkill-primary${defaults ? '-defaults' : ''}`,
      description: `primary SIGKILLed, 20 s on the backup, then restarted; 8 clients, half writes${defaults ? ', at the shipped defaults' : ''}`,
      environment: defaults ? shippedDefaults : reflexRouting,
      run: async (env) => {
        const { summary, afterCrash } = await sigkillPrimary(env, { clients: 8, writeRatio: 0.5, warmupMs: 3000, faultMs: 20_000, restart: true });
        return { summary, extra: { writesAfterCrash: afterCrash.filter((record) => record.op === 'write').length } };
      },
    }),
  ),
  ...([false, true] as const).map(
    (defaults): Drill => ({
      name: `flapping-primary${defaults ? '-defaults' : ''}`,
      description: `primary down 2 s / up 2 s for 30 s${defaults ? ', at the shipped defaults' : ''}`,
      environment: defaults ? shippedDefaults : reflexRouting,
      run: async (env) => {
        const { summary, breakerChanges, ...extra } = await flappingPrimary(env, { clients: 8, durationMs: 30_000 });
        return { summary, extra: { ...extra, breakerStates: breakerChanges.map((change) => change.state).join(' ') } };
      },
    }),
  ),
  ...(['performance', 'hybrid'] as const).flatMap((strategy) =>
    ([false, true] as const).map(
      (defaults): Drill => ({
        name: `slow-member-${strategy}${defaults ? '-defaults' : ''}`,
        description: `+100 ms on the busier member under ${strategy}${defaults ? ', at the shipped defaults otherwise' : ''}`,
        environment: defaults ? { ...shippedDefaults, strategy } : { ...reflexRouting, strategy, attemptTimeoutMs: 2000 },
        run: async (env) => {
          const { summary, ...extra } = await slowMember(env, { clients: 8, warmupMs: 3000, windowMs: 5000, measureMs: 5000 });
          return { summary, extra };
        },
      }),
    ),
  ),
  ...journalDrills,
];
