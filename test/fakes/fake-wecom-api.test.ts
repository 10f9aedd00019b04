import { createHash } from 'node:crypto';
import { FakeWeCom } from '../../fakes/wecom';

/**
 * The fake WeCom's qyapi side over real sockets with plain fetch: gettoken and token errors, message/send (text,
 * markdown, template_card), update_template_card, appchat, the webhook robot, per-member limits and forced failures.
 * Time is a variable the tests move, never a wait.
 */

const CORP = 'ww1234567890abcdef';
const APP = { agentId: 1000002, secret: 'app-secret-0123456789', token: 'appToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const OTHER_APP = { agentId: 1000003, secret: 'other-secret-0123456789', token: 'otherToken', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };
const HOOK = 'a1b2c3d4-0000-4000-8000-000000000001';
const MEMBERS = ['zhangsan', 'lisi', 'wangwu', 'leader01'];

let now = Date.UTC(2026, 10, 20, 2, 0, 0);
let fake: FakeWeCom;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 20, 2, 0, 0);
  fake = await FakeWeCom.start({ corpId: CORP, agents: [APP, OTHER_APP], webhooks: [{ key: HOOK }], members: MEMBERS, tokenTtlSeconds: 7200, now: () => now });
});

afterEach(async () => {
  await fake.stop();
});

type Json = Record<string, unknown>;

