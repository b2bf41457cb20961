import { describe, expect, it } from 'vitest';
import { lintSource } from './lint-source.js';

const boundaryErrors = async (file: string, source: string): Promise<string[]> =>
  (await lintSource(file, source)).filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);

describe('module boundaries (ARCHITECTURE.md "Packages")', () => {
  it('a provider that imports the registry fails lint', async () => {
    const errors = await boundaryErrors('packages/mem0-provider/src/boundary-probe.ts', "import { validateConfig } from '@memgate/registry';\nexport const probe = validateConfig;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('type:provider');
  }, 60_000);

  it('a provider that imports another provider fails lint', async () => {
    const errors = await boundaryErrors('packages/postgres-provider/src/boundary-probe.ts', "import { createMem0MemoryProvider } from '@memgate/mem0';\nexport const probe = createMem0MemoryProvider;\n");
    expect(errors).toHaveLength(1);
  }, 60_000);

  it('health importing failover fails lint (health sits below failover)', async () => {
    const errors = await boundaryErrors('packages/health/src/boundary-probe.ts', "import { createFailoverPool } from '@memgate/failover';\nexport const probe = createFailoverPool;\n");
    expect(errors.length).toBeGreaterThan(0);
  }, 60_000);

  it('core importing anything of memgate fails lint', async () => {
    const errors = await boundaryErrors('packages/core/src/boundary-probe.ts', "import { createHealthMonitor } from '@memgate/health';\nexport const probe = createHealthMonitor;\n");
    expect(errors.length).toBeGreaterThan(0);
  }, 60_000);

  it('the allowed direction passes: a provider importing core, failover importing health, the app importing everything', async () => {
    expect(await boundaryErrors('packages/mem0-provider/src/boundary-probe.ts', "import { NotFoundError } from '@memgate/core';\nexport const probe = NotFoundError;\n")).toEqual([]);
    expect(await boundaryErrors('packages/failover/src/boundary-probe.ts', "import { createHealthMonitor } from '@memgate/health';\nexport const probe = createHealthMonitor;\n")).toEqual([]);
    expect(await boundaryErrors('apps/gateway/src/boundary-probe.ts', "import { createFailoverPool } from '@memgate/failover';\nimport { createMem0MemoryProvider } from '@memgate/mem0';\nexport const probe = [createFailoverPool, createMem0MemoryProvider];\n")).toEqual([]);
  }, 60_000);
});
