import type { Permission } from './permissions.js';

/** A named set of permissions. */
export interface Role {
  /** Lowercase name, e.g. `operator`. */
  readonly name: string;
  /** What the role grants; `*` for everything. */
  readonly permissions: readonly (Permission | '*')[];
  /** One line for humans. */
  readonly description?: string;
}

/**
 * The roles every deployment has. Least privilege by default: only `admin` has everything, and
 * only `admin` and `key-manager` can mint keys (which could otherwise escalate themselves).
 */
export const builtInRoles: readonly Role[] = [
  { name: 'admin', permissions: ['*'], description: 'Everything, including keys and the audit log.' },
  {
    name: 'operator',
    permissions: ['provider:configure', 'provider:activate', 'provider:view_metrics', 'memory:read'],
    description: 'Runs providers day to day: configure, (de)activate, read metrics.',
  },
  { name: 'provider-admin', permissions: ['provider:admin'], description: 'Every provider:* permission.' },
  { name: 'key-manager', permissions: ['provider:manage_keys'], description: 'Creates, rotates and revokes API keys.' },
  { name: 'reader', permissions: ['memory:read'], description: 'Reads and searches memories.' },
  { name: 'writer', permissions: ['memory:read', 'memory:write'], description: 'Reads and writes memories, never deletes.' },
  { name: 'editor', permissions: ['memory:read', 'memory:write', 'memory:delete'], description: 'Full data-plane access.' },
  { name: 'auditor', permissions: ['audit:read', 'provider:view_metrics'], description: 'Reads the audit log and metrics.' },
];
