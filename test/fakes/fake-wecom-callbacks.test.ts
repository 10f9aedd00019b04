import { createDecipheriv } from 'node:crypto';
import * as wecomCrypto from '@wecom/crypto';
import { CallbackCrypto, decrypt, encrypt, FakeWeCom, signature } from '../../fakes/wecom';
import { Receiver, type ReceivedRequest } from './wecom-receiver';

/**
 * Callback crypto against Tencent's published vectors, and the callbacks the fake sends (self-built app XML, AI bot
 * API-mode JSON, URL verification, retries), read back with the fake's crypto AND with the independent
 * `@wecom/crypto`, over real sockets.
 */

const CORP = 'ww1234567890abcdef';
const APP = { agentId: 1000002, secret: 'app-secret-0123456789', token: 'appToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const BOT = { botId: 'aibDubanBot01', secret: 'bot-secret-0123456789', token: 'botToken', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };

describe("Tencent's published vectors", () => {
  it('URL-verification echostr (doc sample): signature 5c45ff5e…, message 1616140317555161061, receiveid wx5823bf96d3bd56c7', () => {
    const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
    expect(signature('QDG6eK', '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(decrypt('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', echostr)).toMatchObject({ message: '1616140317555161061', receiveId: 'wx5823bf96d3bd56c7' });
  });

  it('weworkapi Sample.py GET vector verifies and decrypts', () => {
    const echostr = 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
    const c = new CallbackCrypto('hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', 'ww1436e0e65a779aee');
    expect(c.open('012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb', '1476416373', '47744683', echostr)).toBe('1288432023552776189');
  });

  it("weworkapi Sample.py POST vector (22 bytes of padding) verifies and decrypts, where Node's own unpadding throws", () => {
    const enc =
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+';
    const key = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
    expect(signature('hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', '1476422779', '1597212914', enc)).toBe('0c3914025cb4b4d68103f6bfc8db550f79dcf48e');
    const d = decrypt(key, enc);
    expect(d.pad).toBe(22);
    expect(d.receiveId).toBe('ww1436e0e65a779aee');
    expect(d.message).toContain('<Content>你好</Content>');
    expect(d.message).toContain('<MsgId>1456453720</MsgId>');

    const raw = Buffer.from(`${key}=`, 'base64');
    const node = createDecipheriv('aes-256-cbc', raw, raw.subarray(0, 16));
    expect(() => Buffer.concat([node.update(enc, 'base64'), node.final()])).toThrow();
  });

  it('round-trips with @wecom/crypto both ways, for every padding length', () => {
    const key = APP.encodingAESKey;
    for (let n = 0; n < 70; n++) {
      const msg = '督'.repeat(n % 7) + 'x'.repeat(n);
      const ours = encrypt(key, msg, CORP);
      expect(wecomCrypto.decrypt(key, ours)).toMatchObject({ message: msg, id: CORP });
      expect(decrypt(key, wecomCrypto.encrypt(key, msg, ''))).toMatchObject({ message: msg, receiveId: '' });
      expect(signature('t', '1', '2', ours)).toBe(wecomCrypto.getSignature('t', '1', '2', ours));
    }
  });

  it('refuses a wrong signature and a wrong receiveid', () => {
    const c = new CallbackCrypto(APP.token, APP.encodingAESKey, CORP);
    const sealed = c.seal('<xml/>', '1700000000', '42');
    expect(c.open(sealed.signature, '1700000000', '42', sealed.encrypt)).toBe('<xml/>');
    expect(() => c.open(sealed.signature, '1700000001', '42', sealed.encrypt)).toThrow(/signature/);
    const other = new CallbackCrypto(APP.token, APP.encodingAESKey, 'wwsomeoneelse');
    expect(() => other.open(sealed.signature, '1700000000', '42', sealed.encrypt)).toThrow(/receiveid/);
  });
});

/** Open an app callback the way an adapter using @wecom/crypto would. */
function openApp(r: ReceivedRequest): { inner: string; outer: string } {
  const encrypted = /<Encrypt><!\[CDATA\[(.*?)]]><\/Encrypt>/.exec(r.body)![1];
  const sig = wecomCrypto.getSignature(APP.token, r.query.get('timestamp')!, r.query.get('nonce')!, encrypted);
  expect(r.query.get('msg_signature')).toBe(sig);
  const d = wecomCrypto.decrypt(APP.encodingAESKey, encrypted);
  expect(d.id).toBe(CORP);
  // The fake's own crypto reads the same.
  expect(new CallbackCrypto(APP.token, APP.encodingAESKey, CORP).open(sig, r.query.get('timestamp')!, r.query.get('nonce')!, encrypted)).toBe(d.message);
  return { inner: d.message, outer: r.body };
}

/** A passive reply as an app would build it: encrypted XML. */
function passiveXml(plain: string): string {
  const ts = '1795000000';
  const nonce = '12345';
  const enc = wecomCrypto.encrypt(APP.encodingAESKey, plain, CORP);
  const sig = wecomCrypto.getSignature(APP.token, ts, nonce, enc);
  return `<xml><Encrypt><![CDATA[${enc}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>${ts}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
}

describe('self-built app callbacks', () => {
  let fake: FakeWeCom;
  let receiver: Receiver;
  let now = Date.UTC(2026, 10, 20, 2, 0, 0);

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 20, 2, 0, 0);
    receiver = await Receiver.start('/callbacks/wecom/app');
    fake = await FakeWeCom.start({
      corpId: CORP,
      agents: [{ ...APP, callbackUrl: receiver.url }],
      callbackRetryDelayMs: 20,
      callbackTimeoutMs: 1000,
      now: () => now,
    });
  });

  afterEach(async () => {
    await fake.stop();
    await receiver.stop();
  });

  it('POSTs a typed message as encrypted XML (ToUserName, Encrypt, AgentID) that both cryptos open; MsgId survives as a 64-bit string', async () => {
    const res = await fake.appText({ agentId: APP.agentId, userId: 'leader01', text: '/审定 DB2026-0001 通过 ]]> 结束' });
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(receiver.requests).toHaveLength(1);
    const r = receiver.requests[0];
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/callbacks/wecom/app');
    expect(r.query.get('timestamp')).toBe(String(Math.floor(now / 1000)));
    expect(r.query.get('nonce')).toMatch(/^\d+$/);
    expect(r.body).toMatch(
      new RegExp(
        `^<xml><ToUserName><!\\[CDATA\\[${CORP}]]></ToUserName><Encrypt><!\\[CDATA\\[[A-Za-z0-9+/=]+]]></Encrypt><AgentID><!\\[CDATA\\[${APP.agentId}]]></AgentID></xml>$`,
      ),
    );
    const { inner } = openApp(r);
    expect(inner).toContain(`<ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[leader01]]></FromUserName>`);
    expect(inner).toContain('<MsgType><![CDATA[text]]></MsgType>');
    expect(inner).toContain(`<AgentID>${APP.agentId}</AgentID>`);
    expect(inner).toContain('<Content><![CDATA[/审定 DB2026-0001 通过 ]]]]><![CDATA[> 结束]]></Content>');
    const msgId = /<MsgId>(\d+)<\/MsgId>/.exec(inner)![1];
    expect(msgId).toBe(res.msgId);
    expect(BigInt(msgId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('GET URL verification: the receiver must echo the decrypted echostr', async () => {
    receiver.handler = (r) => {
      const echostr = r.query.get('echostr')!;
      expect(r.query.get('msg_signature')).toBe(wecomCrypto.getSignature(APP.token, r.query.get('timestamp')!, r.query.get('nonce')!, echostr));
      return { status: 200, body: wecomCrypto.decrypt(APP.encodingAESKey, echostr).message };
    };
    const ok = await fake.appVerifyUrl(APP.agentId);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(ok.expected);
    expect(ok.ok).toBe(true);
    expect(receiver.requests[0].method).toBe('GET');

    receiver.handler = () => ({ status: 200, body: '"wrong"' });
    const bad = await fake.appVerifyUrl(APP.agentId);
    expect(bad.body).not.toBe(bad.expected);
    expect(bad.ok).toBe(false);
  });

  it('tries 3 times in all when the receiver answers 500, the same request each time, then gives up', async () => {
    receiver.handler = () => ({ status: 500, body: 'boom' });
    const first = await fake.appText({ agentId: APP.agentId, userId: 'zhangsan', text: '/反馈 已完成' });
    expect(first.status).toBe(500);
    await fake.waitFor(() => fake.dropped.find((d) => (d as { reason: string }).reason === 'callback-given-up'));
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.body + r.query.toString())).size).toBe(1);
    expect(fake.callbacks.map((c) => [c.attempt, c.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
  });

  it('stops retrying at the first 200, and counts no answer within callbackTimeoutMs as a failure', async () => {
    let n = 0;
    receiver.handler = async () => {
      n += 1;
      if (n === 1) await new Promise((r) => setTimeout(r, 1500)); // past callbackTimeoutMs (1 s)
      return { status: n === 2 ? 502 : 200 };
    };
    const first = await fake.appText({ agentId: APP.agentId, userId: 'zhangsan', text: '/反馈 第二次' });
    expect(first.status).toBe(0);
    await fake.waitFor(() => fake.callbacks.some((c) => c.status === 200));
    expect(fake.callbacks.map((c) => [c.attempt, c.status])).toEqual([
      [1, 0],
      [2, 502],
      [3, 200],
    ]);
    expect(fake.dropped).toEqual([]);
  });

  it('a card click arrives as template_card_event XML with a ResponseCode; a passive update_button reply greys the buttons', async () => {
    const t = ((await (await fetch(`${fake.apiBase}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`)).json()) as { access_token: string })
      .access_token;
    const card = {
      card_type: 'button_interaction',
      main_title: { title: '审定 DB2026-0001' },
      task_id: 'review_DB2026-0001',
      button_list: [
        { text: '通过', style: 1, key: 'approve' },
        { text: '退回', style: 2, key: 'reject' },
      ],
    };
    const sent = await fetch(`${fake.apiBase}/cgi-bin/message/send?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify({ touser: 'leader01', msgtype: 'template_card', agentid: APP.agentId, template_card: card }),
    }).then((r) => r.json() as Promise<{ errcode: number; response_code: string }>);
    expect(sent.errcode).toBe(0);

    expect(() => fake.appCardClick({ agentId: APP.agentId, userId: 'lisi', taskId: card.task_id, eventKey: 'approve' })).toThrow(/not sent to lisi/);
    expect(() => fake.appCardClick({ agentId: APP.agentId, userId: 'leader01', taskId: card.task_id, eventKey: 'nope' })).toThrow(/no button/);

    receiver.handler = () => ({
      status: 200,
      body: passiveXml(
        '<xml><ToUserName>leader01</ToUserName><FromUserName>ww</FromUserName><CreateTime>1</CreateTime><MsgType>update_button</MsgType><Button><ReplaceName><![CDATA[已通过]]></ReplaceName></Button></xml>',
      ),
    });
    const click = await fake.appCardClick({ agentId: APP.agentId, userId: 'leader01', taskId: card.task_id, eventKey: 'approve' });
    expect(click.status).toBe(200);
    const { inner } = openApp(receiver.requests[0]);
    for (const part of [
      '<MsgType><![CDATA[event]]></MsgType>',
      '<Event><![CDATA[template_card_event]]></Event>',
      '<EventKey><![CDATA[approve]]></EventKey>',
      `<TaskId><![CDATA[${card.task_id}]]></TaskId>`,
      '<CardType><![CDATA[button_interaction]]></CardType>',
      `<ResponseCode><![CDATA[${click.responseCode}]]></ResponseCode>`,
      '<FromUserName><![CDATA[leader01]]></FromUserName>',
    ]) {
      expect(inner).toContain(part);
    }
    const record = fake.cards().get(card.task_id)!;
    expect(record.responseCodes).toEqual([sent.response_code, click.responseCode]);
    expect(record.replacedName).toBe('已通过');
    expect(() => fake.appCardClick({ agentId: APP.agentId, userId: 'leader01', taskId: card.task_id, eventKey: 'approve' })).toThrow(/no button/);
  });

  it('postForged sends a request whose signature does not verify', async () => {
    receiver.handler = (r) => {
      const enc = /<Encrypt><!\[CDATA\[(.*?)]]>/.exec(r.body)?.[1] ?? '';
      const good = wecomCrypto.getSignature(APP.token, r.query.get('timestamp')!, r.query.get('nonce')!, enc) === r.query.get('msg_signature');
      return { status: good ? 200 : 401 };
    };
    expect(await fake.postForged('app')).toMatchObject({ status: 401 });
    expect((await fake.appText({ agentId: APP.agentId, userId: 'zhangsan', text: 'hi' })).status).toBe(200);
  });
});

