import type { RedisCommandClient } from './redis-rate-limit-store.js';

/**
 * Says why a Redis server may break a {@link createRedisRateLimitStore}'s promise that a bucket that
 * is gone was full: with a `maxmemory` and an evicting `maxmemory-policy`, the server may drop a
 * half-empty bucket under memory pressure, and the client would find it full again. Resolves with the
 * problem in words, or `undefined` when the policy is `noeviction` or there is no `maxmemory`. A
 * server that refuses `CONFIG GET` (managed services often do) answers `undefined` too: the check is
 * advice, and the operator's to make there.
 */
export async function redisEvictionPolicyProblem(client: RedisCommandClient): Promise<string | undefined> {
  let reply: unknown;
  try {
    reply = await client.call('CONFIG', 'GET', 'maxmemory*');
  } catch {
    return undefined;
  }
  const pairs = Array.isArray(reply) ? (reply as unknown[]).map(String) : [];
  const settings = new Map<string, string>();
  for (let index = 0; index + 1 < pairs.length; index += 2) settings.set(pairs[index]!, pairs[index + 1]!);
  const maxmemory = Number(settings.get('maxmemory') ?? '0');
  const policy = settings.get('maxmemory-policy');
  if (maxmemory === 0 || policy === undefined || policy === 'noeviction') return undefined;
  return `maxmemory is ${maxmemory} bytes with maxmemory-policy ${policy}: under memory pressure Redis may evict a rate-limit bucket that is not full, and it would come back full; use maxmemory-policy noeviction (or a Redis of its own without maxmemory)`;
}
