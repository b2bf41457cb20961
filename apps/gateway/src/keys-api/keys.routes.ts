import { createRoute, z } from '@hono/zod-openapi';
import { keyed } from '../mem0/mem0-schemas.js';
import { managementErrors, nameParamsSchema } from '../providers-api/providers.schemas.js';
import { createdKeySchema, createKeyBodySchema, createProviderKeyBodySchema, keyIdParamsSchema, keyViewSchema, rotateKeyBodySchema } from './keys.schemas.js';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <Schema extends z.ZodType>(schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const optionalBody = <Schema extends z.ZodType>(schema: Schema) => ({ required: false, content: { 'application/json': { schema } } });
const tags = ['keys'];
const refusals = { 400: managementErrors[400], 401: managementErrors[401], 403: json(z.object({ detail: z.string() }), 'The key may not do this'), 404: managementErrors[404] };

/** `POST /keys`. */
export const createKeyRoute = createRoute({
  method: 'post',
  path: '/keys',
  tags,
  summary: 'Create an API key (shown once); no wider than the caller’s own permissions and scope',
  security: keyed,
  request: { body: body(createKeyBodySchema) },
  responses: { 201: json(createdKeySchema, 'The key and its record'), ...refusals },
});

/** `GET /keys`. */
export const listKeysRoute = createRoute({
  method: 'get',
  path: '/keys',
  tags,
  summary: 'Every key the caller could have granted, newest first (never the secrets)',
  security: keyed,
  responses: { 200: json(z.object({ keys: z.array(keyViewSchema) }), 'The keys'), 401: refusals[401], 403: refusals[403] },
});

/** `GET /keys/{key_id}`. */
export const getKeyRoute = createRoute({
  method: 'get',
  path: '/keys/{key_id}',
  tags,
  summary: 'One key’s record',
  security: keyed,
  request: { params: keyIdParamsSchema },
  responses: { 200: json(keyViewSchema, 'The key'), ...refusals },
});

/** `POST /keys/{key_id}/rotate`. */
export const rotateKeyRoute = createRoute({
  method: 'post',
  path: '/keys/{key_id}/rotate',
  tags,
  summary: 'Issue a replacement; the old key works for the grace period (default 24 h), then expires',
  security: keyed,
  request: { params: keyIdParamsSchema, body: optionalBody(rotateKeyBodySchema) },
  responses: { 201: json(createdKeySchema.extend({ previous: keyViewSchema }), 'The new key, and the old key’s record'), ...refusals, 409: managementErrors[409] },
});

/** `DELETE /keys/{key_id}`. */
export const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/keys/{key_id}',
  tags,
  summary: 'Revoke a key at once, on every replica',
  security: keyed,
  request: { params: keyIdParamsSchema },
  responses: { 200: json(keyViewSchema, 'The revoked key'), ...refusals },
});

/** `POST /providers/{name}/api-keys`. */
export const createProviderKeyRoute = createRoute({
  method: 'post',
  path: '/providers/{name}/api-keys',
  tags,
  summary: 'Create a key whose provider:* permissions apply to this provider only',
  security: keyed,
  request: { params: nameParamsSchema, body: body(createProviderKeyBodySchema) },
  responses: { 201: json(createdKeySchema, 'The key and its record'), ...refusals },
});

/** `GET /providers/{name}/api-keys`. */
export const listProviderKeysRoute = createRoute({
  method: 'get',
  path: '/providers/{name}/api-keys',
  tags,
  summary: 'The keys limited to this provider',
  security: keyed,
  request: { params: nameParamsSchema },
  responses: { 200: json(z.object({ keys: z.array(keyViewSchema) }), 'The keys'), ...refusals },
});

/** `DELETE /providers/{name}/api-keys/{key_id}`. */
export const revokeProviderKeyRoute = createRoute({
  method: 'delete',
  path: '/providers/{name}/api-keys/{key_id}',
  tags,
  summary: 'Revoke a key limited to this provider',
  security: keyed,
  request: { params: nameParamsSchema.extend(keyIdParamsSchema.shape) },
  responses: { 200: json(keyViewSchema, 'The revoked key'), ...refusals },
});
