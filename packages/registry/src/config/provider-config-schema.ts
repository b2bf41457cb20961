import { securityLevels } from '@memgate/core';
import { z } from 'zod';

// The security level type is declared once, in core (ARCHITECTURE.md, "Security model"); re-exported for the registry's users.
export { securityLevels, type SecurityLevel } from '@memgate/core';

const required = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `expected ${expected}`);

const positiveInteger = () => z.int({ error: required('a positive integer') }).positive({ error: 'expected a positive integer' });
const nonNegativeInteger = () => z.int({ error: required('a non-negative integer') }).nonnegative({ error: 'expected a non-negative integer' });

/**
 * One entry of `providers[]` in a memgate config file, in the JSON spelling of SPEC-020.
 * Unknown fields are errors. String values may hold `${ENV_VAR}` references, resolved at use.
 *
 * The registry hands the plugin `{ ...settings, connectionString }`, validated by the plugin's
 * `settingsSchema`; see the package README for that convention.
 */
export const providerConfigSchema = z.strictObject({
  /** Unique instance name. */
  name: z
    .string({ error: required('a string') })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: "expected 1 to 63 letters, digits, '_', '-' or '.', starting with a letter or digit" }),
  /** The plugin type, e.g. `postgres`, `mem0`. */
  provider_type: z.string({ error: required('a string') }).min(1, { error: 'expected a provider type' }),
  /** Where the backend lives (a URL, or a `${ENV_VAR}` reference to one). */
  connection_string: z.string({ error: required('a string') }).min(1, { error: 'expected a connection string' }),
  /** Lower is preferred by the priority strategy. Default 100. */
  priority: nonNegativeInteger().default(100),
  /** Whether the provider is active (serves traffic). Default true. */
  enabled: z.boolean({ error: required('true or false') }).default(true),
  /** Seconds between active health probes. Default 30. */
  health_check_interval: positiveInteger().default(30),
  /** Per-call timeout in milliseconds. Default 5000. */
  timeout: positiveInteger().default(5000),
  /**
   * Retries of this provider one request may make after a retryable failure (so at most 1 + this many
   * attempts on it per request). Other providers are tried first: a retry of the same provider comes only
   * once the rest of the order was tried, after a backoff, so a dead primary costs one attempt per request
   * whatever this says. Always within `routing.retry.max_attempts` and the global retry budget. 0: tried
   * once per request, never retried. Default 3 (SPEC-020).
   */
  retry_attempts: nonNegativeInteger().default(3),
  /**
   * A ceiling on the requests a second the gateway's router sends this provider (a token bucket: `rps`
   * tokens a second, holding `burst`), so a pool never pushes a shared backend past what it was given.
   * A provider at its ceiling is passed over like a busy host: the request goes to the next provider, and
   * nothing counts against this one's breaker or health. `burst` defaults to one second's worth
   * (`ceil(rps)`). Default (absent or `null`, which lets a PATCH remove it): no ceiling.
   */
  rate_limit: z
    .strictObject(
      {
        rps: z.number({ error: required('a positive number') }).positive({ error: 'expected a positive number' }),
        burst: positiveInteger().optional(),
      },
      { error: 'expected an object like {"rps": 50, "burst": 10}, or null' },
    )
    .nullable()
    .optional(),
  /** Share of requests under the `round_robin` strategy, relative to the other providers' (3 and 1: three requests in four). Default 1. */
  weight: positiveInteger().default(1),
  /** Default `api_key`. */
  security_level: z.enum(securityLevels, { error: `expected one of ${securityLevels.join(', ')}` }).default('api_key'),
  /** Package name of a third-party plugin that provides `provider_type`. */
  module: z.string({ error: 'expected a package name' }).min(1, { error: 'expected a package name' }).optional(),
  /** The provider's own settings, validated by its plugin's `settingsSchema`. */
  settings: z.record(z.string(), z.unknown(), { error: 'expected an object' }).optional(),
});

/** A provider entry as written in a config file (defaults optional). */
export type ProviderConfigInput = z.input<typeof providerConfigSchema>;

/** A provider entry after validation, defaults filled in. */
export type ProviderConfig = z.output<typeof providerConfigSchema>;
