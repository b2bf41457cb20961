import { z } from 'zod';

const positiveInteger = (message = 'expected a positive integer') => z.int({ error: message }).positive({ error: message });
const severities = ['page', 'ticket', 'critical', 'warning'] as const;
const severity = z.enum(severities, { error: `expected one of ${severities.join(', ')}` });
const alertName = z.string({ error: 'expected a name' }).regex(/^[a-z0-9][a-z0-9_.-]*$/i, { error: 'expected letters, digits, ".", "_" or "-", starting with a letter or digit' });
const builtInRules = ['provider-down', 'health-score-low', 'config-fault', 'replication-backlog'];

/** One alert webhook. `secret` may be a `${ENV_VAR}` reference (resolved at start). */
export const alertWebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  /** HMAC-SHA256 signing key shared with the receiver. */
  secret: z.string().min(1, 'expected a signing secret'),
  /** Deliveries per event before giving up. Default 5. */
  max_attempts: z.int().positive().optional(),
  /** Per-attempt timeout in milliseconds. Default 5000. */
  timeout_ms: z.int().positive().optional(),
});

/**
 * One window pair of a multi-window, multi-burn-rate SLO alert (Google SRE Workbook): it fires while the
 * error budget burns at least `burn_rate` times faster than sustainable over both windows.
 */
export const burnRateWindowConfigSchema = z
  .strictObject({
    /** Names the alert: `slo-<slo name>-<window name>`. */
    name: alertName,
    long_window_ms: positiveInteger(),
    short_window_ms: positiveInteger(),
    /** The burn-rate multiple that fires, e.g. 14.4. */
    burn_rate: z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' }),
    /** Default `page`. */
    severity: severity.default('page'),
  })
  .superRefine((window, context) => {
    if (window.short_window_ms > window.long_window_ms) context.addIssue({ code: 'custom', path: ['short_window_ms'], message: 'expected at most long_window_ms' });
  });

/** A service-level objective of one provider, or of every provider (`provider` absent or `*`). */
export const sloConfigSchema = z
  .strictObject({
    /** Names the SLO in alerts (`slo-<name>-<window>`) and metrics (`slo` label). */
    name: alertName,
    /** A provider's name, or `*` (default) for every provider. */
    provider: z.string().min(1, 'expected a provider name or *').default('*'),
    /** `availability`: failures are bad events. `latency`: successful requests slower than `threshold_ms` are. */
    sli: z.enum(['availability', 'latency'], { error: 'expected availability or latency' }),
    /** Target fraction of good events, e.g. 0.999; the error budget is 1 − objective. */
    objective: z.number({ error: 'expected a number between 0 and 1 (exclusive)' }).gt(0, { error: 'expected a number between 0 and 1 (exclusive)' }).lt(1, { error: 'expected a number between 0 and 1 (exclusive)' }),
    /** For `latency`: the slowest a good request may be, in milliseconds. */
    threshold_ms: positiveInteger().optional(),
    /** Events a ratio needs before it is trusted; below it the rest count as good. Default 20. */
    minimum_volume: positiveInteger().optional(),
    /** The burn-rate alerts. Default: the SRE Workbook's fast (14.4× over 1 h and 5 min, page), slow (6× over 6 h and 30 min, page) and ticket (1× over 3 d and 6 h). */
    windows: z.array(burnRateWindowConfigSchema, { error: 'expected an array of burn-rate windows' }).min(1, { error: 'expected at least one window' }).optional(),
  })
  .superRefine((slo, context) => {
    if (slo.sli === 'latency' && slo.threshold_ms === undefined) context.addIssue({ code: 'custom', path: ['threshold_ms'], message: 'a latency SLO needs threshold_ms' });
    if (slo.sli === 'availability' && slo.threshold_ms !== undefined) context.addIssue({ code: 'custom', path: ['threshold_ms'], message: 'only a latency SLO has a threshold_ms' });
    slo.windows?.forEach((window, index) => {
      if (slo.windows!.findIndex((other) => other.name === window.name) < index) context.addIssue({ code: 'custom', path: ['windows', index, 'name'], message: `duplicate window name '${window.name}'` });
    });
  });

/** What a threshold rule compares. */
export const alertRuleMetrics = ['health_score', 'error_rate', 'latency_p95_ms', 'latency_p99_ms', 'consecutive_failures', 'backlog_entries', 'backlog_bytes'] as const;

/** A threshold alert: fires while a provider's metric is above (or below) a value, for at least `for_ms`. */
export const alertRuleConfigSchema = z
  .strictObject({
    /** The alert's name (its `rule`); not a built-in rule's, not starting with `slo-`. */
    name: alertName.refine((name) => !builtInRules.includes(name) && !name.startsWith('slo-'), { error: `expected a name that is not a built-in rule (${builtInRules.join(', ')}) and does not start with slo-` }),
    /** A provider's name, or `*` (default) for every provider. */
    provider: z.string().min(1, 'expected a provider name or *').default('*'),
    metric: z.enum(alertRuleMetrics, { error: `expected one of ${alertRuleMetrics.join(', ')}` }),
    above: z.number({ error: 'expected a number' }).optional(),
    below: z.number({ error: 'expected a number' }).optional(),
    /** For `error_rate` and latencies: the rolling window. Default `5m`. */
    window: z.enum(['1m', '5m', '1h'], { error: 'expected 1m, 5m or 1h' }).optional(),
    /** `error_rate` counts once the window holds this many calls. Default 20. */
    minimum_volume: positiveInteger().optional(),
    /** How long the condition must hold before the alert fires (ms). Default 0. */
    for_ms: z.int({ error: 'expected a non-negative integer' }).nonnegative({ error: 'expected a non-negative integer' }).optional(),
    /** Default `warning`. */
    severity: severity.default('warning'),
  })
  .superRefine((rule, context) => {
    if ((rule.above === undefined) === (rule.below === undefined)) context.addIssue({ code: 'custom', path: ['above'], message: 'expected exactly one of above and below' });
  });

/** The `alerts` section of a config file: where alerts go (`webhooks`), the SLOs (`slos`) and threshold rules (`rules`) the gateway evaluates. */
export const alertsConfigSchema = z
  .strictObject({
    webhooks: z.array(alertWebhookConfigSchema, { error: 'expected an array of webhooks' }).default([]),
    slos: z.array(sloConfigSchema, { error: 'expected an array of SLOs' }).default([]),
    rules: z.array(alertRuleConfigSchema, { error: 'expected an array of alert rules' }).default([]),
    /** How often every provider's SLOs and rules are evaluated without traffic (ms). Default: a tenth of the shortest short window, within 100 ms and 15 s. */
    evaluation_interval_ms: positiveInteger().optional(),
  })
  .superRefine((alerts, context) => {
    alerts.slos.forEach((slo, index) => {
      if (alerts.slos.findIndex((other) => other.name === slo.name && other.provider === slo.provider) < index) context.addIssue({ code: 'custom', path: ['slos', index, 'name'], message: `duplicate SLO '${slo.name}' for provider '${slo.provider}'` });
    });
    alerts.rules.forEach((rule, index) => {
      if (alerts.rules.findIndex((other) => other.name === rule.name) < index) context.addIssue({ code: 'custom', path: ['rules', index, 'name'], message: `duplicate rule name '${rule.name}'` });
    });
  });

/** The validated `alerts` section. */
export type AlertsConfig = z.output<typeof alertsConfigSchema>;
