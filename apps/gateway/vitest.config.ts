import { defineProject } from 'vitest/config';

// Two files at a time on any machine: most of this suite waits on spawned gateways, sockets and
// PostgreSQL, so a second worker halves its wall time even on two cores (vitest's default there is one).
export default defineProject({ test: { include: ['src/**/*.test.ts'], maxWorkers: 2 } });
