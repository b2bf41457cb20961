import { ProviderUnavailableError } from '@memgate/core';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Mem0HttpClient } from './mem0-http-client.js';
import { mem0EventSchema } from './mem0-schemas.js';

/**
 * Polls `GET /v1/event/{id}/` until mem0 says SUCCEEDED or FAILED, so a write is never reported done
 * before mem0 has done it (mem0ai/mem0#7201). Bounded by the call's signal (its deadline).
 * @returns the event's results
 * @throws ProviderUnavailableError (retryable) when the event FAILED, or when an add SUCCEEDED with no
 *   results (mem0 stored nothing)
 */
export async function pollMem0Event(
  client: Mem0HttpClient,
  eventId: string,
  options: { signal: AbortSignal; requestId?: string; pollIntervalMs: number; providerId: string; what: string; requireResults: boolean },
): Promise<unknown[]> {
  const path = `/v1/event/${encodeURIComponent(eventId)}/`;
  for (;;) {
    const event = await client.send({ method: 'GET', path, schema: mem0EventSchema, what: `${options.what} (event ${eventId})` }, options.signal, options.requestId);
    if (event.status === 'FAILED') {
      const reason = typeof event.error === 'string' ? `: ${event.error.slice(0, 200)}` : '';
      throw new ProviderUnavailableError({ message: `mem0's ${options.what} event ${eventId} FAILED${reason}`, providerId: options.providerId });
    }
    if (event.status === 'SUCCEEDED') {
      const results = event.results ?? [];
      if (options.requireResults && results.length === 0) {
        throw new ProviderUnavailableError({ message: `mem0's ${options.what} event ${eventId} SUCCEEDED but stored nothing`, providerId: options.providerId });
      }
      return results;
    }
    // The signal is the call's deadline: the sleep rejects when it fires and runWithinCall reports the timeout.
    await sleep(options.pollIntervalMs, undefined, { signal: options.signal });
  }
}
