import { OpenAPIHono } from '@hono/zod-openapi';
import { ProviderTimeoutError, ProviderUnavailableError } from '@memgate/core';
import { classifyProviderFailure, configProblemsOf, redactSecretsInText, type ProviderRegistry } from '@memgate/registry';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';
import {
  activateProviderRoute,
  configureProviderRoute,
  deactivateProviderRoute,
  deleteProviderRoute,
  getProviderRoute,
  listProvidersRoute,
  registerProviderRoute,
} from './providers.routes.js';
import { toProviderView } from './providers.schemas.js';
import { managementHook } from './management-hook.js';

/**
 * The management API of the provider registry: register, list, get, configure, activate,
 * deactivate, delete (`/providers…`), each in the OpenAPI document. Transitions the registry
 * refuses answer 404/409 through the app's `onError`; an invalid body answers 400 with every
 * problem by path (including what the management rules refuse: `module`, `${ENV}` names, egress);
 * a failed probe answers 422 with the class of the failure only (the provider's text is logged).
 *
 * @example
 * ```ts
 * app.route('/', createProvidersRouter(registry));
 * ```
 */
export function createProvidersRouter(registry: ProviderRegistry): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: managementHook });
  const view = (record: Parameters<typeof toProviderView>[0]) => toProviderView(record, registry.provider(record.name) !== undefined);
  const force = (c: Context) => c.req.query('force') === 'true';

  router.openapi(registerProviderRoute, async (c) => {
    try {
      // The raw body: the registry validates it again and fills defaults itself.
      return c.json(view(await registry.register(await c.req.json(), { force: force(c), source: 'api' })), 201);
    } catch (error) {
      return refusal(c, error) as never; // a declared 400 or 422, built outside the typed handler
    }
  });
  router.openapi(listProvidersRoute, async (c) => c.json({ providers: (await registry.list()).map(view) }, 200));
  router.openapi(getProviderRoute, async (c) => c.json(view(await registry.get(c.req.valid('param').name)), 200));
  router.openapi(configureProviderRoute, async (c) => {
    try {
      // The raw body, so that fields the caller left out keep their values instead of getting defaults.
      return c.json(view(await registry.configure(c.req.param('name')!, await c.req.json(), { force: force(c) })), 200);
    } catch (error) {
      return refusal(c, error) as never; // a declared 400 or 422, built outside the typed handler
    }
  });
  router.openapi(activateProviderRoute, async (c) => {
    try {
      return c.json(view(await registry.activate(c.req.param('name')!, { force: force(c) })), 200);
    } catch (error) {
      return refusal(c, error) as never; // a declared 400 or 422, built outside the typed handler
    }
  });
  router.openapi(deactivateProviderRoute, async (c) => c.json(view(await registry.deactivate(c.req.valid('param').name)), 200));
  router.openapi(deleteProviderRoute, async (c) => {
    const { name } = c.req.valid('param');
    await registry.delete(name);
    return c.json({ name, deleted: true as const }, 200);
  });
  return router;
}

/**
 * Answers the registry's refusals that need more than the app's `onError`: 400 with every problem
 * of an invalid entry, 422 when the probe failed. Anything else is rethrown to `onError` (404, 409, …).
 */
function refusal(c: Context<AppEnv>, error: unknown): Response {
  const problems = configProblemsOf(error);
  if (problems) return c.json({ error: (error as Error).message, field: problems[0]?.path ?? null, problems }, 400);
  if (ProviderUnavailableError.isInstance(error) || ProviderTimeoutError.isInstance(error)) {
    // The client sees the class of the failure; the provider's own words (its body, addresses) go to the log.
    const cause = error.cause instanceof Error ? error.cause : error;
    c.var.logger?.warn({ providerId: error.providerId, requestId: c.var.requestId, reason: redactSecretsInText(cause.message) }, 'provider probe failed');
    return c.json({ error: `provider '${error.providerId ?? c.req.param('name') ?? 'unknown'}' failed its probe: ${classifyProviderFailure(cause)} (use force to register it anyway)` }, 422);
  }
  throw error;
}
