import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { refuseWhileDraining } from './refuse-while-draining.js';

describe('refuseWhileDraining', () => {
  it('passes requests through until the drain begins, then answers every one 503 draining with Retry-After and Connection: close', async () => {
    let draining = false;
    let refused = 0;
    const app = new Hono();
    app.use('*', refuseWhileDraining({ isDraining: () => draining, onRefused: () => (refused += 1) }));
    app.get('*', (c) => c.json({ status: 'ready' }));
    expect((await app.request('/readyz')).status).toBe(200);

    draining = true;
    const answer = await app.request('/readyz');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('connection')).toBe('close');
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await answer.json()).toEqual({ error: 'memgate is shutting down; send the request to another instance', reason: 'draining' });
    expect(refused).toBe(1);
  });
});
