import { forbidden } from '../shared/errors';

/**
 * Issue 15 (sign-in): the pure rules of console sessions — how long they last, the cookie as it is written, and which
 * requests carrying it may change anything (CSRF).
 */

export const SESSION_COOKIE = 'duban_session';
/** A session ends after this long without use… */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** …and this long after sign-in, however much it is used. */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** A session's last use is written at most this often (and the cookie renewed with it). */
export const SESSION_TOUCH_MS = 5 * 60_000;
/** A /登录 link is good for one sign-in within this time. */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;

export const UNSAFE_METHODS_EXEMPT = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Set-Cookie value opening (or renewing) a session; Secure when the service is reached over https. */
export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_IDLE_MS / 1000}${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that removes the session cookie (logout). */
export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session cookie's value in a Cookie header, or null. */
export function sessionFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const v = part.slice(eq + 1).trim();
    return v === '' ? null : v;
  }
  return null;
}

/** Whether a session is alive at `now`: not revoked, used within the idle time, and within its absolute end. */
export function sessionAlive(s: { lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null }, now: Date): boolean {
  if (s.revokedAt) return false;
  if (now.getTime() >= s.expiresAt.getTime()) return false;
  return now.getTime() - s.lastSeenAt.getTime() < SESSION_IDLE_MS;
}

const originOf = (url: string | undefined): string | null => {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin.toLowerCase();
  } catch {
    return null;
  }
};

/**
 * CSRF: a request that changes state on the strength of the cookie must come from the console itself — its Origin (or,
 * without one, its Referer) is DUBAN_PUBLIC_URL's origin or the request's own host. No Origin and no Referer: refused.
 */
export function sameSite(req: { method: string; origin?: string; referer?: string; host?: string }, publicBaseUrl: string): boolean {
  if (UNSAFE_METHODS_EXEMPT.has(req.method.toUpperCase())) return true;
  const from = originOf(req.origin) ?? originOf(req.referer);
  if (!from) return false;
  if (from === originOf(publicBaseUrl)) return true;
  return !!req.host && new URL(from).host === req.host.toLowerCase();
}

/** CSRF: a cookie request that would change something, not from the console itself. */
export const crossSite = () => forbidden('AUTH.CROSS_SITE', '请求来源不是督办系统本身，操作未执行。请在督办系统页面中重新操作。');
