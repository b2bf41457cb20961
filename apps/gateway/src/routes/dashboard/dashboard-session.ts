/**
 * @module dashboard-session
 * Lets a signed-in browser through the gateway's ordinary authentication: for a `/dashboard` request
 * without a key of its own, the session cookie is looked up and the session's key (kept on the server,
 * see `DashboardSessions`) is presented as `Authorization: Token`, so `authenticate`, the IP
 * allow-list, the failed-auth throttle, `authorizeRoute` and the audit trail treat a dashboard request
 * exactly like an API call with that key. `POST /dashboard/session` (the sign-in form) presents the key posted in its form
 * the same way. Mounted before `authenticate`. A browser opening `/dashboard` without a session is
 * sent to the sign-in page; an htmx request whose session ended is told to go there (`HX-Redirect`).
 * @example app.use('*', dashboardSession({ sessions }))
 */
import { readApiKey } from '@memgate/security/hono';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../../app/app-env.js';
import type { DashboardSession, DashboardSessions } from './dashboard-sessions.js';
import { renderLoginPage } from './login-page.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The dashboard session the request came with (cookie), if any. */
    dashboardSession?: DashboardSession;
    /** How a browser presented its key: a session cookie, or the sign-in form. Unset for a key in a header (no CSRF risk). */
    dashboardCredential?: 'cookie' | 'form';
  }
}

/** The session cookie's name. */
export const dashboardCookie = 'memgate_dashboard';

/** Whether a path belongs to the dashboard. */
export const isDashboardPath = (path: string): boolean => path === '/dashboard' || path.startsWith('/dashboard/');

const loginPath = '/dashboard/login';
/** Where the sign-in form posts: not the login page's path, which is public (no key checked) for every method. */
const signInPath = '/dashboard/session';

/** Options of {@link dashboardSession}. */
export interface DashboardSessionOptions {
  readonly sessions: DashboardSessions;
}

/** Builds the session middleware. */
export const dashboardSession = ({ sessions }: DashboardSessionOptions): MiddlewareHandler<AppEnv> =>
  async function dashboardSession(c, next) {
    if (!isDashboardPath(c.req.path)) return next();
    const path = c.req.path.replace(/\/+$/, '');
    const signingIn = path === signInPath && c.req.method === 'POST';
    let key: string | undefined;
    if (readApiKey(c.req.raw.headers) === undefined) {
      if (signingIn) {
        key = await postedKey(c);
        c.set('dashboardCredential', 'form');
      }
      else {
        const id = getCookie(c, dashboardCookie);
        const session = id ? sessions.get(id) : undefined;
        if (session) {
          c.set('dashboardSession', session);
          c.set('dashboardCredential', 'cookie');
        }
        key = session?.key;
        if (!session && path === '/dashboard' && c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')) return c.redirect(loginPath, 303);
      }
    }
    if (key !== undefined) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('authorization', `Token ${key}`);
      const original = c.req.raw;
      // The sign-in form's body is read already (parsed and cached by HonoRequest): the copy goes without it.
      c.req.raw = original.bodyUsed ? new Request(original.url, { method: original.method, headers, signal: original.signal }) : new Request(original, { headers });
    }
    await next();
    const status = c.res.status;
    if (signingIn && status >= 400) {
      // c.html answers a promise for an HtmlEscapedString.
      c.res = await c.html(renderLoginPage({ error: await signInError(c.res) }), status as 400, retryAfter(c.res));
    } else if (status === 401 && c.req.header('hx-request')) {
      c.res.headers.set('hx-redirect', loginPath);
    }
  };

/** The `key` field of a sign-in form, trimmed; `undefined` when empty or not a form. */
async function postedKey(c: Context<AppEnv>): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
  const form = await c.req.parseBody();
  const key = typeof form.key === 'string' ? form.key.trim() : '';
  // A key is printable ASCII without spaces; anything else is no key (authenticate answers 401).
  return /^[\x21-\x7e]+$/.test(key) ? key : undefined;
}

async function signInError(response: Response): Promise<string> {
  const body = (await response.clone().json().catch(() => undefined)) as { detail?: string; error?: string } | undefined;
  if (response.status === 401) return 'That key is not valid: unknown, revoked or expired.';
  if (response.status === 429) return 'Too many failed sign-ins from this address. Try again later.';
  return body?.detail ?? body?.error ?? `Sign-in refused (${response.status}).`;
}

function retryAfter(response: Response): Record<string, string> {
  const value = response.headers.get('retry-after');
  return value ? { 'retry-after': value } : {};
}
