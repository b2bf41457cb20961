import { createRouter } from '../../app/create-router.js';
import { healthz, readyz } from './health.handlers.js';
import { healthzRoute, readyzRoute } from './health.routes.js';

/** Liveness and readiness. */
export const healthRouter = createRouter().openapi(healthzRoute, healthz).openapi(readyzRoute, readyz);