describe('AI bot API-mode callbacks', () => {
  let fake: FakeWeCom;
  let receiver: Receiver;

  beforeEach(async () => {
    receiver = await Receiver.start('/callbacks/wecom/bot');
    fake = await FakeWeCom.start({ corpId: CORP, agents: [APP], aibot: { ...BOT }, callbackRetryDelayMs: 20 });
    fake.setBotCallbackUrl(receiver.url);
  });

  afterEach(async () => {
    await fake.stop();
    await receiver.stop();
  });

  const open = (r: ReceivedRequest): Record<string, unknown> => {
    const { encrypt: enc } = JSON.parse(r.body) as { encrypt: string };
    expect(r.query.get('msg_signature')).toBe(wecomCrypto.getSignature(BOT.token, r.query.get('timestamp')!, r.query.get('nonce')!, enc));
    const d = wecomCrypto.decrypt(BOT.encodingAESKey, enc);
    expect(d.id).toBe(''); // in-corp AI bot: receiveid ""
    return JSON.parse(d.message) as Record<string, unknown>;
  };

  const reply = (body: object): string => {
    const enc = wecomCrypto.encrypt(BOT.encodingAESKey, JSON.stringify(body), '');
    return JSON.stringify({ encrypt: enc, msgsignature: wecomCrypto.getSignature(BOT.token, '1795000000', 'n1', enc), timestamp: '1795000000', nonce: 'n1' });
  };

  it('POSTs a group @-message as {"encrypt"} with the mention kept and a one-use response_url', async () => {
    const sent = await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /反馈 DB2026-0001 已完成' });
    expect(sent).toMatchObject({ delivered: true, status: 200 });
    expect(receiver.requests[0].contentType).toContain('application/json');
    const body = open(receiver.requests[0]);
    expect(body).toEqual({
      msgid: sent.msgId,
      aibotid: BOT.botId,
      chatid: 'wrGroupOffice',
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '@督办助手 /反馈 DB2026-0001 已完成' },
      response_url: expect.stringMatching(new RegExp(`^${fake.apiBase}/cgi-bin/aibot/response\\?response_code=`)),
    });
    const post = (b: object) => fetch(String(body.response_url), { method: 'POST', body: JSON.stringify(b) }).then((r) => r.json());
    expect(await post({ msgtype: 'markdown', markdown: { content: '已记录反馈' } })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await post({ msgtype: 'markdown', markdown: { content: '第二次' } })).toMatchObject({ errcode: 40058 });
    expect(fake.groupMessages('wrGroupOffice')).toEqual([expect.objectContaining({ via: 'bot-response-url', markdown: { content: '已记录反馈' } })]);
  });

  it('takes a passive template_card reply, then a click on it and a passive update_template_card', async () => {
    const card = {
      card_type: 'button_interaction',
      main_title: { title: '交办 DB2026-0002' },
      task_id: 'assign_DB2026-0002',
      button_list: [{ text: '签收', style: 1, key: 'sign' }],
    };
    receiver.handler = () => ({ status: 200, body: reply({ msgtype: 'template_card', template_card: card }) });
    await fake.botGroupText({ chatId: 'wrGroupOffice', userId: 'zhangsan', text: '@督办助手 /查看 DB2026-0002' });
    expect(fake.cards().get(card.task_id)).toMatchObject({ via: 'bot', chatId: 'wrGroupOffice' });

    receiver.handler = () => ({
      status: 200,
      body: reply({ response_type: 'update_template_card', template_card: { ...card, button_list: [{ text: '已签收', style: 2, key: 'signed' }] } }),
    });
    await fake.botCardClick({ chatId: 'wrGroupOffice', userId: 'lisi', taskId: card.task_id, eventKey: 'sign' });
    const event = open(receiver.requests[1]);
    expect(event).toMatchObject({
      aibotid: BOT.botId,
      chatid: 'wrGroupOffice',
      chattype: 'group',
      from: { userid: 'lisi' },
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { event_key: 'sign', task_id: card.task_id, card_type: 'button_interaction' } },
    });
    expect(event).not.toHaveProperty('response_url');
    expect(fake.cards().get(card.task_id)!.updates).toEqual([expect.objectContaining({ via: 'passive-reply' })]);
    expect(() => fake.botCardClick({ userId: 'lisi', taskId: card.task_id, eventKey: 'sign' })).toThrow(/no button/);
  });

  it('GET URL verification uses receiveid ""', async () => {
    receiver.handler = (r) => ({ status: 200, body: wecomCrypto.decrypt(BOT.encodingAESKey, r.query.get('echostr')!).message });
    const v = await fake.botVerifyUrl();
    expect(v.body).toBe(v.expected);
    expect(wecomCrypto.decrypt(BOT.encodingAESKey, receiver.requests[0].query.get('echostr')!).id).toBe('');
  });

  it('postForged("bot") carries a signature that does not verify', async () => {
    receiver.handler = (r) => {
      const { encrypt: enc } = JSON.parse(r.body) as { encrypt: string };
      const good = wecomCrypto.getSignature(BOT.token, r.query.get('timestamp')!, r.query.get('nonce')!, enc) === r.query.get('msg_signature');
      return { status: good ? 200 : 403 };
    };
    expect(await fake.postForged('bot')).toMatchObject({ status: 403 });
  });
});
