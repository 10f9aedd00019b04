import { FakeDingTalk, type WorldEvent as DingEvent } from '../../fakes/dingtalk';
import { FakeWeCom, type WorldEvent as WeComEvent } from '../../fakes/wecom';

/**
 * Issue 16: the demo's chat simulator shows what lands at the fakes as it happens — so each fake tells a watcher about
 * every message that lands and every card change, over the same real HTTP paths the service uses.
 */

const DING = { clientId: 'dingwatch', clientSecret: 'watch-secret-0123456789' };
const CORP = 'ww1234567890abcdef';
const APP = { agentId: 1000002, secret: 'app-secret-0123456789', token: 'appToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const HOOK = 'a1b2c3d4-0000-4000-8000-000000000001';

type Json = Record<string, unknown>;

async function json(url: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as Json;
}

describe('fake DingTalk: watch()', () => {
  let fake: FakeDingTalk;
  beforeEach(async () => {
    fake = await FakeDingTalk.start(DING);
  });
  afterEach(() => fake.stop());

  it('tells a watcher of each group and one-to-one message as it lands, and of card updates; stops when asked', async () => {
    const heard: DingEvent[] = [];
    const stop = fake.watch((e) => heard.push(e));
    const token = (await json(`${fake.apiBase}/v1.0/oauth2/accessToken`, 'POST', { appKey: DING.clientId, appSecret: DING.clientSecret }))
      .accessToken as string;
    const auth = { 'x-acs-dingtalk-access-token': token };
    const text = { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '提醒', text: '请及时反馈' }), robotCode: DING.clientId };

    await json(`${fake.apiBase}/v1.0/robot/groupMessages/send`, 'POST', { ...text, openConversationId: 'cidA' }, auth);
    await json(`${fake.apiBase}/v1.0/robot/oToMessages/batchSend`, 'POST', { ...text, userIds: ['u1'] }, auth);
    await json(
      `${fake.apiBase}/v1.0/card/instances/createAndDeliver`,
      'POST',
      {
        cardTemplateId: 'tpl',
        outTrackId: 'card-1',
        callbackType: 'STREAM',
        cardData: { cardParamMap: { stateLabel: '待签收' } },
        openSpaceId: 'dtv1.card//IM_GROUP.cidA',
        imGroupOpenDeliverModel: { robotCode: DING.clientId },
      },
      auth,
    );
    await json(`${fake.apiBase}/v1.0/card/instances`, 'PUT', { outTrackId: 'card-1', cardData: { cardParamMap: { stateLabel: '办理中' } } }, auth);

    expect(heard).toEqual([
      { kind: 'group', id: 'cidA', index: 0, message: expect.objectContaining({ via: 'robot', msgKey: 'sampleMarkdown' }) },
      { kind: 'user', id: 'u1', index: 0, message: expect.objectContaining({ via: 'robot', msgKey: 'sampleMarkdown' }) },
      { kind: 'group', id: 'cidA', index: 1, message: expect.objectContaining({ via: 'card', outTrackId: 'card-1' }) },
      { kind: 'card', outTrackId: 'card-1' },
    ]);
    expect(fake.cards().get('card-1')!.cardParamMap).toEqual({ stateLabel: '办理中' });

    stop();
    await json(`${fake.apiBase}/v1.0/robot/groupMessages/send`, 'POST', { ...text, openConversationId: 'cidA' }, auth);
    expect(heard).toHaveLength(4);
    expect(fake.groupMessages('cidA')).toHaveLength(3);
  });

  it('a watcher that throws changes nothing the fake answers or records', async () => {
    fake.watch(() => {
      throw new Error('watcher broke');
    });
    const token = (await json(`${fake.apiBase}/v1.0/oauth2/accessToken`, 'POST', { appKey: DING.clientId, appSecret: DING.clientSecret }))
      .accessToken as string;
    const sent = await json(
      `${fake.apiBase}/v1.0/robot/groupMessages/send`,
      'POST',
      { msgKey: 'sampleText', msgParam: JSON.stringify({ content: '你好' }), robotCode: DING.clientId, openConversationId: 'cidA' },
      { 'x-acs-dingtalk-access-token': token },
    );
    expect(sent.processQueryKey).toEqual(expect.any(String));
    expect(fake.groupMessages('cidA')).toHaveLength(1);
  });
});

describe('fake WeCom: watch()', () => {
  let fake: FakeWeCom;
  beforeEach(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [APP], webhooks: [{ key: HOOK }] });
  });
  afterEach(() => fake.stop());

  it('tells a watcher of app messages, webhook posts and template card updates as they happen', async () => {
    const heard: WeComEvent[] = [];
    fake.watch((e) => heard.push(e));
    const token = ((await (await fetch(`${fake.apiBase}/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${APP.secret}`)).json()) as Json).access_token as string;
    const card = {
      card_type: 'button_interaction',
      main_title: { title: 'DB2026-0001 待审定' },
      task_id: 'task_w',
      button_list: [{ text: '审定通过', style: 1, key: 'approve' }],
    };
    const sent = await json(`${fake.apiBase}/cgi-bin/message/send?access_token=${token}`, 'POST', {
      agentid: APP.agentId,
      touser: 'leader01',
      msgtype: 'template_card',
      template_card: card,
    });
    await json(`${fake.apiBase}/cgi-bin/webhook/send?key=${HOOK}`, 'POST', { msgtype: 'markdown', markdown: { content: '**通报**' } });
    await json(`${fake.apiBase}/cgi-bin/message/update_template_card?access_token=${token}`, 'POST', {
      agentid: APP.agentId,
      userids: ['leader01'],
      response_code: sent.response_code,
      button: { replace_name: '已审定' },
    });

    expect(heard).toEqual([
      { kind: 'user', id: 'leader01', index: 0, replaced: false, message: expect.objectContaining({ via: 'app', msgtype: 'template_card' }) },
      { kind: 'webhook', id: HOOK, index: 0, replaced: false, message: expect.objectContaining({ msgtype: 'markdown' }) },
      { kind: 'card', taskId: 'task_w' },
    ]);
    expect(fake.cards().get('task_w')!.replacedName).toBe('已审定');
  });
});
