import { randomBytes } from 'node:crypto';
import { cardCallbackSignature, FakeDingTalk, httpCallbackSign, TOPIC_CARD, TOPIC_ROBOT } from '../../fakes/dingtalk';
import { CallbackCrypto, FakeWeCom } from '../../fakes/wecom';
import { InboxEvent } from '../../src/chat/inbox/inbox-event.entity';
import { OffsetClock } from '../../src/shared/clock';
import { OrgService } from '../../src/org/org.service';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11, defects 9 (callbacks) and 11: what reaches our callback entry points from outside is authenticated,
 * fresh, used once, addressed to us, and well formed — or it is refused (4xx) or ignored (200 / ACK), never a 500,
 * and it changes nothing. Every input of the garbage tables is counted in `tried` for the report.
 */
const APP = { clientId: 'dingsec', clientSecret: 'dingsec-secret-0123456789', robotCode: 'dingsec' };
const OUR_CORP = 'dingcorpOURS000000000000000000';
const tried: Record<string, number> = {};
afterAll(() => console.log(`callback inputs tried: ${JSON.stringify(tried)}`));

const inbox = (t: TestApp) => t.db.getRepository(InboxEvent).count();
const big = (n: number) => 'x'.repeat(n);

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

/** A refusal is a 4xx with a { code, message } whose message is Chinese; an ignore is a 200. Never a 500. */
function expectRefusedOrIgnored(r: { status: number; body: string }, what: string): void {
  if (r.status >= 500) throw new Error(`${what}: answered ${r.status} ${r.body.slice(0, 300)}`);
  if (r.status >= 400) {
    const b = JSON.parse(r.body) as { code?: string; message?: string };
    expect(typeof b.code).toBe('string');
    expect(b.message).toMatch(/[\u4e00-\u9fa5]/);
  }
}

