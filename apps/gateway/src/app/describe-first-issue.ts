import { formatIssuePath } from '@memgate/core';
import type { z } from 'zod';

/**
 * The JSON path and message of a zod error's first issue. For a union (e.g. `messages` as a string
 * or an array of messages) it descends into the branch that got furthest, so the caller hears
 * `messages[0].content: expected string` rather than `messages: Invalid input`.
 */
export function describeFirstIssue(error: z.ZodError): { field: string; message: string } {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let prefix: PropertyKey[] = [];
  while (issue?.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.filter((branch) => branch.length > 0);
    const deepest = branches.sort((a, b) => b[0]!.path.length - a[0]!.path.length)[0];
    if (!deepest) break;
    prefix = [...prefix, ...issue.path];
    issue = deepest[0];
  }
  return { field: formatIssuePath([...prefix, ...(issue?.path ?? [])]), message: issue?.message ?? 'is invalid' };
}
