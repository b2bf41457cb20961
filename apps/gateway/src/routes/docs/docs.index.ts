import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import type { AppEnv } from '../../app/app-env.js';

const require = createRequire(import.meta.url);

/** Where the docs page loads Scalar from: the gateway itself, not a CDN. */
export const scalarBundlePath = '/docs/assets/standalone.js';

/**
 * `GET /docs`: the Scalar API reference over `/openapi.json`, working offline. Scalar's standalone
 * bundle comes from the `@scalar/api-reference` package (1.46.4, the last that supports Node 20) and
 * is served at {@link scalarBundlePath}; its web fonts and its AI agent (which call Scalar's servers)
 * are turned off, so the page asks nothing of any other host.
 */
export function createDocsRouter(): Hono<AppEnv> {
  const router = new Hono<AppEnv>({ strict: false });
  let bundle: string | undefined;
  router.get(scalarBundlePath, (c) => {
    bundle ??= readFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'), 'utf8');
    return c.body(bundle, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' });
  });
  // `agent` is newer than the configuration type of @scalar/hono-api-reference 0.9.47; the page passes it through.
  const configuration = { url: '/openapi.json', pageTitle: 'memgate API', cdn: scalarBundlePath, withDefaultFonts: false, agent: { disabled: true } };
  router.get('/docs', Scalar(configuration as Parameters<typeof Scalar>[0]));
  return router;
}
