import type { Dispatcher } from 'undici';
import { z } from 'zod';

/**
 * Settings of a mem0 provider. Secrets may be `${ENV_VAR}` references, resolved at the first call.
 * Unknown fields are errors.
 */
export const mem0ProviderSettingsSchema = z
  .object({
    /** `platform`: mem0's hosted API (`Token` auth, `/v1`–`/v3` paths). `oss`: the self-hosted REST server (flat paths). */
    mode: z.enum(['platform', 'oss']),
    /** Base URL without a trailing slash. Default `https://api.mem0.ai` for the Platform; required for OSS. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Platform: sent as `Authorization: Token <key>` (default `${MEM0_API_KEY}`). OSS: sent as `X-API-Key`. */
    apiKey: z.string().min(1).optional(),
    /** OSS only: sent as `Authorization: Bearer <token>` instead of an API key. */
    bearerToken: z.string().min(1).optional(),
    /** Instance name (default `mem0`). */
    name: z.string().min(1).optional(),
    /** Upper bound of each provider operation, polling included, in ms (default 10 000). The caller's deadline wins when sooner. */
    timeoutMs: z.number().int().positive().max(600_000).optional(),
    /** Wait between polls of a PENDING event, in ms (default 250). */
    pollIntervalMs: z.number().int().positive().max(60_000).optional(),
    /** Largest response body accepted, in bytes (default 5 MiB); a larger one is an error. */
    maxResponseBytes: z.number().int().positive().optional(),
    /** Most memories a listing may scan before it is refused (default 10 000). */
    maxScan: z.number().int().positive().max(100_000).optional(),
    /** An undici dispatcher to use instead of the provider's own keep-alive pool; the provider never closes it. */
    dispatcher: z.custom<Dispatcher>((value) => value !== null && typeof value === 'object' && typeof (value as Dispatcher).dispatch === 'function', 'must be an undici Dispatcher').optional(),
  })
  .strict()
  .superRefine((settings, context) => {
    if (settings.mode === 'oss' && settings.baseUrl === undefined) context.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is required in oss mode' });
    if (settings.mode === 'platform' && settings.bearerToken !== undefined) context.addIssue({ code: 'custom', path: ['bearerToken'], message: 'is for oss mode; the Platform takes apiKey' });
    if (settings.apiKey !== undefined && settings.bearerToken !== undefined) context.addIssue({ code: 'custom', path: ['bearerToken'], message: 'give apiKey or bearerToken, not both' });
  });

/** Settings of {@link createMem0MemoryProvider}. */
export type Mem0ProviderSettings = z.input<typeof mem0ProviderSettingsSchema>;

/** The Platform's default base URL. */
export const mem0PlatformUrl = 'https://api.mem0.ai';
