/**
 * @module authorize-route
 * Looks the request up in the route → permission table and lets it through only when the caller's
 * key holds what the row requires (a permission limited to one provider counts for routes on that
 * provider). A request that matches no row is answered 404: a route nobody listed is closed.
 * @example app.use('*', authorizeRoute(routePermissions))
 */
import { NotFoundError } from '@memgate/core';
import { ForbiddenError, hasPermissionFor } from '@memgate/security';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { compileRoutePermissions } from './match-route-permission.js';
import type { RoutePermission } from './route-permissions.js';

/** Builds the authorization middleware over a route table. */
export const authorizeRoute = (rows: readonly RoutePermission[]): MiddlewareHandler<AppEnv> => {
  const match = compileRoutePermissions(rows);
  return async function authorizeRoute(c, next) {
    const matched = match(c.req.method, c.req.path);
    if (matched) c.set('route', matched);
    if (!matched) throw new NotFoundError({ message: `Not found: ${c.req.method} ${c.req.path}` });
    const { row, params } = matched;
    if (row.requirement !== 'public' && row.requirement !== 'authenticated') {
      const provider = row.providerParam ? params[row.providerParam] : undefined;
      if (!hasPermissionFor(c.var.principal, row.requirement, provider)) {
        throw new ForbiddenError({ message: `This key lacks the ${row.requirement} permission${provider ? ` for provider '${provider}'` : ''}.` });
      }
    }
    await next();
  };
};
