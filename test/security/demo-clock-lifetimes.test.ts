import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { CallbackCrypto, FakeWeCom } from '../../fakes/wecom';
import { InboxEvent } from '../../src/chat/inbox/inbox-event.entity';
import { OrgService } from '../../src/org/org.service';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';
import { SessionService } from '../../src/auth/session.service';
import { itemPageUrl } from '../../src/chat/item-link.rules';
import { DemoClock, FixedClock } from '../../src/shared/clock';
import { APP_CONFIG, type AppConfig } from '../../src/config/app.config';
import { type Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 16 (part 4, time): the demo clock runs fast and jumps a day at a time so a visitor watches reminders happen;
 * security lifetimes — console sessions, the one-time sign-in codes, the signed item links — stay on real time (the
 * security clock), so a jump does not sign the visitor out. Outside the demo they still run on the clock the test
 * gives, and expire (sessions.test.ts and friends).
 */
const DAY = 24 * 3600_000;
const cookieOf = (r: Response): string =>
  ([] as string[])
    .concat(r.headers['set-cookie'] ?? [])
    .find((s) => s.startsWith('duban_session='))!
    .split(';')[0];

describe('security lifetimes run on real time while the demo clock jumps (issue 16)', () => {
  let t: TestApp;
  const clock = new DemoClock();

  let org: Org;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a console session survives the demo clock jumping past its idle time and its absolute end', async () => {
    const cookie = cookieOf(await t.http().post('/api/session').send({ token: ADMIN_TOKEN }).expect(200));
    clock.advance(DAY); // past the 8 hours' idle time
    await t.http().get('/api/session').set('Cookie', cookie).expect(200);
    clock.advance(8 * DAY); // past the 7 days' absolute end
    await t.http().get('/api/session').set('Cookie', cookie).expect(200);
  });

  it('a one-time sign-in link stays good after the demo clock jumped a day (and is still single-use)', async () => {
    const code = await t.get(SessionService).issueLoginCode(org.supervisor.id);
    clock.advance(DAY);
    await t.http().post('/api/session/link').send({ code }).expect(200);
    await t.http().post('/api/session/link').send({ code }).expect(401);
  });

  it('an item link signed now still opens after the demo clock jumped past its 30 days', async () => {
    const { linkSecret } = t.app.get<AppConfig>(APP_CONFIG);
    const url = new URL(itemPageUrl('http://localhost:3000', linkSecret, 'DB2026-9999', new Date()));
    clock.advance(31 * DAY);
    // Not 410 (链接已过期): the link is checked, found good, and the number looked up — there is no such item (404).
    const res = await t.http().get(`${url.pathname}${url.search}`);
    expect(res.status).toBe(404);
  });
});

describe("a platform's callbacks are fresh by real time, not by the demo clock (issue 16)", () => {
  let fake: FakeWeCom;
  let t: TestApp;
  const clock = new DemoClock();
  const app = new CallbackCrypto(AGENT.token, AGENT.encodingAESKey, CORP);

  beforeAll(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({
      clock,
      listen: true,
      env: { ...wecomEnv(fake), WECOM_BOT_MODE: 'http', WECOM_BOT_TOKEN: BOT.token, WECOM_BOT_ENCODING_AES_KEY: BOT.encodingAESKey },
    });
    await t.get(OrgService).createPerson({ name: '陈联络', identities: [{ platform: 'wecom', externalUserId: 'wx-1' }] });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('D11: a WeCom app callback signed just now is accepted after the demo clock jumped a day (the leader 审定 on the phone)', async () => {
    clock.advance(DAY);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const plain = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[wx-1]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[/帮助]]></Content><MsgId>${Date.now()}</MsgId><AgentID>${AGENT.agentId}</AgentID></xml>`;
    const sealed = app.seal(plain, timestamp, nonce);
    const before = await t.db.getRepository(InboxEvent).count();
    const res = await fetch(`${t.url}/callbacks/wecom/app?msg_signature=${sealed.signature}&timestamp=${timestamp}&nonce=${nonce}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${sealed.encrypt}]]></Encrypt><AgentID><![CDATA[${AGENT.agentId}]]></AgentID></xml>`,
    });
    expect(res.status).toBe(200);
    expect(await t.db.getRepository(InboxEvent).count()).toBe(before + 1);
  });
});

describe('outside the demo the security clock is the clock the service was given (tests still see expiry)', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-03-02T01:00:00Z'));

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a session ends after 8 hours idle on that clock', async () => {
    const cookie = cookieOf(await t.http().post('/api/session').send({ token: ADMIN_TOKEN }).expect(200));
    clock.advance(8 * 3600_000 + 1);
    await t.http().get('/api/session').set('Cookie', cookie).expect(401);
  });
});
