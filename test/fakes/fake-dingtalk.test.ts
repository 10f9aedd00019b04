import { EventAck, type DWClientDownStream } from 'dingtalk-stream';
import { WebSocket } from 'ws';
import { FakeDingTalk, TOPIC_CARD, TOPIC_ROBOT } from '../../fakes/dingtalk';
import { StreamClientAt } from './fake-stream-client';

/**
 * The fake's Stream side, driven by the official dingtalk-stream SDK over real sockets (PLATFORMS.md, Stream mode).
 * The fake and the client run on the real clock except where a test needs to move time.
 */

const APP = { clientId: 'dingfaketest', clientSecret: 'fake-secret-0123456789' };

let fake: FakeDingTalk;
const clients: StreamClientAt[] = [];

async function connectedClient(register: (c: StreamClientAt) => void = () => undefined): Promise<StreamClientAt> {
  const before = fake.connections();
  const client = new StreamClientAt(fake.apiBase, APP);
  clients.push(client);
  register(client);
  await client.connect();
  await fake.waitFor(() => fake.connections() > before);
  return client;
}

const dataOf = (frame: DWClientDownStream) => JSON.parse(frame.data) as Record<string, unknown>;

beforeEach(() => {
  // The SDK prints "connect success" / "Disconnecting." on every connection.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.shutdown();
  await fake?.stop();
  jest.restoreAllMocks();
});

