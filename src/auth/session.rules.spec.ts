import { clearedCookie, sameSite, sessionAlive, sessionCookie, sessionFromCookieHeader, SESSION_IDLE_MS } from './session.rules';

describe('console session rules (issue 15)', () => {
  it('writes the cookie httpOnly, SameSite=Lax, for 8 hours; Secure over https', () => {
    expect(sessionCookie('abc', false)).toBe('duban_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=28800');
    expect(sessionCookie('abc', true)).toBe('duban_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=28800; Secure');
    expect(clearedCookie(false)).toBe('duban_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0');
  });

  it('reads the session cookie among others', () => {
    expect(sessionFromCookieHeader('a=1; duban_session=xyz; b=2')).toBe('xyz');
    expect(sessionFromCookieHeader('duban_session=')).toBeNull();
    expect(sessionFromCookieHeader('other=1')).toBeNull();
    expect(sessionFromCookieHeader(undefined)).toBeNull();
  });

  it('a session lives 8 hours idle and 7 days at most, and not once revoked', () => {
    const t0 = new Date('2026-03-02T00:00:00Z');
    const s = { lastSeenAt: t0, expiresAt: new Date(t0.getTime() + 7 * 24 * 3600_000), revokedAt: null };
    expect(sessionAlive(s, new Date(t0.getTime() + SESSION_IDLE_MS - 1))).toBe(true);
    expect(sessionAlive(s, new Date(t0.getTime() + SESSION_IDLE_MS))).toBe(false);
    expect(sessionAlive({ ...s, lastSeenAt: new Date(t0.getTime() + 7 * 24 * 3600_000 - 1000) }, new Date(t0.getTime() + 7 * 24 * 3600_000))).toBe(false);
    expect(sessionAlive({ ...s, revokedAt: t0 }, t0)).toBe(false);
  });

  it('CSRF: a state change must come from the public origin or the own host; reads always pass', () => {
    const base = 'https://duban.example.gov.cn';
    expect(sameSite({ method: 'GET', origin: 'https://evil.example' }, base)).toBe(true);
    expect(sameSite({ method: 'POST', origin: 'https://duban.example.gov.cn' }, base)).toBe(true);
    expect(sameSite({ method: 'POST', referer: 'https://duban.example.gov.cn/台账?x=1' }, base)).toBe(true);
    expect(sameSite({ method: 'DELETE', origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }, base)).toBe(true);
    expect(sameSite({ method: 'POST', origin: 'https://evil.example', host: 'duban.example.gov.cn' }, base)).toBe(false);
    expect(sameSite({ method: 'POST', origin: 'null' }, base)).toBe(false);
    expect(sameSite({ method: 'PATCH' }, base)).toBe(false);
  });
});
