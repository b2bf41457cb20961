import type { HealthAlert } from './health-alert.js';
import { systemClock, type HealthClock } from './health-clock.js';
import { signWebhookPayload, webhookIdHeader, webhookSignatureHeader, webhookTimestampHeader } from './webhook-signature.js';

/** Where and how alerts are delivered over HTTP. */
export interface WebhookOptions {
  /** The receiver's URL (http or https). */
  readonly url: string;
  /** The HMAC-SHA256 key; share it with the receiver. */
  readonly secret: string;
  /** Deliveries per event before giving up. Default 5. */
  readonly maxAttempts?: number;
  /** First retry delay in milliseconds; doubles per attempt with full jitter, capped at 30 s. Default 500. */
  readonly backoffBaseMs?: number;
  /** Per-attempt timeout in milliseconds. Default 5000. */
  readonly timeoutMs?: number;
  /** Replaces the global fetch (Node's undici), e.g. to route through a proxy dispatcher. */
  readonly fetch?: typeof fetch;
  readonly clock?: HealthClock;
  /** Told of an event that could not be delivered after every attempt. */
  readonly onDeliveryFailure?: (alert: HealthAlert, error: unknown) => void;
}

/** Delivers alert events to one webhook. */
export interface WebhookNotifier {
  /** Queues an event for delivery; an event already delivered or in flight is ignored (deduplicated). */
  notify(alert: HealthAlert): void;
  /** Resolves when every queued delivery has finished (delivered or given up). */
  idle(): Promise<void>;
  /** Stops retrying; pending retries are dropped. */
  close(): void;
}

const dedupeCapacity = 1000;

/** Creates a {@link WebhookNotifier}. Retries network errors, 408, 429 and 5xx; other statuses are final. */
export function createWebhookNotifier(options: WebhookOptions): WebhookNotifier {
  const { url, secret, maxAttempts = 5, backoffBaseMs = 500, timeoutMs = 5000, clock = systemClock } = options;
  const fetchFunction = options.fetch ?? fetch;
  const seen = new Set<string>();
  const pending = new Set<Promise<void>>();
  // Sleeping retries, so close() can wake them (they then see `closed` and stop).
  const sleepers = new Map<unknown, () => void>();
  let closed = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const handle = clock.setTimeout(() => {
        sleepers.delete(handle);
        resolve();
      }, ms);
      sleepers.set(handle, resolve);
    });

  async function deliver(alert: HealthAlert, deliveryId: string): Promise<void> {
    const body = JSON.stringify(alert);
    let lastError: unknown;
    for (let attempt = 0; attempt < maxAttempts && !closed; attempt += 1) {
      if (attempt > 0) await sleep(Math.random() * Math.min(30_000, backoffBaseMs * 2 ** (attempt - 1)));
      if (closed) return;
      const timestamp = Math.floor(clock.now() / 1000);
      try {
        const response = await fetchFunction(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [webhookTimestampHeader]: String(timestamp), [webhookSignatureHeader]: signWebhookPayload(secret, timestamp, body), [webhookIdHeader]: deliveryId },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastError = new Error(`webhook answered HTTP ${response.status}`);
        if (!(response.status === 408 || response.status === 429 || response.status >= 500)) break;
      } catch (error) {
        lastError = error;
      }
    }
    if (!closed) options.onDeliveryFailure?.(alert, lastError);
  }

  return {
    notify(alert) {
      const deliveryId = `${alert.id}:${alert.state}`;
      if (closed || seen.has(deliveryId)) return;
      seen.add(deliveryId);
      if (seen.size > dedupeCapacity) seen.delete(seen.values().next().value as string);
      const delivery = deliver(alert, deliveryId).finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close() {
      closed = true;
      for (const [handle, wake] of sleepers) {
        clock.clearTimeout(handle);
        wake();
      }
      sleepers.clear();
    },
  };
}
