import type { FailoverPoolOptions } from '@memgate/failover';
import type { HealthMonitor } from '@memgate/health';

/**
 * The pool's backlog-bound callbacks as `replication-backlog` alerts of the monitor, so a provider that
 * needs a full resync reaches the same listeners, logs and signed webhooks as every other alert.
 */
export function backlogAlerts(health: HealthMonitor, limitEntries: number): Pick<FailoverPoolOptions, 'onResyncNeeded' | 'onResyncCleared'> {
  return {
    onResyncNeeded: (member, backlog) =>
      health.reportCondition(member, {
        rule: 'replication-backlog',
        active: true,
        severity: 'page',
        summary: `${member} is past the replication backlog bound (${backlog.entries} entries, ${backlog.bytes} bytes undelivered): writes get 503 until it catches up; run \`memgate resync ${member}\``,
        value: backlog.entries,
        threshold: limitEntries,
      }),
    onResyncCleared: (member) =>
      health.reportCondition(member, { rule: 'replication-backlog', active: false, severity: 'page', summary: `${member} is back under the replication backlog bound`, value: 0, threshold: limitEntries }),
  };
}
