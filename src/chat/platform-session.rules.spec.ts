import {
  checkOAuthState,
  itemFormLink,
  oauthCookie,
  oauthFromCookieHeader,
  oauthState,
  safeNext,
  signInFailurePath,
  wecomAuthorizeUrl,
} from './platform-session.rules';

const SECRET = 'link-secret-0123456789abcdef';
const NONCE = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-03-02T01:00:00Z');

describe('WeCom web authorisation: the state and its cookie (issue 15)', () => {
  it('a state is letters and digits within WeCom’s 128 bytes, good for this browser for 10 minutes', () => {
    const state = oauthState(SECRET, NONCE, NOW);
    expect(state).toMatch(/^[A-Za-z0-9]{1,128}$/);
    expect(checkOAuthState(SECRET, state, NONCE, NOW)).toBe('ok');
    expect(checkOAuthState(SECRET, state, NONCE, new Date(NOW.getTime() + 10 * 60_000))).toBe('expired');
  });

  it('another browser’s nonce, another secret, a changed character or no state at all are refused', () => {
    const state = oauthState(SECRET, NONCE, NOW);
    expect(checkOAuthState(SECRET, state, 'f'.repeat(32), NOW)).toBe('bad');
    expect(checkOAuthState(SECRET, state, null, NOW)).toBe('bad');
    expect(checkOAuthState('another-secret-0123456789', state, NONCE, NOW)).toBe('bad');
    const changed = `${state.slice(0, 40)}${state[40] === '9' ? '8' : '9'}${state.slice(41)}`;
    expect(checkOAuthState(SECRET, changed, NONCE, NOW)).toBe('bad');
    expect(checkOAuthState(SECRET, undefined, NONCE, NOW)).toBe('bad');
    expect(checkOAuthState(SECRET, ['a', 'b'], NONCE, NOW)).toBe('bad');
  });

  it('the cookie carries the nonce and where to go, read back only as a page of the console', () => {
    const set = oauthCookie(NONCE, '/items/DB2026-0001?do=延期', true);
    expect(set).toMatch(/^duban_oauth=[0-9a-f]{32}\.[A-Za-z0-9_-]+; HttpOnly; SameSite=Lax; Path=\/api\/session\/wecom; Max-Age=600; Secure$/);
    const value = set.split(';')[0];
    expect(oauthFromCookieHeader(`a=b; ${value}`)).toEqual({ nonce: NONCE, next: '/items/DB2026-0001?do=延期' });
    const evil = oauthCookie(NONCE, 'https://evil.example/', false).split(';')[0];
    expect(oauthFromCookieHeader(evil)).toEqual({ nonce: NONCE, next: '/' });
    expect(oauthFromCookieHeader('duban_oauth=garbage')).toBeNull();
    expect(oauthFromCookieHeader(undefined)).toBeNull();
  });

  it('safeNext keeps console paths only', () => {
    expect(safeNext('/台账?light=red')).toBe('/台账?light=red');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '/api/session', undefined, 3]) expect(safeNext(bad)).toBe('/');
    // Browsers drop tabs and line breaks from an address: 「/<tab>/evil.example」 would become 「//evil.example」, another site.
    for (const bad of ['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/x\\y']) expect(safeNext(bad)).toBe('/');
  });

  it('the authorize URL is the one WeCom documents', () => {
    const url = wecomAuthorizeUrl('https://open.weixin.qq.com', 'wwcorp', 1000002, 'https://duban.example/api/session/wecom/callback', 'abc');
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wwcorp&redirect_uri=https%3A%2F%2Fduban.example%2Fapi%2Fsession%2Fwecom%2Fcallback&response_type=code&scope=snsapi_base&state=abc&agentid=1000002#wechat_redirect',
    );
  });

  it('a failed sign-in goes back to the sign-in page with the reason, the user id and where the person was going', () => {
    const path = signInFailurePath('/items/DB2026-0001?do=延期', 'unregistered', 'wx-li');
    const q = new URL(path, 'http://x').searchParams;
    expect(decodeURIComponent(new URL(path, 'http://x').pathname)).toBe('/登录');
    expect([q.get('next'), q.get('signin'), q.get('uid')]).toEqual(['/items/DB2026-0001?do=延期', 'unregistered', 'wx-li']);
  });
});

describe('card buttons that need text link to the console’s form (issue 15)', () => {
  it('反馈 / 延期 / 办结 / 退回 open the item’s page with that form; other buttons have no form link', () => {
    const base = 'https://duban.example';
    expect(itemFormLink(base, 'DB2026-0001', 'report')).toBe('https://duban.example/items/DB2026-0001?do=%E5%8F%8D%E9%A6%88');
    expect(decodeURIComponent(itemFormLink(base, 'DB2026-0001', 'extend')!)).toBe('https://duban.example/items/DB2026-0001?do=延期');
    expect(decodeURIComponent(itemFormLink(base, 'DB2026-0001', 'close')!)).toContain('do=办结');
    expect(decodeURIComponent(itemFormLink(base, 'DB2026-0001', 'return')!)).toContain('do=退回');
    expect(itemFormLink(base, 'DB2026-0001', 'sign')).toBeNull();
    expect(itemFormLink(base, 'DB2026-0001', 'ext:reject')).toBeNull();
  });
});
