import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDingTalk } from '../../fakes/dingtalk';

/**
 * The fake's HTTP side over real sockets with plain fetch: tokens, cards, robot sends, the custom-robot webhook and
 * the HTTP callback sender. Time is a variable the tests move, never a wait.
 */

const APP = { clientId: 'dingfaketest', clientSecret: 'fake-secret-0123456789' };
const WEBHOOK = { accessToken: 'hooktoken1', secret: 'SEC0123456789abcdef', conversationId: 'cidBroadcast' };

let now = Date.UTC(2026, 10, 20, 2, 0, 0);
let fake: FakeDingTalk;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 20, 2, 0, 0);
  fake = await FakeDingTalk.start({ ...APP, tokenTtlSeconds: 2, customRobots: [WEBHOOK], now: () => now });
});

afterEach(async () => {
  await fake.stop();
});

async function call(method: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers['x-acs-dingtalk-access-token'] = token;
  const res = await fetch(`${fake.apiBase}${path}`, { method, headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function token(): Promise<string> {
  const res = await call('POST', '/v1.0/oauth2/accessToken', { appKey: APP.clientId, appSecret: APP.clientSecret });
  return res.body.accessToken as string;
}

/** The documented recipe, computed here independently of the fake's own helper. */
const hmac = (key: string, ts: number | string) => createHmac('sha256', key).update(`${ts}\n${key}`).digest('base64');

describe('access tokens', () => {
  it('expire after tokenTtlSeconds: new APIs then answer 400 InvalidAuthentication, oapi 200 errcode 40014', async () => {
    const first = await call('POST', '/v1.0/oauth2/accessToken', { appKey: APP.clientId, appSecret: APP.clientSecret });
    expect(first.body).toEqual({ accessToken: expect.any(String), expireIn: 2 });
    const t = first.body.accessToken as string;
    const legacy = await (await fetch(`${fake.oapiBase}/gettoken?appkey=${APP.clientId}&appsecret=${APP.clientSecret}`)).json();
    expect(legacy).toMatchObject({ errcode: 0, access_token: t, expires_in: 2 });

    expect((await call('PUT', '/v1.0/card/instances', { outTrackId: 'none' }, t)).body.code).toBe('param.cardNotExist');
    now += 2_001;
    const expired = await call('PUT', '/v1.0/card/instances', { outTrackId: 'none' }, t);
    expect(expired).toMatchObject({ status: 400, body: { code: 'InvalidAuthentication' } });
    const oapi = await fetch(`${fake.oapiBase}/topapi/v2/user/get?access_token=${t}`, { method: 'POST', body: JSON.stringify({ userid: 'u1' }) });
    expect(oapi.status).toBe(200);
    expect(await oapi.json()).toMatchObject({ errcode: 40014 });

    const fresh = await token();
    expect(fresh).not.toBe(t);
    expect((await call('PUT', '/v1.0/card/instances', { outTrackId: 'none' }, fresh)).body.code).toBe('param.cardNotExist');
    fake.expireAllTokens();
    expect((await call('PUT', '/v1.0/card/instances', { outTrackId: 'none' }, fresh)).body.code).toBe('InvalidAuthentication');
  });

  it('wrong app credentials get 400 invalidClientIdOrSecret', async () => {
    const res = await call('POST', '/v1.0/oauth2/accessToken', { appKey: APP.clientId, appSecret: 'nope' });
    expect(res).toMatchObject({ status: 400, body: { code: 'invalidClientIdOrSecret' } });
  });
});

describe('interactive cards', () => {
  const card = (over: Record<string, unknown> = {}) => ({
    cardTemplateId: 'tpl.assign',
    outTrackId: 'item-1-unit-7',
    callbackType: 'STREAM',
    cardData: { cardParamMap: { title: '督办事项', status: '待签收', deadline: '2026-11-30' } },
    openSpaceId: 'dtv1.card//IM_GROUP.cidGroupA',
    imGroupOpenSpaceModel: { supportForward: true },
    imGroupOpenDeliverModel: { robotCode: APP.clientId, atUserIds: { user001: '张三' } },
    userIdType: 1,
    ...over,
  });

  it('createAndDeliver, update by key and by overwrite; a reused outTrackId gets param.cardAlreadyExist', async () => {
    const t = await token();
    const created = await call('POST', '/v1.0/card/instances/createAndDeliver', card(), t);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      success: true,
      result: {
        outTrackId: 'item-1-unit-7',
        deliverResults: [{ spaceType: 'IM_GROUP', spaceId: 'cidGroupA', success: true, carrierId: expect.any(String), errorMsg: '' }],
      },
    });
    expect(fake.groupMessages('cidGroupA')).toEqual([expect.objectContaining({ via: 'card', outTrackId: 'item-1-unit-7' })]);

    const merged = await call(
      'PUT',
      '/v1.0/card/instances',
      { outTrackId: 'item-1-unit-7', cardData: { cardParamMap: { status: '已签收' } }, cardUpdateOptions: { updateCardDataByKey: true } },
      t,
    );
    expect(merged.body).toEqual({ success: true, result: true });
    expect(fake.cards().get('item-1-unit-7')!.cardParamMap).toEqual({ title: '督办事项', status: '已签收', deadline: '2026-11-30' });

    await call('PUT', '/v1.0/card/instances', { outTrackId: 'item-1-unit-7', cardData: { cardParamMap: { status: '已办结' } } }, t);
    expect(fake.cards().get('item-1-unit-7')).toMatchObject({ cardParamMap: { status: '已办结' }, updates: 2 });

    const again = await call('POST', '/v1.0/card/instances/createAndDeliver', card(), t);
    expect(again).toMatchObject({ status: 400, body: { code: 'param.cardAlreadyExist' } });
  });

  it('rejects bad open spaces and non-string values; reports a failed target inside a 200', async () => {
    const t = await token();
    expect((await call('POST', '/v1.0/card/instances/createAndDeliver', card({ openSpaceId: 'IM_GROUP.cidGroupA' }), t)).body.code).toBe(
      'param.openSpaceIdInvalid',
    );
    const numeric = await call('POST', '/v1.0/card/instances/createAndDeliver', card({ outTrackId: 'n', cardData: { cardParamMap: { count: 3 } } }), t);
    expect(numeric.status).toBe(400);
    const big = await call(
      'POST',
      '/v1.0/card/instances/createAndDeliver',
      card({ outTrackId: 'b', cardData: { cardParamMap: { text: '办'.repeat(400) } } }),
      t,
    );
    expect(big.status).toBe(400);
    expect((await call('POST', '/v1.0/card/instances/createAndDeliver', card({ cardTemplateId: '' }), t)).status).toBe(400);

    const oneToOne = await call(
      'POST',
      '/v1.0/card/instances/createAndDeliver',
      card({ outTrackId: 'r1', openSpaceId: 'dtv1.card//IM_ROBOT.user009', imGroupOpenDeliverModel: undefined }),
      t,
    );
    expect(oneToOne.status).toBe(200);
    expect((oneToOne.body.result as { deliverResults: { success: boolean }[] }).deliverResults[0].success).toBe(false);
    expect(fake.directMessages('user009')).toEqual([]);
  });
});

describe('app robot sends and flow control', () => {
  const groupSend = (t: string) =>
    call(
      'POST',
      '/v1.0/robot/groupMessages/send',
      { robotCode: APP.clientId, openConversationId: 'cidGroupA', msgKey: 'sampleText', msgParam: JSON.stringify({ content: '已签收' }) },
      t,
    );

  it('answers 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi when told to and above 20 calls a second', async () => {
    const t = await token();
    fake.throttleNext('/v1.0/robot/groupMessages/send', 1);
    expect(await groupSend(t)).toMatchObject({ status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' } });

    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await groupSend(t)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(403);
    now += 1_000;
    expect((await groupSend(t)).status).toBe(200);
    expect(fake.groupMessages('cidGroupA')).toHaveLength(21);
  });

  it('batchSend takes at most 20 users and reports flow-controlled users with HTTP 200', async () => {
    const t = await token();
    const body = (userIds: string[]) => ({
      robotCode: APP.clientId,
      userIds,
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: '审定', text: '请审定' }),
    });
    const tooMany = await call('POST', '/v1.0/robot/oToMessages/batchSend', body(Array.from({ length: 21 }, (_, i) => `u${i}`)), t);
    expect(tooMany.status).toBe(400);
    fake.flowControlUser('u2', 1);
    const ok = await call('POST', '/v1.0/robot/oToMessages/batchSend', body(['u1', 'u2']), t);
    expect(ok.body).toMatchObject({ processQueryKey: expect.any(String), invalidStaffIdList: [], flowControlledStaffIdList: ['u2'] });
    expect(fake.directMessages('u1')).toHaveLength(1);
    expect(fake.directMessages('u2')).toHaveLength(0);
  });
});

describe('replies through a sessionWebhook', () => {
  it('lands in the conversation of the message it came with, until it expires', async () => {
    const msg = fake.groupTextPayload({ conversationId: 'cidGroupA', senderStaffId: 'user001', text: '/我的' });
    const reply = (body: object) =>
      fetch(String(msg.sessionWebhook), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    expect(await reply({ msgtype: 'markdown', markdown: { title: '我的事项', text: '共 2 项' } })).toMatchObject({ errcode: 0 });
    expect(fake.groupMessages('cidGroupA')).toEqual([expect.objectContaining({ via: 'session', msgtype: 'markdown' })]);
    now += 91 * 60 * 1000;
    expect(await reply({ msgtype: 'text', text: { content: '晚了' } })).not.toMatchObject({ errcode: 0 });
  });
});

describe('custom robot webhook', () => {
  const post = (body: object, ts = now, sign = hmac(WEBHOOK.secret, ts)) =>
    fetch(`${fake.oapiBase}/robot/send?access_token=${WEBHOOK.accessToken}&timestamp=${ts}&sign=${encodeURIComponent(sign)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { errcode: number; errmsg: string } }));
  const text = (content: string, msgUuid?: string) => ({ msgtype: 'text', text: { content }, ...(msgUuid ? { msgUuid } : {}) });

  it('checks the HMAC sign and the 1 h timestamp window (310000, HTTP 200)', async () => {
    expect((await post(text('通报'))).body.errcode).toBe(0);
    expect(await post(text('通报'), now, hmac('wrong-secret', now))).toMatchObject({ status: 200, body: { errcode: 310000 } });
    const stale = now - 61 * 60 * 1000;
    expect((await post(text('通报'), stale, hmac(WEBHOOK.secret, stale))).body.errcode).toBe(310000);
    expect(fake.groupMessages('cidBroadcast')).toHaveLength(1);
  });

  it('the 21st message within a minute gets 410100 and the robot stays throttled for 10 minutes', async () => {
    for (let i = 0; i < 20; i++) expect((await post(text(`第${i}条`))).body.errcode).toBe(0);
    expect((await post(text('第21条'))).body.errcode).toBe(410100);
    now += 61_000;
    expect((await post(text('一分钟后'))).body.errcode).toBe(410100);
    now += 10 * 60 * 1000;
    expect((await post(text('十分钟后'))).body.errcode).toBe(0);
    expect(fake.groupMessages('cidBroadcast')).toHaveLength(21);
  });

  it('a repeated msgUuid is accepted once', async () => {
    expect((await post(text('通报', 'uuid-1'))).body.errcode).toBe(0);
    expect((await post(text('通报', 'uuid-1'))).body.errcode).toBe(0);
    expect(fake.groupMessages('cidBroadcast')).toHaveLength(1);
  });
});

describe('HTTP callback mode', () => {
  let receiver: Server;
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeEach(async () => {
    got.length = 0;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', () => ok()));
    fake.setHttpCallbackUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/dingtalk`);
  });

  afterEach(() => new Promise<void>((ok) => receiver.close(() => ok())));

  it('signs with timestamp + "\\n" + appSecret; a forged sign differs from the real one', async () => {
    const payload = fake.groupTextPayload({ conversationId: 'cidGroupA', senderStaffId: 'user001', text: '/查询 DB2026-0001' });
    const real = await fake.postHttpCallback(payload, { timestampMs: now });
    const forged = await fake.postHttpCallback(payload, { timestampMs: now, forgeSign: true });
    expect(real).toEqual({ status: 200, body: {} });
    expect(got).toHaveLength(2);
    expect(got[0].headers.timestamp).toBe(String(now));
    expect(got[0].headers.sign).toBe(hmac(APP.clientSecret, now));
    expect(got[1].headers.sign).not.toBe(got[0].headers.sign);
    expect(forged.status).toBe(200); // the receiver here does not check; the adapter's tests do
    expect(JSON.parse(got[0].body)).toEqual(payload);
  });
});
