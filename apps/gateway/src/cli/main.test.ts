import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-command.js';
import { runCli } from './main.js';

function capture(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env, cwd: mkdtempSync(join(tmpdir(), 'memgate-cli-')) };
  return Object.assign(io, { stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) });
}

describe('the memgate CLI', () => {
  it('prints the commands for --help and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out).toContain('serve');
  });

  it('prints a command’s options for serve --help', async () => {
    const io = capture();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    expect(io.out).toContain('--data-dir');
    expect(io.out).toContain('MEMGATE_PORT');
  });

  it('exits 2 naming an unknown command', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err).toContain('unknown command "frobnicate"');
  });

  it.each([
    [{ MEMGATE_PORT: 'eighty' }, [], /MEMGATE_PORT/],
    [{ MEMGATE_PORT: '70000' }, [], /MEMGATE_PORT/],
    [{ MEMGATE_ADMIN_KEY: 'too-short' }, [], /MEMGATE_ADMIN_KEY: must be at least 32 characters/],
    [{ MEMGATE_MEMORY_URL: 'mysql://x' }, [], /MEMGATE_MEMORY_URL/],
    [{}, ['--port', 'x'], /--port/],
    [{}, ['--colour', 'red'], /Unknown option '--colour'/],
    [{}, ['--config', '/nonexistent/memgate.json'], /cannot read config file/],
  ])('exits 2 with a clear message for invalid settings (%o %o)', async (env, args, message) => {
    const io = capture(env);
    expect(await runCli(['serve', ...args], io)).toBe(2);
    expect(io.err).toMatch(message);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    // The state store on a fresh PostgreSQL database: it opens in milliseconds where PGlite takes seconds.
    const state = await createTestDatabase({ prefix: 'memgate_cli' });
    const io = capture({ MEMGATE_ADMIN_KEY: 'k'.repeat(40), MEMGATE_MEMORY_URL: 'pglite://memory', MEMGATE_STATE_URL: state.url });
    try {
      expect(await runCli(['serve', '--port', String(port), '--data-dir', join(io.cwd, 'data')], io)).toBe(1);
      expect(io.err).toContain(`127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
      await state.drop();
    }
  }, 30_000);

  it('exits 2 naming an unknown key in the config file', async () => {
    const io = capture();
    const config = join(io.cwd, 'memgate.json');
    writeFileSync(config, JSON.stringify({ port: 8081, colour: 'red' }));
    expect(await runCli(['serve', '--config', config], io)).toBe(2);
    expect(io.err).toMatch(/colour/);
  });
});
