import { createRouter } from '../../app/create-router.js';
import { addV1, addV3 } from './memories-add.handlers.js';
import { addV1Route, addV3Route } from './memories-add.routes.js';

/** mem0's add routes. */
export const memoriesAddRouter = createRouter().openapi(addV3Route, addV3).openapi(addV1Route, addV1);
