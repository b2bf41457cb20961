import { defineProject } from 'vitest/config';

// One drill at a time: each starts two PostgreSQL clusters and a gateway, and measures latency,
// which parallel files on a 2-core machine would blur.
export default defineProject({ test: { include: ['src/**/*.test.ts'], exclude: ['**/node_modules/**'], fileParallelism: false } });
