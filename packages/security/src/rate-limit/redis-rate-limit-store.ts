import { createHash } from 'node:crypto';
import type { RateLimitStore } from './rate-limit-store.js';
import { takeTokens, type TokenBucketResult } from './token-bucket.js';

/**
 * The one command a {@link createRedisRateLimitStore} sends, in ioredis's spelling
 * (`redis.call('EVALSHA', sha, 1, key, ...)`): an ioredis `Redis` or `Cluster` fits as it is. Typed
 * structurally so that this package needs no Redis client of its own.
 */
export interface RedisCommandClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** The client. The store never connects or closes it: whoever made it does. */
  readonly client: RedisCommandClient;
  /** Put before every bucket key. Default `memgate:rate-limit:`. */
  readonly keyPrefix?: string;
  /**
   * After a failed command, takes fail at once for this long (ms) instead of waiting on a server that
   * just failed, so an outage costs one slow request a period rather than every request. Default 1,000.
   */
  readonly pauseAfterFailureMs?: number;
}

/**
 * One take, atomic in the server. KEYS[1] the bucket (a hash of `tokens` and `updated_at`, epoch ms);
 * ARGV capacity, refill per ms, now (the replica's clock, as the PostgreSQL store uses), cost. The
 * refill is computed from the stored state, never backwards in time; a refused take changes nothing.
 * A taken bucket expires when it would be full again (plus any lead of another replica's clock), so
 * an expired bucket is exactly a full one and nothing else is ever removed by the store. Returns
 * `{1|0, tokens, updated_at}` with numbers as strings (Redis truncates a Lua number to an integer).
 */
const takeScript = `
local capacity = tonumber(ARGV[1])
local refill_per_ms = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updated_at')
local tokens = capacity
local updated_at = now
if stored[1] and stored[2] then
  updated_at = tonumber(stored[2])
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - updated_at) * refill_per_ms)
end
if tokens < cost then
  return {0, string.format('%.17g', tokens), string.format('%.17g', now)}
end
local left = tokens - cost
local written_at = math.max(updated_at, now)
if refill_per_ms > 0 then
  local full_in = math.ceil((capacity - left) / refill_per_ms) + (written_at - now)
  if full_in <= 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', left), 'updated_at', string.format('%.17g', written_at))
    redis.call('PEXPIRE', KEYS[1], full_in)
  end
else
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', left), 'updated_at', string.format('%.17g', written_at))
  redis.call('PERSIST', KEYS[1])
end
return {1, string.format('%.17g', left), string.format('%.17g', now)}
`;

const takeScriptSha = createHash('sha1').update(takeScript).digest('hex');

/**
 * A shared {@link RateLimitStore} in Redis: one `EVALSHA` of a Lua token bucket per take (`EVAL` once
 * when the server does not know the script yet), so concurrent takes of every replica are serialised
 * by the server. Same semantics as the PostgreSQL store: a refused take changes nothing, and only a
 * full bucket ever disappears (its key expires when it has refilled), so a bucket that is gone comes
 * back exactly as it was: full. That holds as long as the server evicts nothing else: run it with
 * `maxmemory-policy noeviction` (or no `maxmemory`); {@link redisEvictionPolicyProblem} checks it.
 * A failed command rejects (put the store under `createLayeredRateLimitStore`, whose local copy then
 * answers), and so does every take for `pauseAfterFailureMs` after it.
 */
export function createRedisRateLimitStore({ client, keyPrefix = 'memgate:rate-limit:', pauseAfterFailureMs = 1_000 }: RedisRateLimitStoreOptions): RateLimitStore {
  let pausedUntil = 0;
  let pauseCause: unknown;
  const evaluate = async (key: string, args: (string | number)[]): Promise<unknown> => {
    try {
      return await client.call('EVALSHA', takeScriptSha, 1, key, ...args);
    } catch (error) {
      if (!/NOSCRIPT/.test(String((error as Error)?.message))) throw error;
      return client.call('EVAL', takeScript, 1, key, ...args);
    }
  };
  return {
    async consume(key, rule, now, cost): Promise<TokenBucketResult> {
      // Never allowed whatever the bucket holds; no need to ask the server.
      if (cost > rule.capacity) return takeTokens(rule, { tokens: rule.capacity, updatedAt: now }, now, cost);
      if (Date.now() < pausedUntil) throw new Error('Redis rate-limit store: paused after a failed command', { cause: pauseCause });
      let reply: unknown;
      try {
        reply = await evaluate(`${keyPrefix}${key}`, [rule.capacity, rule.refillPerSecond / 1000, now, cost]);
      } catch (error) {
        pausedUntil = Date.now() + pauseAfterFailureMs;
        pauseCause = error;
        throw error;
      }
      const [allowed, tokensText] = reply as [number, string, string];
      const tokens = Number(tokensText);
      if (allowed === 1) return { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0, state: { tokens, updatedAt: now } };
      // Refused: the script answered the level refilled up to `now`; the local step says how long until `cost`.
      return takeTokens(rule, { tokens, updatedAt: now }, now, cost);
    },
  };
}