async function get(path: string): Promise<Json> {
  const res = await fetch(`${fake.apiBase}${path}`);
  expect(res.status).toBe(200); // WeCom errors travel in errcode with HTTP 200
  return (await res.json()) as Json;
}

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(`${fake.apiBase}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function token(app = APP): Promise<string> {
  const r = await get(`/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${app.secret}`);
  return r.access_token as string;
}

const send = async (body: Json, t?: string) => post(`/cgi-bin/message/send?access_token=${t ?? (await token())}`, { agentid: APP.agentId, ...body });

function buttonCard(taskId: string, extra: Json = {}): Json {
  return {
    card_type: 'button_interaction',
    main_title: { title: '督办事项 DB2026-0001 待审定', desc: '承办：办公室' },
    task_id: taskId,
    button_list: [
      { text: '审定通过', style: 1, key: 'approve' },
      { text: '退回', style: 2, key: 'reject' },
    ],
    ...extra,
  };
}

describe('gettoken and token errors', () => {
  it('issues a token per app, answers the same one within its life, 41001 / 40014 / 42001 on the APIs', async () => {
    const first = await get(`/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`);
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 });
    now += 1000;
    const again = await get(`/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`);
    expect(again.access_token).toBe(first.access_token);
    expect(await token(OTHER_APP)).not.toBe(first.access_token);

    const text = { touser: 'zhangsan', msgtype: 'text', text: { content: '你好' } };
    expect(await post('/cgi-bin/message/send', { agentid: APP.agentId, ...text })).toMatchObject({ errcode: 41001 });
    expect(await post('/cgi-bin/message/send?access_token=not-a-token', { agentid: APP.agentId, ...text })).toMatchObject({
      errcode: 40014,
      errmsg: expect.stringMatching(
        /^invalid access_token, hint: \[.+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40014$/,
      ),
    });
    expect(await send(text, first.access_token as string)).toMatchObject({ errcode: 0 });

    now += 7200 * 1000;
    expect(await send(text, first.access_token as string)).toMatchObject({ errcode: 42001 });
    const renewed = await token();
    expect(renewed).not.toBe(first.access_token);
    expect(await send(text, renewed)).toMatchObject({ errcode: 0 });

    fake.expireAllTokens();
    expect(await send(text, renewed)).toMatchObject({ errcode: 42001 });
  });

  it('refuses a wrong corpid with 40013 and a wrong secret with 40001', async () => {
    expect(await get(`/cgi-bin/gettoken?corpid=wwnotmycorp&corpsecret=${APP.secret}`)).toMatchObject({ errcode: 40013 });
    expect(await get(`/cgi-bin/gettoken?corpid=${CORP}&corpsecret=wrong`)).toMatchObject({ errcode: 40001 });
  });

  it('answers 40056 when the token belongs to another app than agentid', async () => {
    const other = await token(OTHER_APP);
    expect(await send({ touser: 'zhangsan', msgtype: 'text', text: { content: 'x' } }, other)).toMatchObject({ errcode: 40056 });
  });
});

describe('message/send', () => {
  it('delivers text, reports invalid users as a | string, truncates text to 2048 bytes', async () => {
    const long = '督'.repeat(1000); // 3000 bytes
    const r = await send({ touser: 'zhangsan|ghost1|lisi|ghost2', msgtype: 'text', text: { content: long } });
    expect(r).toEqual({
      errcode: 0,
      errmsg: 'ok',
      invaliduser: 'ghost1|ghost2',
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid: expect.any(String),
    });
    const got = fake.userMessages('lisi');
    expect(got).toHaveLength(1);
    const content = (got[0] as { text: { content: string } }).text.content;
    expect(Buffer.byteLength(content)).toBe(2046); // 682 whole characters, no split character
    expect(content).toBe('督'.repeat(682));
    expect(fake.userMessages('ghost1')).toEqual([]);
  });

  it('answers 81013 when every recipient is invalid, and 44004 for empty text', async () => {
    expect(await send({ touser: 'ghost1|ghost2', msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 81013 });
    expect(await send({ touser: 'zhangsan', msgtype: 'text', text: { content: '' } })).toMatchObject({ errcode: 44004 });
  });

  it('refuses markdown over 2048 bytes with 40058 and takes one at the limit', async () => {
    const over = await send({ touser: 'zhangsan', msgtype: 'markdown', markdown: { content: 'a'.repeat(2049) } });
    expect(over).toMatchObject({
      errcode: 40058,
      errmsg: expect.stringMatching(/^markdown\.content exceed max length 2048\. invalid Request Parameter, hint: /),
    });
    expect(await send({ touser: 'zhangsan', msgtype: 'markdown', markdown: { content: 'a'.repeat(2048) } })).toMatchObject({ errcode: 0 });
    expect(fake.userMessages('zhangsan')).toHaveLength(1);
  });

  it('validates template_card: task_id charset and length, at most 6 buttons, unique keys, unique task_id', async () => {
    const bad = async (card: Json) => (await send({ touser: 'leader01', msgtype: 'template_card', template_card: card })).errcode;
    expect(await bad(buttonCard('has space'))).toBe(40058);
    expect(await bad(buttonCard('中文'))).toBe(40058);
    expect(await bad(buttonCard('t'.repeat(129)))).toBe(40058);
    const seven = Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `k${i}` }));
    expect(await bad(buttonCard('task_7', { button_list: seven }))).toBe(40058);
    expect(
      await bad(
        buttonCard('task_dup', {
          button_list: [
            { text: 'a', key: 'k' },
            { text: 'b', key: 'k' },
          ],
        }),
      ),
    ).toBe(40058);
    expect(await bad({ ...buttonCard('task_nobtn'), button_list: [] })).toBe(40058);
    expect(await bad(buttonCard('t'.repeat(128)))).toBe(0);
    expect(await bad(buttonCard('DB2026-0001_review@v1'))).toBe(0);
    expect(await bad(buttonCard('DB2026-0001_review@v1', { main_title: { title: '换个标题' } }))).toBe(40058); // task_id reused
    expect(fake.userMessages('leader01')).toHaveLength(2);
  });

  it('returns a response_code for a button card that updates it once; reused → 40058, expired → 40058', async () => {
    const sent = await send({ touser: 'leader01', msgtype: 'template_card', template_card: buttonCard('task_a') });
    expect(sent).toMatchObject({ errcode: 0, invaliduser: '', msgid: expect.any(String), response_code: expect.any(String) });
    const update = async (body: Json) => post(`/cgi-bin/message/update_template_card?access_token=${await token()}`, { agentid: APP.agentId, ...body });

    const first = await update({ userids: ['leader01'], response_code: sent.response_code, button: { replace_name: '已审定' } });
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: [] });
    const card = fake.cards().get('task_a')!;
    expect(card).toMatchObject({ taskId: 'task_a', via: 'app', touser: 'leader01', replacedName: '已审定', responseCodes: [sent.response_code] });
    expect(card.updates).toEqual([expect.objectContaining({ replaceName: '已审定', userids: ['leader01'] })]);

    const again = await update({ response_code: sent.response_code, button: { replace_name: '又一次' } });
    expect(again).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('response_code has been used') });
    expect(card.updates).toHaveLength(1);

    const second = await send({ touser: 'leader01', msgtype: 'template_card', template_card: buttonCard('task_b') });
    now += 72 * 3600 * 1000;
    expect(await update({ response_code: second.response_code, button: { replace_name: '迟了' } })).toMatchObject({
      errcode: 40058,
      errmsg: expect.stringContaining('expired'),
    });
  });

  it('replaces a card whole with template_card (same task_id) and reports unknown userids as an array', async () => {
    const sent = await send({ touser: 'leader01', msgtype: 'template_card', template_card: buttonCard('task_c') });
    const t = await token();
    const mismatch = await post(`/cgi-bin/message/update_template_card?access_token=${t}`, {
      agentid: APP.agentId,
      response_code: sent.response_code,
      template_card: buttonCard('task_other'),
    });
    expect(mismatch).toMatchObject({ errcode: 40058 });
    const newCard = buttonCard('task_c', { main_title: { title: '已退回' }, button_list: [{ text: '重新提交', key: 'resubmit' }] });
    const r = await post(`/cgi-bin/message/update_template_card?access_token=${t}`, {
      agentid: APP.agentId,
      userids: ['leader01', 'nobody'],
      response_code: sent.response_code,
      template_card: newCard,
    });
    expect(r).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: ['nobody'] });
    expect(fake.cards().get('task_c')!.current).toMatchObject({ main_title: { title: '已退回' } });
  });

  it('gives no response_code for a text_notice card', async () => {
    const r = await send({
      touser: 'leader01',
      msgtype: 'template_card',
      template_card: { card_type: 'text_notice', main_title: { title: '通知' }, card_action: { type: 1, url: 'https://example.org' }, task_id: 'notice_1' },
    });
    expect(r.errcode).toBe(0);
    expect(r).not.toHaveProperty('response_code');
  });

  it('honours enable_duplicate_check: a repeat within the interval is accepted but not delivered again', async () => {
    const body = { touser: 'zhangsan', msgtype: 'text', text: { content: '催办：请于今日反馈' }, enable_duplicate_check: 1, duplicate_check_interval: 600 };
    const a = await send(body);
    const b = await send(body);
    expect(b).toMatchObject({ errcode: 0 });
    expect(b.msgid).toBe(a.msgid);
    expect(fake.userMessages('zhangsan')).toHaveLength(1);
    now += 601 * 1000;
    await send(body);
    expect(fake.userMessages('zhangsan')).toHaveLength(2);
    await send({ ...body, enable_duplicate_check: 0 });
    expect(fake.userMessages('zhangsan')).toHaveLength(3);
  });

  it('drops the 31st message to one member within a minute silently (errcode 0), and delivers again a minute later', async () => {
    for (let i = 1; i <= 30; i++) expect(await send({ touser: 'wangwu', msgtype: 'text', text: { content: `第${i}条` } })).toMatchObject({ errcode: 0 });
    const r31 = await send({ touser: 'wangwu|lisi', msgtype: 'text', text: { content: '第31条' } });
    expect(r31).toMatchObject({ errcode: 0, invaliduser: '' });
    expect(fake.userMessages('wangwu')).toHaveLength(30);
    expect(fake.userMessages('lisi')).toHaveLength(1); // the limit is per member
    expect(fake.dropped).toEqual([expect.objectContaining({ reason: 'member-limit', userId: 'wangwu' })]);
    now += 60_000;
    await send({ touser: 'wangwu', msgtype: 'text', text: { content: '一分钟后' } });
    expect(fake.userMessages('wangwu')).toHaveLength(31);
  });

  it('failNext injects errors on one API path, then the path works again', async () => {
    const t = await token();
    fake.failNext('/cgi-bin/message/send', 2, 45009);
    fake.failNext('/cgi-bin/message/send', 1, 60020);
    const text = { touser: 'zhangsan', msgtype: 'text', text: { content: 'x' } };
    expect(await send(text, t)).toMatchObject({ errcode: 45009, errmsg: expect.stringMatching(/^api freq out of limit, hint/) });
    expect(await send(text, t)).toMatchObject({ errcode: 45009 });
    expect(await send(text, t)).toMatchObject({ errcode: 60020, errmsg: expect.stringMatching(/^not allow to access from your ip/) });
    expect(await send(text, t)).toMatchObject({ errcode: 0 });
    fake.failNext('/cgi-bin/gettoken', 1, -1);
    expect(await get(`/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`)).toMatchObject({ errcode: -1 });
    fake.failNext('/cgi-bin/message/update_template_card', 1, 45033, 'api concurrent out of limit');
    expect(await post(`/cgi-bin/message/update_template_card?access_token=${t}`, {})).toMatchObject({ errcode: 45033 });
    expect(fake.userMessages('zhangsan')).toHaveLength(1);
  });
});

describe('appchat', () => {
  it('creates a group, sends text and markdown into it, and refuses template_card there', async () => {
    const t = await token();
    const created = await post(`/cgi-bin/appchat/create?access_token=${t}`, {
      name: '督办-办公室',
      owner: 'zhangsan',
      userlist: ['zhangsan', 'lisi'],
      chatid: 'dubanOffice01',
    });
    expect(created).toEqual({ errcode: 0, errmsg: 'ok', chatid: 'dubanOffice01' });
    expect(await post(`/cgi-bin/appchat/create?access_token=${t}`, { name: 'x', userlist: ['zhangsan'] })).toMatchObject({ errcode: 40058 });
    expect(await post(`/cgi-bin/appchat/create?access_token=${t}`, { name: 'x', userlist: ['zhangsan', 'lisi'], chatid: 'bad-id!' })).toMatchObject({
      errcode: 40058,
    });

    expect(
      await post(`/cgi-bin/appchat/send?access_token=${t}`, { chatid: 'dubanOffice01', msgtype: 'text', text: { content: '新事项已交办' }, safe: 0 }),
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(
      await post(`/cgi-bin/appchat/send?access_token=${t}`, { chatid: 'dubanOffice01', msgtype: 'markdown', markdown: { content: '**DB2026-0001**' } }),
    ).toMatchObject({ errcode: 0 });
    const card = await post(`/cgi-bin/appchat/send?access_token=${t}`, {
      chatid: 'dubanOffice01',
      msgtype: 'template_card',
      template_card: buttonCard('chat_card'),
    });
    expect(card).toMatchObject({ errcode: 40008 });
    expect(await post(`/cgi-bin/appchat/send?access_token=${t}`, { chatid: 'nosuchchat', msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      errcode: 86003,
    });

    expect(fake.groupMessages('dubanOffice01')).toEqual([
      expect.objectContaining({ via: 'appchat', msgtype: 'text', text: { content: '新事项已交办' } }),
      expect.objectContaining({ via: 'appchat', msgtype: 'markdown' }),
    ]);
    expect(fake.cards().has('chat_card')).toBe(false);
  });
});

describe('webhook robot', () => {
  const hook = (body: Json, key = HOOK) => post(`/cgi-bin/webhook/send?key=${key}`, body);

  it('takes text and markdown; markdown over 4096 bytes → 40058 with the real errmsg; unknown key → 93000', async () => {
    expect(await hook({ msgtype: 'text', text: { content: '本周督办通报', mentioned_list: ['@all'] } })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await hook({ msgtype: 'markdown', markdown: { content: '汉'.repeat(1365) } })).toMatchObject({ errcode: 0 }); // 4095 bytes
    const long = await hook({ msgtype: 'markdown', markdown: { content: '汉'.repeat(1366) } }); // 4098 bytes
    expect(long).toMatchObject({
      errcode: 40058,
      errmsg: expect.stringMatching(
        /^markdown\.content exceed max length 4096\. invalid Request Parameter, hint: \[.+\], from ip: .+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40058$/,
      ),
    });
    expect(await hook({ msgtype: 'text', text: { content: 'x' } }, 'unknown-key')).toMatchObject({ errcode: 93000 });
    expect(await hook({ msgtype: 'template_card', template_card: buttonCard('hook_card') })).toMatchObject({ errcode: 40058 });
    expect(fake.webhookMessages(HOOK)).toHaveLength(2);
  });

  it('an image is base64 + md5 of a PNG or JPG of at most 2 MB (issue 14: the 通报 chart); a wrong md5, another format or more is refused', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
    const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
    expect(await hook({ msgtype: 'image', image: { base64: png.toString('base64'), md5: md5(png) } })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await hook({ msgtype: 'image', image: { base64: png.toString('base64'), md5: md5(Buffer.from('x')) } })).toMatchObject({ errcode: 40058 });
    expect(await hook({ msgtype: 'image', image: { base64: png.toString('base64') } })).toMatchObject({ errcode: 40058 });
    const gif = Buffer.from('GIF89a....');
    expect(await hook({ msgtype: 'image', image: { base64: gif.toString('base64'), md5: md5(gif) } })).toMatchObject({ errcode: 40058 });
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    expect(await hook({ msgtype: 'image', image: { base64: big.toString('base64'), md5: md5(big) } })).toMatchObject({ errcode: 40009 });
    expect(fake.webhookMessages(HOOK)).toEqual([expect.objectContaining({ msgtype: 'image' })]);
  });

  it('answers the 21st message within a minute with 45009 and takes messages again a minute after the first', async () => {
    for (let i = 1; i <= 20; i++) {
      expect(await hook({ msgtype: 'text', text: { content: `通报${i}` } })).toMatchObject({ errcode: 0 });
      now += 1000;
    }
    expect(await hook({ msgtype: 'text', text: { content: '通报21' } })).toMatchObject({ errcode: 45009 });
    expect(fake.webhookMessages(HOOK)).toHaveLength(20);
    now += 40_001; // the first one is now more than 60 s old
    expect(await hook({ msgtype: 'text', text: { content: '通报21' } })).toMatchObject({ errcode: 0 });
    expect(await hook({ msgtype: 'text', text: { content: '通报22' } })).toMatchObject({ errcode: 45009 });
  });
});
