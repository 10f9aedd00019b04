import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import { FakeWeCom } from '../../fakes/wecom';

/**
 * The fake's AI bot long connection, driven by the official @wecom/aibot-node-sdk WSClient over real sockets with
 * only `wsUrl` changed (PLATFORMS.md, 智能机器人). The fake runs on the real clock except where a test moves time.
 */

const CORP = 'ww1234567890abcdef';
const APP = { agentId: 1000002, secret: 'app-secret-0123456789', token: 'appToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const BOT = { botId: 'aibDubanBot01', secret: 'bot-secret-0123456789', token: 'botToken', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let fake: FakeWeCom;
let now: number | undefined;
const clients: WSClient[] = [];

async function start(extra: { members?: string[] } = {}): Promise<void> {
  fake = await FakeWeCom.start({ corpId: CORP, agents: [APP], aibot: { ...BOT }, now: () => now ?? Date.now(), ...extra });
}

function client(opts: { secret?: string; heartbeatInterval?: number } = {}): WSClient {
  const c = new WSClient({
    botId: BOT.botId,
    secret: opts.secret ?? BOT.secret,
    wsUrl: fake.aibotWsUrl,
    logger: silent,
    reconnectInterval: 20,
    maxReconnectAttempts: -1,
    maxAuthFailureAttempts: 1,
    heartbeatInterval: opts.heartbeatInterval ?? 30_000,
  });
  c.on('error', () => undefined); // the SDK emits 'error' on auth failure and when it gives up reconnecting
  clients.push(c);
  return c;
}

async function connected(c: WSClient = client()): Promise<WSClient> {
  const authenticated = next<void>(c, 'authenticated');
  c.connect();
  await authenticated;
  return c;
}

/** The next `event` from the client; rejects after 5 s so a missing frame fails fast instead of hanging. */
function next<T = WsFrame>(c: WSClient, event: string): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ${event} within 5 s`)), 5_000);
    (c as unknown as { once(e: string, f: (v: T) => void): void }).once(event, (v: T) => {
      clearTimeout(timer);
      ok(v);
    });
  });
}

const wsFrames = (cmd: string) => fake.received.filter((r) => r.method === 'WS' && r.path === cmd);

const CARD = {
  card_type: 'button_interaction',
  main_title: { title: '交办 DB2026-0001：报送半年总结', desc: '牵头：办公室' },
  task_id: 'assign_DB2026-0001',
  button_list: [
    { text: '签收', style: 1, key: 'sign' },
    { text: '申请退回', style: 2, key: 'return' },
  ],
};

beforeEach(() => {
  now = undefined;
});

afterEach(async () => {
  for (const c of clients.splice(0)) if (c.isConnected) c.disconnect();
  await fake?.stop();
});

describe('AI bot long connection with the real SDK', () => {
  it('subscribes with aibot_subscribe {bot_id, secret} and answers ping', async () => {
    await start();
    const c = await connected(client({ heartbeatInterval: 50 }));
    expect(fake.botConnections()).toBe(1);
    const sub = wsFrames('aibot_subscribe')[0];
    expect(sub.body).toEqual({ bot_id: BOT.botId, secret: BOT.secret });
    expect(sub.headers.req_id).toMatch(/^aibot_subscribe_/);
    expect(sub.response).toEqual({ headers: { req_id: sub.headers.req_id }, errcode: 0, errmsg: 'ok' });

    // The SDK drops a connection after two unanswered pings; three answered ones keep it up.
    await fake.waitFor(() => wsFrames('ping').length >= 3);
    expect(wsFrames('ping').every((p) => (p.response as { errcode: number }).errcode === 0 && /^ping_/.test(String(p.headers.req_id)))).toBe(true);
    expect(c.isConnected).toBe(true);
    expect(wsFrames('aibot_subscribe')).toHaveLength(1);
  });

  it('refuses a wrong secret with a non-zero errcode and closes; the SDK reports the auth failure', async () => {
    await start();
    const c = client({ secret: 'wrong' });
    const failed = next<Error>(c, 'error');
    c.connect();
    expect((await failed).message).toMatch(/Authentication failed/);
    expect(fake.botConnections()).toBe(0);
    expect((wsFrames('aibot_subscribe')[0].response as { errcode: number }).errcode).not.toBe(0);
  });

  it('pushes a group @-message with the mention kept, takes a streamed reply and a card, a click, and the card update', async () => {
    await start();
    const c = await connected();
    const gotText = next(c, 'message.text');
    const sent = await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /反馈 DB2026-0001 初稿已完成' });
    const frame = await gotText;
    expect(frame.cmd).toBe('aibot_msg_callback');
    expect(frame.headers.req_id).toBe(sent.reqId);
    expect(frame.body).toEqual({
      msgid: sent.msgId,
      aibotid: BOT.botId,
      chatid: 'wrGroupOffice',
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '@督办助手 /反馈 DB2026-0001 初稿已完成' },
    });

    await c.replyStream(frame, 'stream-1', '正在记录…', false);
    const ack = await c.replyStream(frame, 'stream-1', '已记录 DB2026-0001 的反馈', true);
    expect(ack).toMatchObject({ headers: { req_id: sent.reqId }, errcode: 0 });
    await c.replyTemplateCard(frame, CARD);
    expect(fake.groupMessages('wrGroupOffice')).toEqual([
      expect.objectContaining({ via: 'bot-reply', msgtype: 'stream', stream: { id: 'stream-1', finish: true, content: '已记录 DB2026-0001 的反馈' } }),
      expect.objectContaining({ via: 'bot-reply', msgtype: 'template_card', template_card: CARD }),
    ]);
    expect(fake.cards().get(CARD.task_id)).toMatchObject({ via: 'bot', chatId: 'wrGroupOffice' });

    const gotClick = next(c, 'event.template_card_event');
    const click = await fake.botCardClick({ chatId: 'wrGroupOffice', userId: 'lisi', taskId: CARD.task_id, eventKey: 'sign' });
    const event = await gotClick;
    expect(event.cmd).toBe('aibot_event_callback');
    expect(event.headers.req_id).toBe(click.reqId);
    expect(event.body).toEqual({
      msgid: click.msgId,
      create_time: expect.any(Number),
      aibotid: BOT.botId,
      chatid: 'wrGroupOffice',
      chattype: 'group',
      from: { userid: 'lisi' },
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'sign', task_id: CARD.task_id } },
    });

    const signed = { ...CARD, button_list: [{ text: '已签收（李四）', style: 2, key: 'signed' }] };
    await expect(c.updateTemplateCard(event, signed)).resolves.toMatchObject({ errcode: 0 });
    const card = fake.cards().get(CARD.task_id)!;
    expect(card.updates).toEqual([expect.objectContaining({ via: 'aibot_respond_update_msg', templateCard: signed })]);
    expect(card.current).toEqual(signed);
    expect(wsFrames('aibot_respond_update_msg')[0].body).toEqual({ response_type: 'update_template_card', template_card: signed });
    expect(fake.groupMessages('wrGroupOffice')).toHaveLength(3);
    // Only one update per click event.
    await expect(c.updateTemplateCard(event, signed)).rejects.toMatchObject({ errcode: expect.any(Number) });
  });

  it('refuses a card update sent more than 5 s after the click (fake clock) or with another task_id', async () => {
    now = Date.UTC(2026, 10, 20, 2, 0, 0);
    await start();
    const c = await connected();
    const gotText = next(c, 'message.text');
    await fake.botDirectText({ userId: 'zhangsan', text: '/查看 DB2026-0001' });
    const frame = await gotText;
    expect(frame.body).toMatchObject({ chattype: 'single', from: { userid: 'zhangsan' } });
    expect(frame.body).not.toHaveProperty('chatid');
    await c.replyTemplateCard(frame, CARD);
    expect(fake.userMessages('zhangsan')).toEqual([expect.objectContaining({ msgtype: 'template_card' })]);

    const gotClick = next(c, 'event.template_card_event');
    await fake.botCardClick({ userId: 'zhangsan', taskId: CARD.task_id, eventKey: 'sign' });
    const event = await gotClick;
    await expect(c.updateTemplateCard(event, { ...CARD, task_id: 'another_task' })).rejects.toMatchObject({ errcode: expect.any(Number) });
    now += 5_001;
    const late = await c.updateTemplateCard(event, { ...CARD, main_title: { title: '迟到的更新' } }).catch((e: unknown) => e);
    expect(late).toMatchObject({ errcode: expect.any(Number), errmsg: expect.stringContaining('5 seconds') });
    expect((late as { errcode: number }).errcode).not.toBe(0);
    expect(fake.cards().get(CARD.task_id)!.updates).toEqual([]);
  });

  it('takes a welcome message for enter_chat', async () => {
    await start();
    const c = await connected();
    const got = next(c, 'event.enter_chat');
    await fake.botEnterChat('zhangsan');
    const event = await got;
    await expect(c.replyWelcome(event, { msgtype: 'text', text: { content: '您好，我是督办助手' } })).resolves.toMatchObject({ errcode: 0 });
    expect(fake.userMessages('zhangsan')).toEqual([expect.objectContaining({ via: 'bot-welcome', text: { content: '您好，我是督办助手' } })]);
  });

  it('replies only to a req_id it pushed', async () => {
    await start();
    const c = await connected();
    const bogus = { cmd: 'aibot_msg_callback', headers: { req_id: 'never-pushed' }, body: {} } as unknown as WsFrame;
    await expect(c.replyStream(bogus, 's', 'x', true)).rejects.toMatchObject({ errcode: expect.any(Number) });
    expect(fake.groupMessages('wrGroupOffice')).toEqual([]);
  });

  it('sendMessage pushes markdown and cards into a group or a one-to-one chat', async () => {
    await start({ members: ['zhangsan', 'leader01'] });
    const c = await connected();
    await expect(c.sendMessage('wrGroupFinance', { msgtype: 'markdown', markdown: { content: '**催办**：DB2026-0003 今日到期' } })).resolves.toMatchObject({
      errcode: 0,
    });
    await c.sendMessage('leader01', { msgtype: 'template_card', template_card: { ...CARD, task_id: 'review_DB2026-0003' } } as never);
    const send = wsFrames('aibot_send_msg')[0];
    expect(send.body).toEqual({ chatid: 'wrGroupFinance', msgtype: 'markdown', markdown: { content: '**催办**：DB2026-0003 今日到期' } });
    expect(String(send.headers.req_id)).toMatch(/^aibot_send_msg_/);
    expect(fake.groupMessages('wrGroupFinance')).toEqual([expect.objectContaining({ via: 'bot-send', msgtype: 'markdown' })]);
    expect(fake.userMessages('leader01')).toEqual([expect.objectContaining({ via: 'bot-send', msgtype: 'template_card' })]);
    expect(fake.cards().get('review_DB2026-0003')).toMatchObject({ via: 'bot', touser: 'leader01' });
    await expect(
      c.sendMessage('wrGroupFinance', { msgtype: 'template_card', template_card: { card_type: 'button_interaction', task_id: 'bad id' } } as never),
    ).rejects.toMatchObject({ errcode: expect.any(Number) });
  });

  it('uploadMedia (init → chunks → finish) gives a media_id an image message may name; an unknown media_id is refused (issue 14)', async () => {
    await start();
    const c = await connected();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(700 * 1024, 3)]); // two chunks
    const { media_id } = await c.uploadMedia(png, { type: 'image', filename: 'chart.png' });
    expect(fake.media(media_id).equals(png)).toBe(true);
    await expect(c.sendMediaMessage('wrGroupFinance', 'image', media_id)).resolves.toMatchObject({ errcode: 0 });
    expect(fake.groupMessages('wrGroupFinance')).toEqual([expect.objectContaining({ via: 'bot-send', msgtype: 'image', image: { media_id } })]);
    await expect(c.sendMediaMessage('wrGroupFinance', 'image', 'no-such-media')).rejects.toMatchObject({ errcode: expect.any(Number) });
    await expect(c.uploadMedia(Buffer.from('GIF89a'), { type: 'image', filename: 'x.gif' })).rejects.toBeDefined();
  });

  it('a second connection evicts the first with disconnected_event; the first does not come back', async () => {
    await start();
    const first = await connected();
    const evicted = next(first, 'event.disconnected_event');
    const gone = next<string>(first, 'disconnected');
    const second = await connected(client());
    const frame = await evicted;
    expect(frame).toMatchObject({ cmd: 'aibot_event_callback', body: { aibotid: BOT.botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } } });
    expect(await gone).toMatch(/New connection/);
    expect(first.isConnected).toBe(false);
    expect(fake.botConnections()).toBe(1);

    const onFirst: WsFrame[] = [];
    first.on('message.text', (f: WsFrame) => onFirst.push(f));
    const toSecond = next(second, 'message.text');
    await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /列表' });
    await toSecond;
    expect(onFirst).toEqual([]);
    expect(wsFrames('aibot_subscribe')).toHaveLength(2);
  });

  it('when the connection drops the SDK reconnects and messages flow again; nothing is pushed while nobody listens', async () => {
    await start();
    const c = await connected();
    const reauthenticated = next<void>(c, 'authenticated');
    fake.dropBotConnection();
    const missed = await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /列表' });
    expect(missed.delivered).toBe(false);
    await reauthenticated;
    expect(fake.botConnections()).toBe(1);
    const got = next(c, 'message.text');
    const sent = await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /列表 again' });
    expect((await got).body.msgid).toBe(sent.msgId);
    expect(wsFrames('aibot_subscribe')).toHaveLength(2);
  });
});
