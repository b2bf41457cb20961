import { describe, expect, it } from 'vitest';
import { createDashboardSessions } from './dashboard-sessions.js';

describe('createDashboardSessions', () => {
  it('gives each sign-in a fresh random id and CSRF token, and finds it by id until it expires', () => {
    let now = 1_000;
    const sessions = createDashboardSessions({ ttlMs: 500, now: () => now });
    const first = sessions.create('key-1');
    const second = sessions.create('key-1');
    expect(first.id).not.toBe(second.id);
    expect(first.csrfToken).not.toBe(first.id);
    expect(first.id).toMatch(/^[\w-]{43}$/);
    expect(sessions.get(first.id)?.key).toBe('key-1');
    now += 499;
    expect(sessions.get(first.id)).toBeDefined();
    now += 1;
    expect(sessions.get(first.id)).toBeUndefined();
    expect(sessions.get('unknown')).toBeUndefined();
  });

  it('ends a deleted session, and the oldest one past the cap', () => {
    const sessions = createDashboardSessions({ maxSessions: 2 });
    const [a, b] = [sessions.create('a'), sessions.create('b')];
    sessions.delete(b.id);
    expect(sessions.get(b.id)).toBeUndefined();
    const c = sessions.create('c');
    const d = sessions.create('d');
    expect([sessions.get(a.id), sessions.get(c.id)?.key, sessions.get(d.id)?.key]).toEqual([undefined, 'c', 'd']);
  });
});
