import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../app/app-env.js';
import type { pingRoute } from './ping.routes.js';

/**
 * Answers as mem0's ping does. `user_email` is not empty because mem0ai 2.x pings before every
 * call while it has no user id, and 3.x sends it as `Mem0-User-ID`.
 */
export const ping: RouteHandler<typeof pingRoute, AppEnv> = (c) =>
  c.json({ status: 'ok' as const, org_id: 'memgate', project_id: 'default', user_email: `${c.var.principal?.id ?? 'anonymous'}@memgate.local` }, 200);