describe('Stream gateway with the real SDK', () => {
  it('hands a group @-message to the client as a CALLBACK frame and takes its ACK', async () => {
    fake = await FakeDingTalk.start(APP);
    const frames: DWClientDownStream[] = [];
    const client = await connectedClient((c) =>
      c.registerCallbackListener(TOPIC_ROBOT, (frame) => {
        frames.push(frame);
        c.socketCallBackResponse(frame.headers.messageId, null);
      }),
    );

    const handshake = fake.received.find((r) => r.path === '/v1.0/gateway/connections/open')!;
    expect(handshake.headers.accept).toContain('application/json');
    expect(handshake.body).toMatchObject({ clientId: APP.clientId, subscriptions: expect.arrayContaining([{ type: 'CALLBACK', topic: TOPIC_ROBOT }]) });

    const sent = await fake.sendGroupText({
      conversationId: 'cidGroupA',
      conversationTitle: '办公室',
      senderStaffId: 'user001',
      senderNick: '张三',
      text: '/签收 DB2026-0001',
    });
    await fake.waitFor(() => frames.length === 1);
    const frame = frames[0];
    expect(frame).toMatchObject({ specVersion: '1.0', type: 'CALLBACK' });
    expect(frame.headers).toMatchObject({ appId: fake.appId, contentType: 'application/json', messageId: sent.messageId, topic: TOPIC_ROBOT });
    expect(frame.headers.connectionId).toEqual(expect.any(String));
    expect(Number(frame.headers.time)).toBeGreaterThan(0);

    const data = dataOf(frame);
    expect(data).toMatchObject({
      conversationId: 'cidGroupA',
      conversationType: '2',
      conversationTitle: '办公室',
      msgId: sent.msgId,
      senderStaffId: 'user001',
      senderNick: '张三',
      isInAtList: true,
      robotCode: APP.clientId,
      msgtype: 'text',
      text: { content: ' /签收 DB2026-0001' },
    });
    expect(data.atUsers).toEqual([{ dingtalkId: data.chatbotUserId }]);
    expect(String(data.sessionWebhook)).toMatch(new RegExp(`^${fake.oapiBase}/robot/sendBySession\\?session=`));
    expect(Number(data.sessionWebhookExpiredTime) - Number(data.createAt)).toBe(90 * 60 * 1000);

    await fake.waitFor(() => fake.acks.find((a) => a.messageId === sent.messageId));
    expect(fake.acks[0].body).toEqual({ response: null });
    expect(fake.unackedMessageIds()).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it('one-to-one messages are conversationType "1" with no mention fields and no leading space', async () => {
    fake = await FakeDingTalk.start(APP);
    const frames: DWClientDownStream[] = [];
    await connectedClient((c) => c.registerCallbackListener(TOPIC_ROBOT, (f) => frames.push(f)));
    await fake.sendDirectText({ senderStaffId: 'user002', text: '/我的' });
    await fake.waitFor(() => frames.length === 1);
    const data = dataOf(frames[0]);
    expect(data).toMatchObject({ conversationType: '1', senderStaffId: 'user002', text: { content: '/我的' } });
    expect(data).not.toHaveProperty('isInAtList');
    expect(data).not.toHaveProperty('conversationTitle');
  });

  it('re-pushes an unACKed frame with the same messageId and payload, and stops once it is ACKed', async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 200 });
    const frames: DWClientDownStream[] = [];
    await connectedClient((c) =>
      c.registerCallbackListener(TOPIC_ROBOT, (frame) => {
        frames.push(frame);
        // Ignore the first delivery, as a client that crashed mid-handler would.
        if (frames.length === 2) c.socketCallBackResponse(frame.headers.messageId, null);
      }),
    );
    const sent = await fake.sendGroupText({ conversationId: 'cidGroupA', senderStaffId: 'user001', text: '/帮助' });
    await fake.waitFor(() => frames.length >= 2);
    await fake.waitFor(() => fake.unackedMessageIds().length === 0);
    expect(frames[1].headers.messageId).toBe(sent.messageId);
    expect(frames[1].data).toBe(frames[0].data);
    const pushes = fake.pushes.filter((p) => p.messageId === sent.messageId);
    expect(pushes.map((p) => p.attempt)).toEqual([1, 2]);
  });

  it('with duplicateRate 1 sends each push a second time even after the ACK; resend() replays it once more', async () => {
    fake = await FakeDingTalk.start({ ...APP, duplicateRate: 1 });
    const frames: DWClientDownStream[] = [];
    await connectedClient((c) =>
      c.registerCallbackListener(TOPIC_ROBOT, (f) => {
        frames.push(f);
        c.socketCallBackResponse(f.headers.messageId, null);
      }),
    );
    const sent = await fake.sendGroupText({ conversationId: 'cidGroupA', senderStaffId: 'user001', text: '/帮助' });
    await fake.waitFor(() => frames.length === 2);
    expect(frames.map((f) => f.headers.messageId)).toEqual([sent.messageId, sent.messageId]);
    expect(fake.pushes.map((p) => p.duplicate)).toEqual([false, true]);

    fake.resend(sent.messageId);
    await fake.waitFor(() => frames.length === 3);
    expect(frames[2].data).toBe(frames[0].data);
  });

  it('a card button click arrives as actionCallback and the ACK response becomes the card state', async () => {
    fake = await FakeDingTalk.start(APP);
    const clicks: Record<string, unknown>[] = [];
    await connectedClient((c) =>
      c.registerCallbackListener(TOPIC_CARD, (frame) => {
        clicks.push(dataOf(frame));
        c.socketCallBackResponse(frame.headers.messageId, {
          cardData: { cardParamMap: { status: '已签收' } },
          userPrivateData: { cardParamMap: { canSign: 'false' } },
          cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
        });
      }),
    );
    const token = await accessToken();
    const created = await fetch(`${fake.apiBase}/v1.0/card/instances/createAndDeliver`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': token },
      body: JSON.stringify({
        cardTemplateId: 'tpl.assign',
        outTrackId: 'item-1-unit-7',
        callbackType: 'STREAM',
        cardData: { cardParamMap: { title: '督办事项', status: '待签收' } },
        openSpaceId: 'dtv1.card//IM_GROUP.cidGroupA',
        imGroupOpenDeliverModel: { robotCode: APP.clientId },
      }),
    });
    expect(created.status).toBe(200);

    const click = await fake.clickCardButton({ outTrackId: 'item-1-unit-7', userId: 'user001', actionId: 'sign', params: { item: 'DB2026-0001' } });
    await expect(click.ack).resolves.toMatchObject({ cardData: { cardParamMap: { status: '已签收' } } });
    expect(clicks[0]).toEqual({
      type: 'actionCallback',
      outTrackId: 'item-1-unit-7',
      corpId: expect.any(String),
      userId: 'user001',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['sign'], params: { item: 'DB2026-0001' } } }),
      spaceType: 'IM_GROUP',
      spaceId: 'cidGroupA',
      userIdType: 1,
    });
    const card = fake.cards().get('item-1-unit-7')!;
    expect(card.cardParamMap).toEqual({ title: '督办事项', status: '已签收' });
    expect(card.privateData).toEqual({ user001: { cardParamMap: { canSign: 'false' } } });
    expect(card.updates).toBe(1);
  });

  it('a card click not ACKed within cardCallbackTimeoutMs rejects `ack`, and a late ACK leaves the card alone', async () => {
    fake = await FakeDingTalk.start({ ...APP, cardCallbackTimeoutMs: 100 });
    const pending: DWClientDownStream[] = [];
    const client = await connectedClient((c) => c.registerCallbackListener(TOPIC_CARD, (f) => pending.push(f)));
    const t = await accessToken();
    await fetch(`${fake.apiBase}/v1.0/card/instances/createAndDeliver`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': t },
      body: JSON.stringify({
        cardTemplateId: 'tpl',
        outTrackId: 'slow-card',
        callbackType: 'STREAM',
        cardData: { cardParamMap: { status: '待签收' } },
        openSpaceId: 'dtv1.card//IM_ROBOT.user001',
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' },
      }),
    });
    const click = await fake.clickCardButton({ outTrackId: 'slow-card', userId: 'user001', actionId: 'sign' });
    await expect(click.ack).rejects.toThrow(/no ACK/);
    await fake.waitFor(() => pending.length > 0);
    client.socketCallBackResponse(pending[0].headers.messageId, { cardData: { cardParamMap: { status: '已签收' } } });
    await fake.waitFor(() => fake.acks.length === 1);
    expect(fake.cards().get('slow-card')).toMatchObject({ cardParamMap: { status: '待签收' }, updates: 0 });
  });

  it('EVENT frames are auto-ACKed by the SDK; an ACK with status LATER gets the event pushed again', async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 100 });
    const seen: DWClientDownStream[] = [];
    await connectedClient((c) =>
      c.registerAllEventListener((msg) => {
        seen.push(msg);
        return { status: seen.length === 1 ? EventAck.LATER : EventAck.SUCCESS };
      }),
    );
    const messageId = fake.pushEvent({ eventType: 'chat_update_title', data: { chatId: 'chat1', title: '新群名' } });
    await fake.waitFor(() => fake.acks.filter((a) => a.messageId === messageId).length === 2);
    expect(seen.map((f) => f.headers.messageId)).toEqual([messageId, messageId]);
    expect(seen[0].headers).toMatchObject({ eventType: 'chat_update_title', eventCorpId: expect.any(String), eventId: expect.any(String) });
    expect(fake.acks.map((a) => a.body)).toEqual([{ status: 'LATER' }, { status: 'SUCCESS' }]);
    expect(fake.unackedMessageIds()).toEqual([]);
  });

  it('with two connections open, pushes are spread over both', async () => {
    fake = await FakeDingTalk.start(APP);
    const byClient: string[] = [];
    const listen = (name: string) => (c: StreamClientAt) =>
      c.registerCallbackListener(TOPIC_ROBOT, (f) => {
        byClient.push(name);
        c.socketCallBackResponse(f.headers.messageId, null);
      });
    await connectedClient(listen('a'));
    await connectedClient(listen('b'));
    for (let i = 0; i < 30; i++) await fake.sendDirectText({ senderStaffId: 'user001', text: `/查询 ${i}` });
    await fake.waitFor(() => byClient.length === 30);
    // Random choice: both see some of 30 pushes unless the fake always picks one (chance ~2e-9).
    expect(new Set(byClient)).toEqual(new Set(['a', 'b']));
  });

  it('the SDK echoes a SYSTEM ping with the same headers and data', async () => {
    fake = await FakeDingTalk.start(APP);
    await connectedClient();
    const echoes = (await fake.ping()) as { code: number; headers: Record<string, string>; data: string }[];
    expect(echoes).toHaveLength(1);
    expect(echoes[0].code).toBe(200);
    expect(echoes[0].headers.topic).toBe('ping');
    expect(JSON.parse(echoes[0].data)).toEqual({ opaque: expect.any(String) });
  });

  it('after a SYSTEM disconnect and after a dropped socket the SDK comes back with a fresh ticket', async () => {
    fake = await FakeDingTalk.start({ ...APP, disconnectCloseAfterMs: 100 });
    await connectedClient();
    const handshakes = () => fake.received.filter((r) => r.path === '/v1.0/gateway/connections/open').length;

    fake.sendDisconnect();
    await fake.waitFor(() => handshakes() === 2 && fake.connections() === 1);
    fake.dropConnections();
    await fake.waitFor(() => handshakes() === 3 && fake.connections() === 1);
    const tickets = fake.received.filter((r) => r.path === '/v1.0/gateway/connections/open').map((r) => (r.response as { ticket: string }).ticket);
    expect(new Set(tickets).size).toBe(3);
  });
});

