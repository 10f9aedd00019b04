/**
 * Issue 15: signing in to the console by the chat platform — WeCom's web authorisation (OAuth2) and its CSRF state, the
 * reasons a platform sign-in is refused as the console reads them, and the links chat buttons give into the console.
 * Pure: secrets, nonces and instants are parameters.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The round trip through WeCom's authorize page must come back within this time. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** The cookie binding the round trip to this browser (the state alone could be replayed by someone else's page). */
export const OAUTH_COOKIE = 'duban_oauth';
export const OAUTH_COOKIE_PATH = '/api/session/wecom';

const sig = (secret: string, nonce: string, exp: string) => createHmac('sha256', secret).update(`wecom-oauth\n${nonce}\n${exp}`).digest('hex').slice(0, 40);

/**
 * The `state` of the authorize URL: WeCom takes only a-zA-Z0-9, at most 128 bytes — so it is 32 hex of nonce, 13 digits
 * of expiry (ms) and 40 hex of HMAC; where to go afterwards rides in the cookie, not here.
 */
export function oauthState(secret: string, nonce: string, now: Date): string {
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw new Error('nonce must be 32 hex digits');
  const exp = String(now.getTime() + OAUTH_STATE_TTL_MS).padStart(13, '0');
  return `${nonce}${exp}${sig(secret, nonce, exp)}`;
}

export type StateCheck = 'ok' | 'bad' | 'expired';

/** A state is good when it is ours (HMAC), for this browser (its nonce is the cookie's) and not older than 10 minutes. */
export function checkOAuthState(secret: string, state: unknown, cookieNonce: string | null, now: Date): StateCheck {
  if (typeof state !== 'string' || !/^[0-9a-f]{32}\d{13}[0-9a-f]{40}$/.test(state)) return 'bad';
  const nonce = state.slice(0, 32);
  const exp = state.slice(32, 45);
  const given = Buffer.from(state.slice(45));
  const expected = Buffer.from(sig(secret, nonce, exp));
  if (!timingSafeEqual(given, expected)) return 'bad';
  if (!cookieNonce || cookieNonce.length !== nonce.length || !timingSafeEqual(Buffer.from(cookieNonce), Buffer.from(nonce))) return 'bad';
  return Number(exp) <= now.getTime() ? 'expired' : 'ok';
}

/** A control character (below U+0020, or DEL) or a backslash: browsers drop tabs and line breaks, so 「/\t/evil」 is 「//evil」. */
const unsafeChar = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '\\');

/** Only a path of this console, never another site (an open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !unsafeChar(next) && !next.startsWith('/api/') ? next : '/';
}

export function oauthCookie(nonce: string, next: string, secure: boolean): string {
  const value = `${nonce}.${Buffer.from(next, 'utf8').toString('base64url')}`;
  return `${OAUTH_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=${OAUTH_COOKIE_PATH}; Max-Age=${OAUTH_STATE_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedOAuthCookie(secure: boolean): string {
  return `${OAUTH_COOKIE}=; HttpOnly; SameSite=Lax; Path=${OAUTH_COOKIE_PATH}; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The round trip's nonce and destination from a Cookie header, or null. */
export function oauthFromCookieHeader(header: string | undefined): { nonce: string; next: string } | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== OAUTH_COOKIE) continue;
    const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]*)$/.exec(part.slice(eq + 1).trim());
    if (!m) return null;
    return { nonce: m[1], next: safeNext(Buffer.from(m[2], 'base64url').toString('utf8')) };
  }
  return null;
}

/** WeCom's authorize URL (构造网页授权链接): silent (snsapi_base), back to `redirectUri` with `?code=&state=`. */
export function wecomAuthorizeUrl(oauthBase: string, corpId: string, agentId: number, redirectUri: string, state: string): string {
  const q = `appid=${encodeURIComponent(corpId)}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_base&state=${state}&agentid=${agentId}`;
  return `${oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
}

/**
 * Why a platform sign-in did not happen, as the console's sign-in page is told (`/登录?signin=…`) and words it:
 * state — the round trip was not started here or took too long; code — the platform's code was refused (used or past
 * its 5 minutes); outsider — not a member of the organisation; unregistered — a member not yet registered (with `uid`);
 * unavailable — the platform is not set up or could not be reached.
 */
export type SignInFailure = 'state' | 'code' | 'outsider' | 'unregistered' | 'unavailable';

export function signInFailurePath(next: string, reason: SignInFailure, userId?: string): string {
  const q = new URLSearchParams({ next: safeNext(next), signin: reason, ...(userId ? { uid: userId } : {}) });
  return `/${encodeURIComponent('登录')}?${q.toString()}`;
}

/** The words on the console for a card button that needs text (issue 15): report → 反馈 … */
export const CONSOLE_FORM: Record<string, string> = { report: '反馈', extend: '延期', close: '办结', return: '退回' };

/**
 * The console's page of an item with that button's form open: `${base}/items/DB2026-0001?do=延期`. Opened in WeCom or
 * DingTalk, the console signs the person in on the way (web authorisation / 免登); elsewhere it asks them to sign in.
 */
export function itemFormLink(base: string, number: string, action: string): string | null {
  const form = CONSOLE_FORM[action];
  return form ? `${base}/items/${encodeURIComponent(number)}?do=${encodeURIComponent(form)}` : null;
}
