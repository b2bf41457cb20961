import { createRoute, z } from '@hono/zod-openapi';
import { providerConfigSchema } from '@memgate/registry';
import { keyed } from '../mem0/mem0-schemas.js';
import { forceQuerySchema, managementErrors, nameParamsSchema, providerViewSchema } from './providers.schemas.js';

const ok = (schema: z.ZodType, description: string) => ({ 200: { description, content: { 'application/json': { schema } } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const tags = ['providers'];

/** The body of `PATCH /providers/{name}`: any entry field but `name` and `enabled`. */
export const providerPatchSchema = providerConfigSchema.omit({ name: true, enabled: true }).partial();

/** `POST /providers/register`. */
export const registerProviderRoute = createRoute({
  method: 'post',
  path: '/providers/register',
  tags,
  summary: 'Register a provider (probed first unless force)',
  security: keyed,
  request: { query: forceQuerySchema, body: body(providerConfigSchema) },
  responses: { 201: { description: 'The registered provider', content: { 'application/json': { schema: providerViewSchema } } }, ...managementErrors },
});

/** `GET /providers`. */
export const listProvidersRoute = createRoute({
  method: 'get',
  path: '/providers',
  tags,
  summary: 'List every provider with its state',
  security: keyed,
  responses: { ...ok(z.object({ providers: z.array(providerViewSchema) }), 'The providers, by name'), 401: managementErrors[401] },
});

/** `GET /providers/{name}`. */
export const getProviderRoute = createRoute({
  method: 'get',
  path: '/providers/{name}',
  tags,
  summary: 'One provider',
  security: keyed,
  request: { params: nameParamsSchema },
  responses: { ...ok(providerViewSchema, 'The provider'), 401: managementErrors[401], 404: managementErrors[404] },
});

/** `PATCH /providers/{name}`. */
export const configureProviderRoute = createRoute({
  method: 'patch',
  path: '/providers/{name}',
  tags,
  summary: 'Change a provider’s settings (an active one is re-opened and probed)',
  security: keyed,
  request: { params: nameParamsSchema, query: forceQuerySchema, body: body(providerPatchSchema) },
  responses: { ...ok(providerViewSchema, 'The provider after the change'), ...managementErrors },
});

/** `POST /providers/{name}/activate`. */
export const activateProviderRoute = createRoute({
  method: 'post',
  path: '/providers/{name}/activate',
  tags,
  summary: 'Activate an inactive provider (probed first unless force)',
  security: keyed,
  request: { params: nameParamsSchema, query: forceQuerySchema },
  responses: { ...ok(providerViewSchema, 'The active provider'), ...managementErrors },
});

/** `POST /providers/{name}/deactivate`. */
export const deactivateProviderRoute = createRoute({
  method: 'post',
  path: '/providers/{name}/deactivate',
  tags,
  summary: 'Deactivate an active provider (it stays registered)',
  security: keyed,
  request: { params: nameParamsSchema },
  responses: { ...ok(providerViewSchema, 'The inactive provider'), 401: managementErrors[401], 404: managementErrors[404], 409: managementErrors[409] },
});

/** `DELETE /providers/{name}`. */
export const deleteProviderRoute = createRoute({
  method: 'delete',
  path: '/providers/{name}',
  tags,
  summary: 'Delete an inactive provider with no undelivered writes',
  security: keyed,
  request: { params: nameParamsSchema },
  responses: { ...ok(z.object({ name: z.string(), deleted: z.literal(true) }), 'Deleted'), 401: managementErrors[401], 404: managementErrors[404], 409: managementErrors[409] },
});
