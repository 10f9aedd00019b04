import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';

/**
 * Issue 15: the fakes hand out and redeem sign-in codes as the platforms document them — DingTalk's 免登 code from the
 * JSAPI (exchanged at topapi/v2/user/getuserinfo, 40078 不存在的临时授权码) and WeCom's web-authorisation code from the
 * authorize page (exchanged at cgi-bin/auth/getuserinfo, 40029 invalid code): single use, 5 minutes. Over real sockets
 * with plain fetch; time is a variable the tests move.
 */

type Json = Record<string, unknown>;
let now = Date.UTC(2026, 10, 20, 2, 0, 0);

describe('fake DingTalk: 免登 codes', () => {
  let fake: FakeDingTalk;
  let token: string;
  const CORP = 'dingcorp0001';

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 20, 2, 0, 0);
    fake = await FakeDingTalk.start({ clientId: 'dingapp', clientSecret: 'dingsecret', corpId: CORP, now: () => now });
    const t = (await (await fetch(`${fake.apiBase}/gettoken?appkey=dingapp&appsecret=dingsecret`)).json()) as Json;
    token = t.access_token as string;
  });
  afterEach(() => fake.stop());

  const askCode = async (corpId = CORP) => (await (await fetch(`${fake.apiBase}/jsapi/requestAuthCode?corpId=${corpId}`)).json()) as Json;
  const exchange = async (code: unknown, accessToken = token) =>
    (await (
      await fetch(`${fake.oapiBase}/topapi/v2/user/getuserinfo?access_token=${accessToken}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      })
    ).json()) as Json;

  it('serves a JSAPI script with requestAuthCode and getAuthCode', async () => {
    expect(fake.jsapiUrl).toBe(`${fake.apiBase}/jsapi/dingtalk.open.js`);
    const res = await fetch(fake.jsapiUrl);
    expect(res.headers.get('content-type')).toContain('javascript');
    const js = await res.text();
    expect(js).toContain('requestAuthCode');
    expect(js).toContain('getAuthCode');
    expect(js).toContain(fake.apiBase);
  });

  it('gives a code for the user on the phone, redeemed once for their userid', async () => {
    fake.putOnPhone('dt-chen', '陈联络');
    const { code } = await askCode();
    expect(typeof code).toBe('string');
    const first = await exchange(code);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', result: { userid: 'dt-chen', name: '陈联络' } });
    expect(await exchange(code)).toMatchObject({ errcode: 40078, errmsg: '不存在的临时授权码' });
  });

  it('refuses an unknown code, a code past 5 minutes, and a call without a valid token', async () => {
    fake.putOnPhone('dt-chen');
    expect(await exchange('no-such-code')).toMatchObject({ errcode: 40078 });
    const { code } = await askCode();
    now += 5 * 60_000;
    expect(await exchange(code)).toMatchObject({ errcode: 40078 });
    const fresh = await askCode();
    expect(await exchange(fresh.code, 'bad-token')).toMatchObject({ errcode: 40014 });
    // The refused call did not use it up.
    expect(await exchange(fresh.code)).toMatchObject({ errcode: 0, result: { userid: 'dt-chen' } });
  });

  it('gives no code for another corp, or with nobody on the phone', async () => {
    fake.putOnPhone('dt-chen');
    expect(await askCode('dingother')).not.toHaveProperty('code');
    fake.putOnPhone(null);
    expect(await askCode()).not.toHaveProperty('code');
  });
});

describe('fake WeCom: web-authorisation codes', () => {
  let fake: FakeWeCom;
  let token: string;
  const CORP = 'ww1234567890abcdef';
  const APP = { agentId: 1000002, secret: 'app-secret-0123456789', token: 'appToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
  const BACK = 'http://duban.example/api/session/wecom/callback';

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 20, 2, 0, 0);
    fake = await FakeWeCom.start({ corpId: CORP, agents: [APP], now: () => now });
    const t = (await (await fetch(`${fake.apiBase}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`)).json()) as Json;
    token = t.access_token as string;
  });
  afterEach(() => fake.stop());

  const authorize = (q: Record<string, string>) =>
    fetch(`${fake.oauthBase}/connect/oauth2/authorize?${new URLSearchParams(q).toString()}#wechat_redirect`, { redirect: 'manual' });
  const good = { appid: CORP, redirect_uri: BACK, response_type: 'code', scope: 'snsapi_base', state: 'abc123', agentid: '1000002' };
  const codeFrom = async (q = good) => {
    const res = await authorize(q);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(BACK);
    expect(to.searchParams.get('state')).toBe(q.state);
    return to.searchParams.get('code')!;
  };
  const userinfo = async (code: string, accessToken = token) =>
    (await (await fetch(`${fake.apiBase}/cgi-bin/auth/getuserinfo?access_token=${accessToken}&code=${encodeURIComponent(code)}`)).json()) as Json;

  it('redirects straight back with a code for the member on the phone, redeemed once for the userid', async () => {
    fake.putOnPhone('zhangsan');
    const code = await codeFrom();
    expect(await userinfo(code)).toMatchObject({ errcode: 0, errmsg: 'ok', userid: 'zhangsan' });
    const again = await userinfo(code);
    expect(again.errcode).toBe(40029);
    expect(again.errmsg).toMatch(/^invalid code, hint: \[/);
  });

  it('answers an openid for someone outside the corp', async () => {
    fake.putOnPhone({ openId: 'oOutsider01' });
    const info = await userinfo(await codeFrom());
    expect(info).toMatchObject({ errcode: 0, openid: 'oOutsider01' });
    expect(info).not.toHaveProperty('userid');
  });

  it('refuses an unknown code, a code past 5 minutes, and a bad token', async () => {
    fake.putOnPhone('zhangsan');
    expect((await userinfo('nope')).errcode).toBe(40029);
    const code = await codeFrom();
    now += 5 * 60_000;
    expect((await userinfo(code)).errcode).toBe(40029);
    expect((await userinfo(await codeFrom(), 'bad-token')).errcode).toBe(40014);
  });

  it('keeps an existing query on the redirect_uri, and checks appid, scope and state', async () => {
    fake.putOnPhone('zhangsan');
    const res = await authorize({ ...good, redirect_uri: `${BACK}?x=1` });
    const to = new URL(res.headers.get('location')!);
    expect(to.searchParams.get('x')).toBe('1');
    expect(to.searchParams.get('code')).toBeTruthy();
    for (const bad of [{ appid: 'wwother' }, { scope: 'snsapi_userinfo' }, { state: 'not/alnum' }, { state: 'a'.repeat(129) }]) {
      const r = await authorize({ ...good, ...bad });
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('参数错误');
    }
  });

  it('outside WeCom (nobody on the phone) asks to open the link in the client', async () => {
    fake.putOnPhone(null);
    const r = await authorize(good);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('请在企业微信客户端打开链接');
  });
});
