import type { RouteHandler } from '@hono/zod-openapi';
import { NotFoundError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import type { getEventRoute } from './events.routes.js';

/** `GET /v1/event/{event_id}/`: every event id memgate handed out, finished (memgate writes synchronously); only to the key that caused it. */
export const getEvent: RouteHandler<typeof getEventRoute, AppEnv> = async (c) => {
  const { event_id: id } = c.req.valid('param');
  const event = await c.var.events.get(id, c.var.principal?.id ?? 'anonymous');
  if (!event) throw new NotFoundError({ message: 'Event not found!' });
  return c.json(
    {
      id: event.id,
      event_type: event.type,
      status: event.status,
      payload: event.payload,
      metadata: {},
      results: event.results,
      created_at: event.startedAt,
      updated_at: event.completedAt,
      started_at: event.startedAt,
      completed_at: event.completedAt,
      latency: Date.parse(event.completedAt) - Date.parse(event.startedAt),
      graph_status: null,
      error: event.error ?? null,
    },
    200,
  );
};
