import { createRouter } from '../../app/create-router.js';
import { listV1, listV2, listV3 } from './memories-list.handlers.js';
import { listV1Route, listV2Route, listV3Route } from './memories-list.routes.js';

/** mem0's listing routes. */
export const memoriesListRouter = createRouter().openapi(listV3Route, listV3).openapi(listV2Route, listV2).openapi(listV1Route, listV1);