describe('DingTalk HTTP callbacks: fresh, used once, addressed to us, well formed', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let ts = Date.now();
  /** Each request its own millisecond, so a signature is never reused by accident. */
  const nextTs = () => String(Math.max(++ts, Date.now()));

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, corpId: OUR_CORP });
    t = await startTestApp({ clock: new OffsetClock(), listen: true, env: { ...dingtalkEnv(fake, APP), DINGTALK_CORP_ID: OUR_CORP } });
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: unit, purpose: 'unit' });
    await org.createPerson({
      name: '陈联络',
      roles: [{ role: 'unit_contact', unitId: unit }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-lead' }],
    });
    await org.createPerson({
      name: '孙联络',
      roles: [{ role: 'unit_contact', unitId: unit }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-other' }],
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const robot = (body: unknown, timestamp = nextTs(), sign = httpCallbackSign(APP.clientSecret, timestamp), raw = false) =>
    post(`${t.url}/callbacks/dingtalk`, raw ? String(body) : JSON.stringify(body), { 'Content-Type': 'application/json', timestamp, sign });
  const card = (body: unknown, timestamp = nextTs(), sign = cardCallbackSignature(APP.clientSecret, timestamp), raw = false) =>
    post(`${t.url}/callbacks/dingtalk/card`, raw ? String(body) : JSON.stringify(body), {
      'Content-Type': 'application/json',
      'x-ddpaas-signature-timestamp': timestamp,
      'x-ddpaas-signature': sign,
    });
  const help = (user = 'dt-lead', extra: Record<string, unknown> = {}) => ({
    ...fake.groupTextPayload({ conversationId: 'cidFGW', senderStaffId: user, text: '/帮助' }),
    ...extra,
  });
  const click = (user = 'dt-lead', extra: Record<string, unknown> = {}) => ({
    type: 'actionCallback',
    outTrackId: 'dbn-unknown-0',
    corpId: OUR_CORP,
    userId: user,
    content: JSON.stringify({ cardPrivateData: { actionIds: ['sign'], params: { number: 'DB2026-9999' } } }),
    userIdType: 1,
    ...extra,
  });

  it('D11: a used (timestamp, sign) pair with another body and sender is refused; the same delivery again is only a duplicate', async () => {
    const timestamp = nextTs();
    const sign = httpCallbackSign(APP.clientSecret, timestamp);
    const first = help('dt-lead');
    expect((await robot(first, timestamp, sign)).status).toBe(200);
    const before = await inbox(t);
    const replay = await robot(help('dt-other'), timestamp, sign);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body).message).not.toMatch(/[A-Za-z]{6,}/); // no field names, plain Chinese
    const again = await robot(first, timestamp, sign); // DingTalk delivering the very same request again
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ duplicate: true });
    expect(await inbox(t)).toBe(before);
  });

  it('D11: a correctly signed callback 30 minutes old, or 10 minutes ahead, is refused and changes nothing', async () => {
    const before = await inbox(t);
    for (const at of [Date.now() - 30 * 60_000, Date.now() - 6 * 60_000, Date.now() + 10 * 60_000]) {
      expect((await robot(help(), String(at))).status).toBe(401);
      expect((await card(click(), String(at))).status).toBe(401);
    }
    expect(await inbox(t)).toBe(before);
  });

  it('D11: a card callback signature used once is refused with another body', async () => {
    const timestamp = nextTs();
    const sign = cardCallbackSignature(APP.clientSecret, timestamp);
    expect((await card(click('dt-lead'), timestamp, sign)).status).toBe(200);
    const before = await inbox(t);
    expect((await card(click('dt-other'), timestamp, sign)).status).toBe(401);
    expect(await inbox(t)).toBe(before);
  });

  it('D11: a callback naming another corp or another robot does nothing (HTTP)', async () => {
    const before = await inbox(t);
    for (const body of [help('dt-lead', { chatbotCorpId: 'dingcorpEVIL', senderCorpId: 'dingcorpEVIL' }), help('dt-lead', { robotCode: 'dingOTHERBOT' })]) {
      const r = await robot(body);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ ignored: true });
    }
    const c = await card(click('dt-lead', { corpId: 'dingcorpEVIL' }));
    expect(c.status).toBe(200);
    expect(await inbox(t)).toBe(before);
  });

  it('D9: the garbage table on /callbacks/dingtalk and /callbacks/dingtalk/card: refused or ignored, never a 500, no effect', async () => {
    const before = await inbox(t);
    const robotRaw = ['garbage', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'null', '[]', '"text"', '12', '{', JSON.stringify({ a: big(2 * 1024 * 1024) })];
    const robotJson: unknown[] = [
      {},
      { msgId: 5 },
      { ...help(), msgId: { $ne: null } },
      { ...help(), conversationType: 2 },
      { ...help(), conversationId: undefined },
      { ...help(), text: 'plain' },
      { ...help(), text: { content: 42 } },
      { ...help(), text: null },
      { ...help(), senderStaffId: { id: 'dt-lead' } },
      { ...help(), senderStaffId: ['dt-lead'] },
      { ...help(), chatbotCorpId: 7 },
      { ...help(), robotCode: null, chatbotCorpId: null, msgtype: 3 },
      { ...help(), sessionWebhook: 5 },
      { ...help(), conversationType: '3' },
    ];
    for (const raw of robotRaw) expectRefusedOrIgnored(await robot(raw, undefined, undefined, true), `robot raw ${raw.slice(0, 40)}`);
    for (const body of robotJson) expectRefusedOrIgnored(await robot(body), `robot ${JSON.stringify(body).slice(0, 80)}`);
    const cardJson: unknown[] = [
      {},
      click('dt-lead', { content: 'null' }),
      click('dt-lead', { content: '"null"' }),
      click('dt-lead', { content: '[1,2]' }),
      click('dt-lead', { content: '{"cardPrivateData":null}' }),
      click('dt-lead', { content: '{"cardPrivateData":{"actionIds":"sign","params":[]}}' }),
      click('dt-lead', { content: '{"cardPrivateData":{"actionIds":[5],"params":{"number":{"a":1}}}}' }),
      click('dt-lead', { content: 'not json' }),
      click('dt-lead', { content: 12 }),
      click('dt-lead', { userId: 5 }),
      click('dt-lead', { outTrackId: { a: 1 } }),
      click('dt-lead', { corpId: ['x'] }),
    ];
    for (const raw of robotRaw) expectRefusedOrIgnored(await card(raw, undefined, undefined, true), `card raw ${raw.slice(0, 40)}`);
    for (const body of cardJson) expectRefusedOrIgnored(await card(body), `card ${JSON.stringify(body).slice(0, 80)}`);
    // Unsigned bodies are refused for their signature (JSON that does not parse is refused by the body parser first: 400).
    for (const raw of ['garbage', '{}']) {
      expect((await robot(raw, nextTs(), 'forged', true)).status).toBe(raw === '{}' ? 401 : 400);
      expect((await card(raw, nextTs(), 'forged', true)).status).toBe(raw === '{}' ? 401 : 400);
    }
    tried['dingtalk-http'] = 2 * robotRaw.length + robotJson.length + cardJson.length + 4;
    expect(await inbox(t)).toBe(before);
  });
});

