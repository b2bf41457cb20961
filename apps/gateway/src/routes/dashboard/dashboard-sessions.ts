import { randomBytes } from 'node:crypto';

/** One signed-in browser: the key it signed in with stays on the server, the cookie holds only `id`. */
export interface DashboardSession {
  /** 256 random bits, base64url: the cookie's value. */
  readonly id: string;
  /** The memgate key the session signed in with. Never sent back to the browser. */
  readonly key: string;
  /** Sent by the page in `x-csrf-token` on every unsafe request; 256 random bits. */
  readonly csrfToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Options of {@link createDashboardSessions}. */
export interface DashboardSessionsOptions {
  /** How long a session lasts from sign-in, in milliseconds. Default 8 hours. */
  readonly ttlMs?: number;
  /** Sessions kept at most; signing in past it ends the oldest. Default 10,000. */
  readonly maxSessions?: number;
  readonly now?: () => number;
}

/**
 * The dashboard's sessions, in this process's memory. Why server-side and not a signed cookie: the
 * session presents its key to the same `authenticate` middleware as an API call on every request, so
 * a revoked or expired key, an IP allow-list or a client-certificate binding ends the session at once;
 * a signed cookie would have to carry the key (encrypted) or trust a principal frozen at sign-in. The
 * cost: a session belongs to the replica that made it (sign in again on another, or route by cookie),
 * and a restart signs everyone out.
 */
export interface DashboardSessions {
  create(key: string): DashboardSession;
  /** The live session with this id, or `undefined` (unknown or expired). */
  get(id: string): DashboardSession | undefined;
  delete(id: string): void;
}

/** Creates an empty {@link DashboardSessions}. */
export function createDashboardSessions({ ttlMs = 8 * 3_600_000, maxSessions = 10_000, now = Date.now }: DashboardSessionsOptions = {}): DashboardSessions {
  // A Map keeps insertion order: the first entry is the oldest session.
  const sessions = new Map<string, DashboardSession>();
  const token = () => randomBytes(32).toString('base64url');
  return {
    create(key) {
      while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value!);
      const session = { id: token(), key, csrfToken: token(), expiresAt: now() + ttlMs };
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      const session = sessions.get(id);
      if (session && session.expiresAt <= now()) sessions.delete(id);
      return session && session.expiresAt > now() ? session : undefined;
    },
    delete(id) {
      sessions.delete(id);
    },
  };
}
