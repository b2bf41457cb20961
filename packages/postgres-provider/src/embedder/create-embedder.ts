import { AuthError, ProviderUnavailableError, RateLimitedError, ValidationError } from '@memgate/core';
import { request } from 'undici';
import { resolveEnvReferences } from '../connection/resolve-env-references.js';
import type { PostgresEmbedderSettings } from '../postgres-provider-settings.js';

/** Turns texts into vectors, one per text, in order. Rejects with core errors. */
export type Embedder = (texts: readonly string[], signal: AbortSignal) => Promise<number[][]>;

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: number }[];
}

/**
 * An embedder over any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM, TEI),
 * called through undici. The API key is read on first use. 429 becomes `RateLimitedError`
 * (with Retry-After), 401/403 `AuthError`, 400/413/422 `ValidationError`, 5xx, 408 and network
 * failures a retryable `ProviderUnavailableError`; a vector of the wrong length is a
 * non-retryable `ProviderUnavailableError` (a misconfigured model).
 */
export function createEmbedder(settings: PostgresEmbedderSettings, providerId: string): Embedder {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  return async (texts, signal) => {
    if (texts.length === 0) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (settings.apiKey) headers.authorization = `Bearer ${resolveEnvReferences(settings.apiKey, 'embedder.apiKey')}`;
    const body = { model: settings.model, input: texts, encoding_format: 'float', ...(settings.requestDimensions ? { dimensions: settings.dimensions } : {}) };
    let response;
    try {
      response = await request(settings.url, { method: 'POST', headers, body: JSON.stringify(body), signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    } catch (error) {
      throw new ProviderUnavailableError({ message: `embedder: ${(error as Error).message}`, cause: error, providerId, isRetryable: true });
    }
    const text = await response.body.text();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return parseVectors(text, texts.length, settings.dimensions, providerId);
    const message = `embedder answered ${status}: ${text.slice(0, 200)}`;
    if (status === 429) {
      const retryAfter = Number(response.headers['retry-after']);
      throw new RateLimitedError({ message, providerId, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined });
    }
    if (status === 401 || status === 403) throw new AuthError({ message, providerId });
    if (status === 400 || status === 413 || status === 422) throw new ValidationError({ field: 'memory', message, providerId });
    throw new ProviderUnavailableError({ message, providerId, isRetryable: status >= 500 || status === 408 });
  };
}

function parseVectors(text: string, count: number, dimensions: number, providerId: string): number[][] {
  const fail = (why: string): never => {
    throw new ProviderUnavailableError({ message: `embedder: ${why}`, providerId, isRetryable: false });
  };
  let parsed: EmbeddingsResponse;
  try {
    parsed = JSON.parse(text) as EmbeddingsResponse;
  } catch {
    return fail('the response is not JSON');
  }
  const data = Array.isArray(parsed.data) ? [...parsed.data] : fail('the response has no data array');
  if (data.length !== count) fail(`expected ${count} embeddings, got ${data.length}`);
  data.sort((left, right) => (left.index ?? 0) - (right.index ?? 0));
  return data.map(({ embedding }) => {
    if (!Array.isArray(embedding) || !embedding.every((item) => typeof item === 'number')) return fail('an embedding is not an array of numbers');
    if (embedding.length !== dimensions) fail(`an embedding has ${embedding.length} dimensions, expected ${dimensions}`);
    return embedding as number[];
  });
}
