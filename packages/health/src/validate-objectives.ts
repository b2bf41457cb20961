import { ValidationError } from '@memgate/core';
import type { ServiceLevelObjective } from './service-level-objective.js';
import { thresholdMetrics, type ThresholdRule } from './threshold-rule.js';

const builtInRules = new Set(['provider-down', 'health-score-low', 'config-fault', 'replication-backlog']);
const ruleName = /^[a-z0-9][a-z0-9_.-]*$/i;

/**
 * Checks the monitor's `objectives` and `thresholdRules`.
 * @throws ValidationError naming the field at fault (`objectives.pg[0].objective`, `thresholdRules[1].above`)
 */
export function validateObjectives(objectives: Readonly<Record<string, readonly ServiceLevelObjective[]>>, rules: readonly ThresholdRule[]): void {
  const fail = (field: string, message: string): never => {
    throw new ValidationError({ message: `${field}: ${message}`, field });
  };
  const positive = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;
  for (const [provider, list] of Object.entries(objectives)) {
    const names = new Set<string>();
    list.forEach((objective, index) => {
      const at = `objectives.${provider}[${index}]`;
      if (!ruleName.test(objective.name ?? '')) fail(`${at}.name`, 'expected letters, digits, ".", "_" or "-"');
      if (names.has(objective.name)) fail(`${at}.name`, `duplicate objective '${objective.name}'`);
      names.add(objective.name);
      if (objective.indicator !== 'availability' && objective.indicator !== 'latency') fail(`${at}.indicator`, 'expected availability or latency');
      if (!(typeof objective.objective === 'number' && objective.objective > 0 && objective.objective < 1)) fail(`${at}.objective`, 'expected a fraction between 0 and 1 (exclusive)');
      if (objective.indicator === 'latency' && !positive(objective.thresholdMs)) fail(`${at}.thresholdMs`, 'a latency objective needs a positive threshold in milliseconds');
      if (objective.minimumVolume !== undefined && !(Number.isInteger(objective.minimumVolume) && objective.minimumVolume >= 1)) fail(`${at}.minimumVolume`, 'expected a positive integer');
      const windowNames = new Set<string>();
      (objective.windows ?? []).forEach((window, windowIndex) => {
        const where = `${at}.windows[${windowIndex}]`;
        if (!ruleName.test(window.name ?? '')) fail(`${where}.name`, 'expected letters, digits, ".", "_" or "-"');
        if (windowNames.has(window.name)) fail(`${where}.name`, `duplicate window '${window.name}'`);
        windowNames.add(window.name);
        if (!positive(window.longWindowMs)) fail(`${where}.longWindowMs`, 'expected a positive number of milliseconds');
        if (!positive(window.shortWindowMs)) fail(`${where}.shortWindowMs`, 'expected a positive number of milliseconds');
        if (window.shortWindowMs > window.longWindowMs) fail(`${where}.shortWindowMs`, 'expected at most the long window');
        if (!positive(window.factor)) fail(`${where}.factor`, 'expected a positive burn-rate multiple');
      });
    });
  }
  const ruleNames = new Set<string>();
  rules.forEach((rule, index) => {
    const at = `thresholdRules[${index}]`;
    if (!ruleName.test(rule.name ?? '') || builtInRules.has(rule.name) || rule.name.startsWith('slo-')) fail(`${at}.name`, 'expected letters, digits, ".", "_" or "-", not a built-in rule name nor starting with slo-');
    if (ruleNames.has(rule.name)) fail(`${at}.name`, `duplicate rule '${rule.name}'`);
    ruleNames.add(rule.name);
    if (!thresholdMetrics.includes(rule.metric)) fail(`${at}.metric`, `expected one of ${thresholdMetrics.join(', ')}`);
    if ((rule.above === undefined) === (rule.below === undefined)) fail(`${at}.above`, 'expected exactly one of above and below');
    for (const field of ['above', 'below'] as const) if (rule[field] !== undefined && !Number.isFinite(rule[field])) fail(`${at}.${field}`, 'expected a number');
    if (rule.forMs !== undefined && !(Number.isFinite(rule.forMs) && rule.forMs >= 0)) fail(`${at}.forMs`, 'expected a non-negative number of milliseconds');
  });
}
