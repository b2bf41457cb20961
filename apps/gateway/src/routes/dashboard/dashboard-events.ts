import type { Disposable } from '@memgate/health';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../../app/app-env.js';

/** The live panels and how to render each for the current viewer. */
export type LivePanels = Record<'providers' | 'decisions' | 'alerts', () => Promise<string>>;

/** Options of {@link streamDashboardEvents}. */
export interface DashboardEventsOptions {
  readonly panels: LivePanels;
  /** Subscribes to "something changed now" (a breaker moved, an alert fired, an action was taken). */
  readonly onChange: (listener: () => void) => Disposable;
  /** How often the panels are re-rendered without a change (counters, countdowns), in ms. Default 1000. */
  readonly tickMs?: number;
  /** How long one stream stays open, in ms; the browser reconnects, and so its key is checked again. Default 5 minutes. */
  readonly lifetimeMs?: number;
}

/**
 * `GET /dashboard/events`: a server-sent event stream. Each event is named after a panel and carries
 * its HTML (htmx's SSE extension swaps it in); a panel is sent when its HTML changed, checked every
 * tick and at once on a change. `?max_seconds=N` (0 to 300) shortens the stream's life: 0 sends the
 * panels once and closes.
 */
export function streamDashboardEvents(c: Context<AppEnv>, { panels, onChange, tickMs = 1000, lifetimeMs = 300_000 }: DashboardEventsOptions): Response {
  const requested = Number(c.req.query('max_seconds'));
  const lifetime = Number.isFinite(requested) && c.req.query('max_seconds') !== undefined ? Math.min(Math.max(requested, 0), 300) * 1000 : lifetimeMs;
  return streamSSE(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => {
      closed = true;
      wake();
    });
    let wake = () => {};
    const subscription = onChange(() => wake());
    const sent = new Map<string, string>();
    const end = Date.now() + lifetime;
    try {
      await stream.writeSSE({ event: 'hello', data: '', retry: 2000 });
      for (;;) {
        for (const [event, render] of Object.entries(panels)) {
          const markup = await render();
          if (closed) return;
          if (sent.get(event) === markup) continue;
          sent.set(event, markup);
          await stream.writeSSE({ event, data: markup });
        }
        if (closed || Date.now() >= end) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(tickMs, Math.max(0, end - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      subscription.dispose();
    }
  });
}
