import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { OrgService } from '../../src/org/org.service';
import { OffsetClock } from '../../src/shared/clock';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

const APP = { clientId: 'dinglogin', clientSecret: 'dinglogin-secret-0123456789', robotCode: 'dinglogin' };
const PUBLIC = 'https://duban.example.gov.cn';

/**
 * Issue 15 (sign-in, part S): /登录 typed to the bot one to one answers with a one-time link to the console (single
 * use, 10 minutes); typed in a group no link is posted. Asserted as the exact text at the fake DingTalk and the fake
 * WeCom, and the link redeemed over HTTP.
 */
describe('/登录 in chat: a one-time sign-in link, one to one only (issue 15)', () => {
  let dt: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let clock: OffsetClock;
  let contactId = 0;

  beforeAll(async () => {
    dt = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400 });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    clock = new OffsetClock();
    clock.advance(new Date('2026-03-02T02:00:00Z').getTime() - Date.now()); // Monday 10:00 in Shanghai
    t = await startTestApp({
      clock,
      listen: true,
      env: {
        ...wecomEnv(wx),
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_ROBOT_CODE: APP.robotCode,
        DINGTALK_API_BASE: dt.apiBase,
        DINGTALK_OAPI_BASE: dt.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
        DUBAN_PUBLIC_URL: PUBLIC,
      },
    });
    wx.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidLogin', name: '发改委督办群', unitId: unit, purpose: 'unit' });
    await org.createGroup({ platform: 'wecom', externalId: 'wrLogin', name: '发改委企业微信群', unitId: unit, purpose: 'unit' });
    contactId = (
      await org.createPerson({
        name: '陈联络',
        roles: [{ role: 'unit_contact', unitId: unit }],
        identities: [
          { platform: 'dingtalk', externalUserId: 'dt-lead' },
          { platform: 'wecom', externalUserId: 'wx-lead' },
        ],
      })
    ).id;
    await dt.waitFor(() => dt.connections() > 0, 10_000);
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await dt?.stop();
    await wx?.stop();
  });

  const textOf = (m: object): string => {
    const x = m as { msgParam?: { text?: string; content?: string }; markdown?: { text?: string; content?: string }; text?: { content?: string } };
    return String(x.msgParam?.text ?? x.msgParam?.content ?? x.markdown?.text ?? x.markdown?.content ?? x.text?.content ?? '').replace(/ {2}\n/g, '\n');
  };
  const dtDirect = async (user: string, text: string): Promise<string> => {
    const before = dt.directMessages(user).length;
    await dt.sendDirectText({ senderStaffId: user, text });
    await dt.waitFor(() => dt.directMessages(user).length > before, 5_000);
    return textOf(dt.directMessages(user)[before]!);
  };
  const dtGroup = async (user: string, text: string): Promise<string> => {
    const before = dt.groupMessages('cidLogin').length;
    await dt.sendGroupText({ conversationId: 'cidLogin', senderStaffId: user, text: ` ${text}` });
    await dt.waitFor(() => dt.groupMessages('cidLogin').length > before, 5_000);
    return textOf(dt.groupMessages('cidLogin')[before]!);
  };
  const wxDirect = async (user: string, text: string): Promise<string> => {
    const before = wx.userMessages(user).length;
    await wx.botDirectText({ userId: user, text });
    await wx.waitFor(() => wx.userMessages(user).length > before, 5_000);
    return textOf(wx.userMessages(user)[before]!).replace(/^\*\*督办助手\*\*\n/, ''); // WeCom markdown: the bot's name heads it
  };
  const wxGroup = async (user: string, text: string): Promise<string> => {
    const before = wx.groupMessages('wrLogin').length;
    await wx.botGroupText({ chatId: 'wrLogin', userId: user, text });
    await wx.waitFor(() => wx.groupMessages('wrLogin').length > before, 5_000);
    return textOf(wx.groupMessages('wrLogin')[before]!).replace(/^\*\*督办助手\*\*\n/, '');
  };

  const LINK = /^点击链接登录督办系统（10分钟内有效，仅可使用一次）：(https:\/\/duban\.example\.gov\.cn\/%E7%99%BB%E5%BD%95\?code=([A-Za-z0-9_-]{32,}))$/;
  const codeOf = (answer: string): string => {
    const m = LINK.exec(answer);
    if (!m) throw new Error(`not a sign-in link: ${answer}`);
    return m[2]!;
  };
  const redeem = (code: string) => t.http().post('/api/session/link').send({ code });

  it('DingTalk one to one: the link arrives; it signs in once, the second time it is refused', async () => {
    const answer = await dtDirect('dt-lead', '/登录');
    const code = codeOf(answer);
    const first = await redeem(code).expect(200);
    expect(first.body).toEqual({ personId: contactId, name: '陈联络', roles: ['unit_contact'], isAdmin: false, today: '2026-03-02' });
    const cookie = ([] as string[]).concat(first.headers['set-cookie'])[0]!;
    // DUBAN_PUBLIC_URL is https: the cookie is Secure.
    expect(cookie).toMatch(/^duban_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=28800; Secure$/);
    await t.http().get('/api/session').set('Cookie', cookie.split(';')[0]).expect(200);
    const second = await redeem(code).expect(401);
    expect(second.body).toEqual({ code: 'SESSION.BAD_LINK', message: '登录链接已使用、已过期或无效。请在督办助手中重新发送 /登录 获取新的链接。' });
  });

  it('WeCom one to one (the /login alias too): the link arrives and expires after 10 minutes', async () => {
    const code = codeOf(await wxDirect('wx-lead', '/login'));
    const other = codeOf(await wxDirect('wx-lead', '/登录'));
    expect(other).not.toBe(code);
    clock.advance(9 * 60_000);
    await redeem(other).expect(200);
    clock.advance(60_000 + 1000);
    await redeem(code).expect(401);
  });

  it('in a group no link is posted: the answer says to ask one to one (DingTalk and WeCom)', async () => {
    expect(await dtGroup('dt-lead', '/登录')).toBe('登录链接只能私聊发送，请私聊督办助手发送 /登录');
    expect(await wxGroup('wx-lead', '@督办助手 /登录')).toBe('登录链接只能私聊发送，请私聊督办助手发送 /登录');
  });

  it('someone not registered gets the binding hint, no link', async () => {
    expect(await dtDirect('dt-stranger', '/登录')).toBe(
      '您的钉钉账号（用户ID：dt-stranger）还没有登记到督办系统，暂时不能办理。请把这个用户ID发给本单位联络员或督查室，登记后即可使用。',
    );
  });

  it('an unknown code is refused in words', async () => {
    const r = await redeem('no-such-code').expect(401);
    expect(r.body.message).toBe('登录链接已使用、已过期或无效。请在督办助手中重新发送 /登录 获取新的链接。');
  });
});
