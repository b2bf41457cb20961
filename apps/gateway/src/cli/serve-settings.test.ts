import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveServeSettings } from './serve-settings.js';

const cwd = (): string => mkdtempSync(join(tmpdir(), 'memgate-settings-'));

describe('resolveServeSettings', () => {
  it('defaults to 127.0.0.1:8080 with a PGlite store under .memgate in the cwd', async () => {
    const directory = cwd();
    const settings = await resolveServeSettings([], {}, directory);
    expect(settings).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: join(directory, '.memgate'), memoryUrl: `pglite://${join(directory, '.memgate', 'memories')}`, maxBodyBytes: 1048576, configFile: undefined });
  });

  it('lets flags win over env, and env over the config file, whose registry sections it leaves alone', async () => {
    const directory = cwd();
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ port: 7000, host: '0.0.0.0', maxBodyBytes: 2048, providers: [{ name: 'pg', type: 'postgres' }] }));
    const settings = await resolveServeSettings(['--port', '9000', '--config', 'memgate.json'], { MEMGATE_HOST: '::1', MEMGATE_PORT: '8500' }, directory);
    expect(settings).toMatchObject({ port: 9000, host: '::1', maxBodyBytes: 2048, configFile: join(directory, 'memgate.json') });
  });

  it('keeps trends and decisions 7 days unless the config file says otherwise, and names a bad retention', async () => {
    const directory = cwd();
    expect(await resolveServeSettings([], {}, directory)).toMatchObject({ trendRetentionMs: 7 * 86_400_000, decisionRetentionMs: 7 * 86_400_000 });
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ trendRetentionDays: 30, decisionRetentionDays: 2 }));
    expect(await resolveServeSettings(['--config', 'memgate.json'], {}, directory)).toMatchObject({ trendRetentionMs: 30 * 86_400_000, decisionRetentionMs: 2 * 86_400_000 });
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ trendRetentionDays: 0 }));
    await expect(resolveServeSettings(['--config', 'memgate.json'], {}, directory)).rejects.toThrow(/trendRetentionDays/);
  });

  it('names a config file value of the wrong type', async () => {
    const directory = cwd();
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ port: 'eighty' }));
    await expect(resolveServeSettings([], { MEMGATE_CONFIG: 'memgate.json' }, directory)).rejects.toThrow(/port/);
  });

  it('drains for 10 s and sheds past 200 ms of event-loop delay by default; env wins over the config file', async () => {
    const directory = cwd();
    expect(await resolveServeSettings([], {}, directory)).toMatchObject({ shutdownTimeoutMs: 10_000, shedEventLoopDelayMs: 1000 });
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ shutdownTimeoutMs: 25_000, shedEventLoopDelayMs: 500 }));
    expect(await resolveServeSettings(['--config', 'memgate.json'], {}, directory)).toMatchObject({ shutdownTimeoutMs: 25_000, shedEventLoopDelayMs: 500 });
    expect(await resolveServeSettings(['--config', 'memgate.json'], { MEMGATE_SHUTDOWN_TIMEOUT_MS: '3000', MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' }, directory)).toMatchObject({ shutdownTimeoutMs: 3000, shedEventLoopDelayMs: 0 });
  });

  it('names a shutdown timeout or shedding threshold that is not a whole number of milliseconds in range', async () => {
    const directory = cwd();
    await expect(resolveServeSettings([], { MEMGATE_SHUTDOWN_TIMEOUT_MS: 'ten seconds' }, directory)).rejects.toThrow('invalid environment variable MEMGATE_SHUTDOWN_TIMEOUT_MS: must be a number of milliseconds');
    await expect(resolveServeSettings([], { MEMGATE_SHUTDOWN_TIMEOUT_MS: '0' }, directory)).rejects.toThrow('invalid environment variable MEMGATE_SHUTDOWN_TIMEOUT_MS: must be at least 1 (milliseconds)');
    await expect(resolveServeSettings([], { MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '-5' }, directory)).rejects.toThrow('invalid environment variable MEMGATE_SHED_EVENT_LOOP_DELAY_MS: must be at least 0 (milliseconds)');
    await expect(resolveServeSettings([], { MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '1.5' }, directory)).rejects.toThrow('invalid environment variable MEMGATE_SHED_EVENT_LOOP_DELAY_MS: must be a whole number of milliseconds');
    writeFileSync(join(directory, 'memgate.json'), JSON.stringify({ shutdownTimeoutMs: -1 }));
    await expect(resolveServeSettings(['--config', 'memgate.json'], {}, directory)).rejects.toThrow(/shutdownTimeoutMs/);
  });
});
