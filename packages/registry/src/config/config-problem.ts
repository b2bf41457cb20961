import { formatIssuePath } from '@memgate/core';
import type { z } from 'zod';

/** One problem found in a config: where, by JSON path (`providers[1].timeout`), and why. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Turns zod issues into problems; an unknown key becomes one problem at the key's own path. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], root = ''): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatIssuePath([...issue.path, key], root), message: 'unknown field' });
      continue;
    }
    problems.push({ path: formatIssuePath(issue.path, root) || root || '(root)', message: issue.message });
  }
  return problems;
}

/** Renders problems one per line, `path: message`, as `memgate config validate` prints them. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}
