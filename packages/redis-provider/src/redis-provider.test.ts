import { isProviderPlugin, ValidationError } from '@memgate/core';
import { memoryProviderTestSuite } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import { createRedisMemoryProvider } from './redis-provider.js';
import { redisProviderPlugin } from './redis-provider-plugin.js';

// The conformance suite comes first: the provider is done when it passes (STYLE.md rule 9).
// The factory must return a fresh instance; the suite uses random ids and scopes and closes each one.
memoryProviderTestSuite(it, () => createRedisMemoryProvider({ name: 'redis-test' }));

describe('redis provider plugin', () => {
  it('is a provider plugin of type redis that creates named v1 providers', async () => {
    expect(isProviderPlugin(redisProviderPlugin)).toBe(true);
    const provider = redisProviderPlugin.create(redisProviderPlugin.settingsSchema.parse({}), { name: 'mine' });
    expect({ type: provider.type, name: provider.name, version: provider.specificationVersion }).toEqual({ type: 'redis', name: 'mine', version: 'v1' });
    await provider.close();
  });

  it('discovers a provider from REDIS_URL without echoing its value', () => {
    expect(redisProviderPlugin.discover?.({})).toEqual([]);
    const [found] = redisProviderPlugin.discover?.({ REDIS_URL: 'scheme://user:secret@host' }) ?? [];
    expect(found?.settings).toEqual({ connectionString: '${REDIS_URL}' });
    expect(JSON.stringify(found)).not.toContain('secret');
  });

  it('rejects an unknown setting with a ValidationError naming it', () => {
    let caught: unknown;
    try {
      createRedisMemoryProvider({ colour: 'red' } as never);
    } catch (error) {
      caught = error;
    }
    expect(ValidationError.isInstance(caught)).toBe(true);
    expect((caught as ValidationError).message).toContain('colour');
  });
});
