import { describe, expect, it } from 'vitest';
import type { SecurityPrincipal } from '../security-principal.js';
import { evaluateSecurityLevel, type SecurityPolicy } from './security-level.js';

const keyReader: SecurityPrincipal = { id: 'k', permissions: ['memory:read'], authMethods: ['api_key'] };
const certWriter: SecurityPrincipal = { id: 'c', permissions: ['memory:write'], authMethods: ['mtls'] };
const both: SecurityPrincipal = { id: 'kc', permissions: ['memory:write'], authMethods: ['api_key', 'mtls'] };

/** [policy, principal, permission] -> 'allow' | 401 | 403 */
const cases: [SecurityPolicy, SecurityPrincipal | undefined, 'memory:read' | 'memory:write', 'allow' | 401 | 403][] = [
  [{ level: 'public' }, undefined, 'memory:write', 'allow'],
  [{ level: 'api_key' }, undefined, 'memory:read', 401],
  [{ level: 'api_key' }, keyReader, 'memory:read', 'allow'],
  // A reader key does not pass api_key for a write: the key's permissions are checked too.
  [{ level: 'api_key' }, keyReader, 'memory:write', 403],
  [{ level: 'api_key' }, certWriter, 'memory:write', 401],
  [{ level: 'rbac' }, undefined, 'memory:read', 401],
  [{ level: 'rbac' }, keyReader, 'memory:read', 'allow'],
  [{ level: 'rbac' }, keyReader, 'memory:write', 403],
  [{ level: 'rbac' }, certWriter, 'memory:write', 'allow'],
  [{ level: 'mtls' }, keyReader, 'memory:read', 401],
  [{ level: 'mtls' }, certWriter, 'memory:write', 'allow'],
  [{ level: 'mtls' }, certWriter, 'memory:read', 403],
  [{ level: 'hybrid' }, keyReader, 'memory:read', 401],
  [{ level: 'hybrid' }, certWriter, 'memory:write', 401],
  [{ level: 'hybrid' }, both, 'memory:write', 'allow'],
  [{ level: 'hybrid' }, both, 'memory:read', 403],
  [{ level: 'hybrid', require: ['mtls'] }, certWriter, 'memory:write', 'allow'],
];

describe('evaluateSecurityLevel', () => {
  for (const [policy, principal, permission, expected] of cases) {
    it(`${policy.level}${policy.require ? `(${policy.require.join('+')})` : ''} with ${principal?.id ?? 'nobody'} for ${permission}: ${expected}`, () => {
      const run = () => evaluateSecurityLevel(policy, principal, permission);
      if (expected === 'allow') expect(run).not.toThrow();
      else if (expected === 401) expect(run).toThrow(expect.objectContaining({ name: 'Memory_AuthError' }));
      else expect(run).toThrow(expect.objectContaining({ name: 'Security_ForbiddenError' }));
    });
  }
});
