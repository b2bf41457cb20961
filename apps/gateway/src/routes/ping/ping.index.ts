import { createRouter } from '../../app/create-router.js';
import { ping } from './ping.handlers.js';
import { pingRoute } from './ping.routes.js';

/** The ping resource. */
export const pingRouter = createRouter().openapi(pingRoute, ping);