describe('DingTalk Stream frames: malformed and foreign ones are ACKed once and ignored', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, corpId: OUR_CORP, redeliverAfterMs: 300 });
    const { DINGTALK_MODE: _http, ...env } = dingtalkEnv(fake, APP);
    t = await startTestApp({ clock: new OffsetClock(), env: { ...env, DINGTALK_CORP_ID: OUR_CORP } });
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: unit, purpose: 'unit' });
    await org.createPerson({
      name: '陈联络',
      roles: [{ role: 'unit_contact', unitId: unit }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-lead' }],
    });
    await fake.waitFor(() => fake.connections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const acked = (id: string) => fake.acks.some((a) => a.messageId === id) && !fake.unackedMessageIds().includes(id);

  it('D9: a card callback whose data is "null" is ACKed and not pushed again', async () => {
    const id = fake.pushCallback(TOPIC_CARD, null);
    await fake.waitFor(() => acked(id), 5_000);
    // The gateway re-pushes only what is not ACKed: it is done with this one.
    expect(fake.unackedMessageIds()).not.toContain(id);
  });

  it('D9/D11: malformed and foreign frames on both topics are ACKed and change nothing', async () => {
    const before = await inbox(t);
    const help = (extra: Record<string, unknown> = {}) => ({
      ...fake.groupTextPayload({ conversationId: 'cidFGW', senderStaffId: 'dt-lead', text: '/帮助' }),
      ...extra,
    });
    const clickData = (extra: Record<string, unknown> = {}) => ({
      type: 'actionCallback',
      outTrackId: 'dbn-unknown-1',
      corpId: OUR_CORP,
      userId: 'dt-lead',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['sign'], params: {} } }),
      ...extra,
    });
    const raws = ['null', 'garbage', '[]', '"x"', '{'];
    const robotData: unknown[] = [
      {},
      { msgId: 5 },
      help({ text: 'plain' }),
      help({ senderStaffId: { a: 1 } }),
      help({ conversationType: 2 }),
      help({ chatbotCorpId: 'dingcorpEVIL', senderCorpId: 'dingcorpEVIL' }),
      help({ robotCode: 'dingOTHERBOT' }),
    ];
    const cardData: unknown[] = [
      {},
      clickData({ content: 'null' }),
      clickData({ content: 'nonsense' }),
      clickData({ userId: 3 }),
      clickData({ corpId: 'dingcorpEVIL' }),
    ];
    const ids = [
      ...raws.flatMap((r) => [fake.pushCallback(TOPIC_ROBOT, r, { raw: true }), fake.pushCallback(TOPIC_CARD, r, { raw: true })]),
      ...robotData.map((d) => fake.pushCallback(TOPIC_ROBOT, d)),
      ...cardData.map((d) => fake.pushCallback(TOPIC_CARD, d)),
    ];
    tried['dingtalk-stream'] = ids.length + 1;
    await fake.waitFor(() => ids.every(acked), 10_000);
    expect(await inbox(t)).toBe(before);
    // A well-formed frame from our corp still works after all that.
    const good = fake.pushCallback(TOPIC_ROBOT, help());
    await fake.waitFor(() => acked(good), 5_000);
    expect(await inbox(t)).toBe(before + 1);
  });
});

