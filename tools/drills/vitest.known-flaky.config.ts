import { defineProject } from 'vitest/config';
import { knownFlakyDrills } from './vitest.config.js';

// The drills `pnpm test` leaves out until their known defect is fixed (see vitest.config.ts).
export default defineProject({ test: { include: knownFlakyDrills, fileParallelism: false } });
