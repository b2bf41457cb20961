/**
 * @module enforce-provider-levels
 * Applies each provider's `security_level` (public, api_key, rbac, mtls, hybrid) on top of the route
 * table: a management call on `/providers/{name}…` must satisfy that provider's level; a data-plane
 * call must satisfy the level of every active provider, since the pool may serve it from any member
 * and writes replicate to all. The refusal (401 a missing factor, 403 a missing permission or binding)
 * names the provider whose level was not met; the audit trail, placed before, records it. Levels only
 * add requirements: `public` relaxes no route of the table. Runs after `authorizeRoute`.
 * @example app.use('*', enforceProviderLevels({ registry }))
 */
import { evaluateSecurityLevel, isPermission, type SecurityPrincipal } from '@memgate/security';
import { respondToSecurityError } from '@memgate/security/hono';
import type { ProviderRegistry, SecurityLevel } from '@memgate/registry';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app/app-env.js';

/** Options of {@link enforceProviderLevels}. */
export interface EnforceProviderLevelsOptions {
  readonly registry: Pick<ProviderRegistry, 'list'>;
  /** How long the providers' levels are reused before the registry is read again, in ms. Default 1000. */
  readonly cacheMs?: number;
}

interface ProviderLevel {
  readonly name: string;
  readonly level: SecurityLevel;
  readonly active: boolean;
}

/** Builds the per-provider security level check. */
export const enforceProviderLevels = ({ registry, cacheMs = 1000 }: EnforceProviderLevelsOptions): MiddlewareHandler<AppEnv> => {
  let cached: { at: number; levels: Promise<ProviderLevel[]> } | undefined;
  const levels = (): Promise<ProviderLevel[]> => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const read = registry.list().then((records) => records.map((record) => ({ name: record.name, level: record.config.security_level, active: record.state === 'active' })));
      cached = { at: Date.now(), levels: read };
      read.catch(() => (cached = undefined));
    }
    return cached.levels;
  };
  return async function enforceProviderLevels(c, next) {
    const matched = c.var.route;
    const requirement = matched?.row.requirement;
    // Public and any-key routes (ping, health) reach no provider's data: the table alone decides them.
    if (!matched || requirement === undefined || !isPermission(requirement)) return next();
    const providerName = matched.row.providerParam ? matched.params[matched.row.providerParam] : undefined;
    const reached = (await levels()).filter((provider) => (providerName !== undefined ? provider.name === providerName : !matched.row.management && provider.active));
    const principal = c.var.principal as SecurityPrincipal | undefined;
    const denied = await respondToSecurityError(c, () => {
      for (const provider of reached) {
        try {
          evaluateSecurityLevel({ level: provider.level }, principal, requirement);
        } catch (error) {
          (error as Error).message = `Provider "${provider.name}" requires security level ${provider.level}: ${(error as Error).message}`;
          throw error;
        }
      }
    });
    if (denied) return denied;
    await next();
  };
};
