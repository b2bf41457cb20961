import { createRouter } from '../../app/create-router.js';
import { getEvent } from './events.handlers.js';
import { getEventRoute } from './events.routes.js';

/** Write events. */
export const eventsRouter = createRouter().openapi(getEventRoute, getEvent);