describe('Stream handshake and tickets', () => {
  const open = (accept = 'application/json', creds = APP) =>
    fetch(`${fake.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: accept },
      body: JSON.stringify({ ...creds, ua: '', subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }] }),
    });

  function tryConnect(url: string): Promise<{ opened: boolean; status?: number }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.on('open', () => {
        resolve({ opened: true });
        ws.close();
      });
      ws.on('unexpected-response', (req, res) => {
        resolve({ opened: false, status: res.statusCode });
        req.destroy();
      });
      ws.on('error', () => resolve({ opened: false }));
    });
  }

  it('a ticket opens one connection; reused, unknown or older than 90 s it is refused', async () => {
    let now = Date.now();
    fake = await FakeDingTalk.start({ ...APP, now: () => now });
    const { endpoint, ticket } = (await (await open()).json()) as { endpoint: string; ticket: string };
    expect(endpoint).toBe(`${fake.apiBase.replace('http', 'ws')}/connect`);

    expect(await tryConnect(`${endpoint}?ticket=${ticket}`)).toEqual({ opened: true });
    expect(await tryConnect(`${endpoint}?ticket=${ticket}`)).toEqual({ opened: false, status: 401 });
    expect(await tryConnect(`${endpoint}?ticket=not-a-ticket`)).toEqual({ opened: false, status: 401 });

    const late = (await (await open()).json()) as { ticket: string };
    now += 91_000;
    expect(await tryConnect(`${endpoint}?ticket=${late.ticket}`)).toEqual({ opened: false, status: 401 });
  });

  it('wrong credentials get 400 invalidClientIdOrSecret; without Accept: application/json the answer is XML', async () => {
    fake = await FakeDingTalk.start(APP);
    const bad = await open('application/json', { ...APP, clientSecret: 'wrong' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalidClientIdOrSecret' });
    const xml = await open('*/*');
    expect(xml.headers.get('content-type')).toContain('xml');
    expect(await xml.text()).toMatch(/^<OpenConnectionResponse>/);
  });
});

async function accessToken(): Promise<string> {
  const res = await fetch(`${fake.apiBase}/v1.0/oauth2/accessToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ appKey: APP.clientId, appSecret: APP.clientSecret }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}
