import type { Hook } from '@hono/zod-openapi';
import { problemsFromIssues } from '@memgate/registry';
import type { AppEnv } from '../app/app-env.js';

/**
 * The validation hook of the management API: an invalid request answers 400 with every problem by
 * path (an unknown field is named: `reason: unknown field`), the first one in `field`.
 */
export const managementHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (result.success) return;
  const problems = problemsFromIssues(result.error.issues);
  return c.json({ error: problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'), field: problems[0]?.path ?? null, problems }, 400);
};
