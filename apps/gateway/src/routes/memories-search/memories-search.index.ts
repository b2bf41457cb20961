import { createRouter } from '../../app/create-router.js';
import { searchV1, searchV2, searchV3 } from './memories-search.handlers.js';
import { searchV1Route, searchV2Route, searchV3Route } from './memories-search.routes.js';

/** mem0's search routes. */
export const memoriesSearchRouter = createRouter().openapi(searchV3Route, searchV3).openapi(searchV2Route, searchV2).openapi(searchV1Route, searchV1);
