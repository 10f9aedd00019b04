import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { OrgService } from '../../src/org/org.service';
import { OffsetClock } from '../../src/shared/clock';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const DT_APP = { clientId: 'dingsignin', clientSecret: 'dingsignin-secret-0123456789', robotCode: 'dingsignin' };
const DT_CORP = 'dingsignincorp000000000000000001';

/**
 * Issue 15: signing in by the platform over real sockets — DingTalk's 免登 code (from the fake's JSAPI) posted to
 * /api/session/dingtalk, and WeCom's web authorisation (/api/session/wecom/start → the fake's authorize page →
 * /api/session/wecom/callback). Wrong, used and expired codes, accounts nobody registered, outsiders and a forged or
 * foreign state are refused in Chinese; the session afterwards is the console's ordinary cookie.
 */
describe('sign-in by DingTalk 免登 and WeCom web authorisation (issue 15)', () => {
  let dt: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let fakeShift = 0;
  const clock = new OffsetClock();

  beforeAll(async () => {
    dt = await FakeDingTalk.start({ ...DT_APP, corpId: DT_CORP, now: () => Date.now() + fakeShift });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, now: () => Date.now() + fakeShift });
    t = await startTestApp({
      clock,
      listen: true,
      env: { ...dingtalkEnv(dt, DT_APP), DINGTALK_CORP_ID: DT_CORP, DINGTALK_JSAPI_URL: dt.jsapiUrl, ...wecomEnv(wx), WECOM_OAUTH_BASE: wx.oauthBase },
    });
    const org = t.get(OrgService);
    const fgw = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createPerson({
      name: '陈联络',
      roles: [{ role: 'unit_contact', unitId: fgw }],
      identities: [
        { platform: 'dingtalk', externalUserId: 'dt-chen' },
        { platform: 'wecom', externalUserId: 'wx-chen' },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await dt?.stop();
    await wx?.stop();
  });

  const origin = () => t.url;
  const dtCode = async (user: string) => {
    dt.putOnPhone(user);
    const body = (await (await fetch(`${dt.apiBase}/jsapi/requestAuthCode?corpId=${DT_CORP}`)).json()) as { code: string };
    return body.code;
  };
  const postDingTalk = (authCode: string) => t.http().post('/api/session/dingtalk').set('Origin', origin()).send({ authCode });
  const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
    ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

  it('tells the console which platforms it can sign in by', async () => {
    const res = await t.http().get('/api/session/platforms').expect(200);
    expect(res.body).toEqual({ dingtalk: { corpId: DT_CORP, jsapiUrl: dt.jsapiUrl }, wecom: true });
  });

  describe('DingTalk 免登', () => {
    it('a code from the JSAPI signs the registered person in; the same code again is refused', async () => {
      const code = await dtCode('dt-chen');
      const res = await postDingTalk(code).expect(200);
      expect(res.body).toMatchObject({ name: '陈联络', roles: ['unit_contact'] });
      const session = cookieOf(res, 'duban_session')!;
      expect(session).toBeDefined();
      expect((await t.http().get('/api/session').set('Cookie', session).expect(200)).body.name).toBe('陈联络');
      const again = await postDingTalk(code).expect(401);
      expect(again.body).toMatchObject({ code: 'SESSION.BAD_AUTH_CODE' });
      expect(again.body.message).toContain('已使用或已过期');
      expect(cookieOf(again, 'duban_session')).toBeUndefined();
    });

    it('refuses a made-up code and a code past its 5 minutes', async () => {
      expect((await postDingTalk('made-up-code').expect(401)).body.code).toBe('SESSION.BAD_AUTH_CODE');
      const code = await dtCode('dt-chen');
      fakeShift += 5 * 60_000;
      try {
        expect((await postDingTalk(code).expect(401)).body.message).toMatch(/^钉钉的免登授权码已使用或已过期/);
      } finally {
        fakeShift -= 5 * 60_000;
      }
    });

    it('an account nobody registered is told whom to ask and what to give them', async () => {
      const res = await postDingTalk(await dtCode('dt-stranger')).expect(403);
      expect(res.body).toMatchObject({ code: 'SESSION.NOT_REGISTERED', userId: 'dt-stranger' });
      expect(res.body.message).toContain('dt-stranger');
      expect(res.body.message).toContain('督查室');
      expect(cookieOf(res, 'duban_session')).toBeUndefined();
    });

    it('refuses a sign-in posted from another site (login CSRF) and an empty code in words', async () => {
      const code = await dtCode('dt-chen');
      const res = await t.http().post('/api/session/dingtalk').set('Origin', 'https://evil.example').send({ authCode: code }).expect(403);
      expect(res.body.message).toContain('请求来源不是督办系统本身');
      const empty = await t.http().post('/api/session/dingtalk').set('Origin', origin()).send({ authCode: '' }).expect(400);
      expect(empty.body.message).toMatch(/^输入有误/);
    });
  });

  describe('WeCom web authorisation', () => {
    const NEXT = '/items/DB2026-0001?do=延期';

    /** start → the authorize URL and the round-trip cookie. */
    const start = async (next = NEXT) => {
      const res = await t
        .http()
        .get(`/api/session/wecom/start?next=${encodeURIComponent(next)}`)
        .expect(302);
      return { authorize: new URL(res.headers.location as string), trip: cookieOf(res, 'duban_oauth')! };
    };
    /** The fake's authorize page → back to the callback URL it redirects to. */
    const throughWeCom = async (authorize: URL, who: Parameters<FakeWeCom['putOnPhone']>[0]) => {
      wx.putOnPhone(who);
      const res = await fetch(authorize, { redirect: 'manual' });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location')!);
    };
    const callback = (back: URL, trip?: string) => {
      const req = t.http().get(`${back.pathname}${back.search}`);
      return (trip ? req.set('Cookie', trip) : req).expect(302);
    };
    const failure = (res: { headers: Record<string, unknown> }) => new URL(res.headers.location as string, 'http://x').searchParams;

    it('start goes to the authorize page as WeCom documents it, with a signed state and a cookie binding it to this browser', async () => {
      const { authorize, trip } = await start();
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${wx.oauthBase}/connect/oauth2/authorize`);
      expect(authorize.hash).toBe('#wechat_redirect');
      const q = authorize.searchParams;
      expect(q.get('appid')).toBe(CORP);
      expect(q.get('agentid')).toBe(String(AGENT.agentId));
      expect(q.get('response_type')).toBe('code');
      expect(q.get('scope')).toBe('snsapi_base');
      expect(q.get('state')).toMatch(/^[A-Za-z0-9]{1,128}$/);
      expect(q.get('redirect_uri')).toBe(`${origin()}/api/session/wecom/callback`);
      expect(trip).toMatch(/^duban_oauth=/);
    });

    it('back from WeCom the member is signed in and sent where they were going, the do= kept', async () => {
      const { authorize, trip } = await start();
      const back = await throughWeCom(authorize, 'wx-chen');
      const res = await callback(back, trip);
      expect(decodeURIComponent(res.headers.location as string)).toBe(NEXT);
      const session = cookieOf(res, 'duban_session')!;
      expect((await t.http().get('/api/session').set('Cookie', session).expect(200)).body.name).toBe('陈联络');
      // The round trip is over: its cookie is cleared, and the same code does not sign anyone in again.
      expect((res.headers['set-cookie'] as unknown as string[]).some((c) => /^duban_oauth=;.*Max-Age=0/.test(c))).toBe(true);
      const { trip: trip2 } = await start();
      const replay = await callback(
        new URL(`${back.pathname}?code=${back.searchParams.get('code')}&state=${(await start()).authorize.searchParams.get('state')}`, 'http://x'),
        trip2,
      );
      expect(failure(replay).get('signin')).toBe('state'); // another round trip's state is not this browser's
    });

    it('a used or made-up code comes back to the sign-in page saying so', async () => {
      const first = await start();
      const back = await throughWeCom(first.authorize, 'wx-chen');
      await callback(back, first.trip);
      // A second round trip of this browser, but with the first (used) code.
      const second = await start();
      const state = second.authorize.searchParams.get('state')!;
      const used = await callback(new URL(`/api/session/wecom/callback?code=${back.searchParams.get('code')}&state=${state}`, 'http://x'), second.trip);
      expect(failure(used).get('signin')).toBe('code');
      expect(cookieOf(used, 'duban_session')).toBeUndefined();
      const third = await start();
      const madeUp = await callback(
        new URL(`/api/session/wecom/callback?code=nope&state=${third.authorize.searchParams.get('state')}`, 'http://x'),
        third.trip,
      );
      expect(failure(madeUp).get('signin')).toBe('code');
    });

    it('CSRF: a callback without this browser’s cookie, or with a forged state, signs nobody in', async () => {
      const { authorize } = await start();
      const back = await throughWeCom(authorize, 'wx-chen');
      const noCookie = await callback(back);
      expect(failure(noCookie).get('signin')).toBe('state');
      expect(cookieOf(noCookie, 'duban_session')).toBeUndefined();
      const { authorize: a2, trip: t2 } = await start();
      const back2 = await throughWeCom(a2, 'wx-chen');
      const forged = new URL(back2);
      const s = forged.searchParams.get('state')!;
      forged.searchParams.set('state', `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`);
      const res = await callback(forged, t2);
      expect(failure(res).get('signin')).toBe('state');
      expect(cookieOf(res, 'duban_session')).toBeUndefined();
    });

    it('a round trip older than 10 minutes is refused', async () => {
      const { authorize, trip } = await start();
      const back = await throughWeCom(authorize, 'wx-chen');
      clock.advance(11 * 60_000);
      try {
        expect(failure(await callback(back, trip)).get('signin')).toBe('state');
      } finally {
        clock.advance(-11 * 60_000);
      }
    });

    it('a member nobody registered gets the sign-in page with their user id; an outsider is told they are not a member', async () => {
      const one = await start();
      const res = await callback(await throughWeCom(one.authorize, 'wx-stranger'), one.trip);
      const q = failure(res);
      expect(q.get('signin')).toBe('unregistered');
      expect(q.get('uid')).toBe('wx-stranger');
      expect(q.get('next')).toBe(NEXT);
      const two = await start();
      expect(failure(await callback(await throughWeCom(two.authorize, { openId: 'oOutsider' }), two.trip)).get('signin')).toBe('outsider');
    });

    it('next is only ever a page of the console', async () => {
      for (const next of ['https://evil.example/', '//evil.example/x', '/api/session']) {
        const { authorize, trip } = await start(next);
        const res = await callback(await throughWeCom(authorize, 'wx-chen'), trip);
        expect(res.headers.location).toBe('/');
      }
    });
  });
});
