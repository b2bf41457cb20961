import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Context } from 'hono';
import { dashboardStyles } from './dashboard-styles.js';

const require = createRequire(import.meta.url);

/** A static file of the dashboard: its body, type and a strong ETag. */
interface Asset {
  readonly body: string;
  readonly type: string;
  readonly etag: string;
}

/** The files under `/dashboard/assets/`, by name. */
export const dashboardAssetNames = ['htmx.min.js', 'sse.min.js', 'dashboard.css'] as const;
export type DashboardAssetName = (typeof dashboardAssetNames)[number];

// htmx and its SSE extension come from their npm packages (pinned in package.json), read once per
// process: no CDN, so the dashboard works offline.
const sources: Record<DashboardAssetName, () => Omit<Asset, 'etag'>> = {
  'htmx.min.js': () => ({ body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'), type: 'text/javascript; charset=utf-8' }),
  'sse.min.js': () => ({ body: readFileSync(require.resolve('htmx-ext-sse/dist/sse.min.js'), 'utf8'), type: 'text/javascript; charset=utf-8' }),
  'dashboard.css': () => ({ body: dashboardStyles, type: 'text/css; charset=utf-8' }),
};
const cache = new Map<DashboardAssetName, Asset>();

/** Answers one asset, or 304 when the browser's copy is current. */
export function serveDashboardAsset(c: Context, name: DashboardAssetName): Response {
  let asset = cache.get(name);
  if (!asset) {
    const source = sources[name]();
    asset = { ...source, etag: `"${hash(source.body)}"` };
    cache.set(name, asset);
  }
  const headers = { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
  return c.body(asset.body, 200, headers);
}

/** FNV-1a, enough to tell two versions of one file apart. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) value = Math.imul(value ^ text.charCodeAt(index), 0x01000193);
  return (value >>> 0).toString(16);
}