describe('WeCom callbacks: fresh, signature first, no DOCTYPE, garbage never a 500', () => {
  let fake: FakeWeCom;
  let t: TestApp;
  const app = new CallbackCrypto(AGENT.token, AGENT.encodingAESKey, CORP);
  const bot = new CallbackCrypto(BOT.token, BOT.encodingAESKey, '');
  beforeAll(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      env: { ...wecomEnv(fake), WECOM_BOT_MODE: 'http', WECOM_BOT_TOKEN: BOT.token, WECOM_BOT_ENCODING_AES_KEY: BOT.encodingAESKey },
    });
    await t.get(OrgService).createPerson({ name: '陈联络', identities: [{ platform: 'wecom', externalUserId: 'wx-1' }] });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const now = () => String(Math.floor(Date.now() / 1000));
  const envelope = (enc: string, prolog = '') =>
    `${prolog}<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[${AGENT.agentId}]]></AgentID></xml>`;
  const appText = (text: string, msgId = String(Date.now()) + randomBytes(2).readUInt16BE(0)) =>
    `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[wx-1]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${AGENT.agentId}</AgentID></xml>`;
  const query = (sig: string, timestamp: string, nonce: string) => `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`;
  /** A signed app callback: the plaintext sealed, the envelope around it (optionally with a prolog). */
  const appPost = (plain: string, opts: { timestamp?: string; prolog?: string } = {}) => {
    const timestamp = opts.timestamp ?? now();
    const nonce = randomBytes(6).toString('hex');
    const s = app.seal(plain, timestamp, nonce);
    return post(`${t.url}/callbacks/wecom/app?${query(s.signature, timestamp, nonce)}`, envelope(s.encrypt, opts.prolog), { 'Content-Type': 'text/xml' });
  };
  const appRaw = (body: string, contentType = 'text/xml') =>
    post(`${t.url}/callbacks/wecom/app?${query('0'.repeat(40), now(), '1')}`, body, { 'Content-Type': contentType });
  const botPost = (plain: string, opts: { timestamp?: string } = {}) => {
    const timestamp = opts.timestamp ?? now();
    const nonce = randomBytes(6).toString('hex');
    const s = bot.seal(plain, timestamp, nonce);
    return post(`${t.url}/callbacks/wecom/bot?${query(s.signature, timestamp, nonce)}`, JSON.stringify({ encrypt: s.encrypt }), {
      'Content-Type': 'application/json',
    });
  };
  const botRaw = (body: string) => post(`${t.url}/callbacks/wecom/bot?${query('0'.repeat(40), now(), '1')}`, body, { 'Content-Type': 'application/json' });
  const botMsg = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      msgid: `m${Date.now()}${randomBytes(3).toString('hex')}`,
      aibotid: BOT.botId,
      chattype: 'single',
      from: { userid: 'wx-1' },
      msgtype: 'text',
      text: { content: '/帮助' },
      ...extra,
    });

  it('D11: a correctly signed app or bot callback ten minutes old (or ahead) is refused and changes nothing', async () => {
    const before = await inbox(t);
    for (const at of [Date.now() - 10 * 60_000, Date.now() + 10 * 60_000]) {
      const timestamp = String(Math.floor(at / 1000));
      expect((await appPost(appText('/帮助'), { timestamp })).status).toBe(401);
      expect((await botPost(botMsg(), { timestamp })).status).toBe(401);
    }
    expect(await inbox(t)).toBe(before);
    // The same, fresh, is accepted.
    expect((await appPost(appText('/帮助'))).status).toBe(200);
    expect((await botPost(botMsg())).status).toBe(200);
    expect(await inbox(t)).toBe(before + 2);
  });

  it('D9: the app callback: garbage and unsigned bodies are 401, a signed DOCTYPE is 400, 2 MB is 413, never a 500', async () => {
    const before = await inbox(t);
    const unsigned = [
      'garbage',
      '',
      '<xml></xml>',
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>',
      envelope('AAAA'),
      '{"encrypt":"x"}',
      '<xml><Encrypt><![CDATA[',
      '<' + 'a'.repeat(5000),
    ];
    for (const body of unsigned) {
      const r = await appRaw(body);
      expect([r.status, body.slice(0, 30)]).toEqual([401, body.slice(0, 30)]);
      expectRefusedOrIgnored(r, 'app unsigned');
    }
    const huge = await appRaw(`<xml><Encrypt><![CDATA[${big(2 * 1024 * 1024)}]]></Encrypt></xml>`);
    expect(huge.status).toBe(413);
    expectRefusedOrIgnored(huge, 'app 2 MB');
    // Signed, but with a DOCTYPE in the envelope or in the plaintext: refused, entities never expanded.
    const bomb = '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const doctypeOuter = await appPost(appText('/帮助'), { prolog: bomb });
    expect(doctypeOuter.status).toBe(400);
    expectRefusedOrIgnored(doctypeOuter, 'app doctype outer');
    const doctypeInner = await appPost(`${bomb}${appText('&b;')}`);
    expect(doctypeInner.status).toBe(400);
    expectRefusedOrIgnored(doctypeInner, 'app doctype inner');
    // Signed plaintexts that are not what WeCom sends: acknowledged and ignored.
    for (const plain of [
      'garbage',
      '',
      'null',
      '<xml>',
      '<xml><MsgType>text</MsgType></xml>',
      '<xml><MsgType><a>1</a></MsgType><MsgId>1</MsgId><FromUserName><b/></FromUserName></xml>',
    ]) {
      expectRefusedOrIgnored(await appPost(plain), `app plain ${plain}`);
    }
    tried['wecom-app'] = unsigned.length + 3 + 6;
    expect(await inbox(t)).toBe(before);
  });

  it('D9: the bot callback: non-JSON plaintext and odd payloads are acknowledged and ignored; garbage bodies refused; never a 500', async () => {
    const before = await inbox(t);
    const raws = ['garbage', '{', '[]', 'null', '{}', '{"encrypt":5}', '{"encrypt":{"a":1}}', JSON.stringify({ encrypt: big(2 * 1024 * 1024) })];
    for (const body of raws) expectRefusedOrIgnored(await botRaw(body), `bot raw ${body.slice(0, 30)}`);
    expect((await botRaw(JSON.stringify({ encrypt: big(2 * 1024 * 1024) }))).status).toBe(413);
    const plains = [
      'not json',
      '',
      'null',
      '[]',
      '"x"',
      '5',
      '{}',
      botMsg({ msgid: 5 }),
      botMsg({ from: 'wx-1' }),
      botMsg({ text: 'plain' }),
      botMsg({ msgtype: 'event', event: null }),
      botMsg({ chattype: 'group', chatid: { a: 1 } }),
    ];
    for (const plain of plains) {
      const r = await botPost(plain);
      expect([r.status, plain.slice(0, 30)]).toEqual([200, plain.slice(0, 30)]);
    }
    // Addressed to another bot or another corp: ignored.
    for (const plain of [botMsg({ aibotid: 'aibOTHER' }), botMsg({ from: { userid: 'wx-1', corpid: 'wwEVIL' } })])
      expect((await botPost(plain)).status).toBe(200);
    tried['wecom-bot'] = raws.length + 1 + plains.length + 2;
    expect(await inbox(t)).toBe(before);
  });
});
