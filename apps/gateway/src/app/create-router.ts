import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '@memgate/core';
import type { AppEnv } from './app-env.js';
import { describeFirstIssue } from './describe-first-issue.js';

/**
 * A router for one resource folder. Requests that fail their zod schema become a
 * `ValidationError` naming the bad field (the app's `onError` turns it into a 400).
 * `strict: false` makes `/v1/ping` and `/v1/ping/` the same route, as mem0 clients send the slash.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (result.success) return;
      const described = describeFirstIssue(result.error);
      const field = described.field || (result.target === 'json' ? 'body' : result.target);
      throw new ValidationError({ field, message: `${field}: ${described.message}`, cause: result.error });
    },
  });
}
