import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import type { Actor } from '../../src/shared/actor';
import { TokenService } from '../../src/auth/token.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { WeComLifecycle } from '../../src/chat/platforms/wecom/wecom.parts';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { Report } from '../../src/cases/report.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { OrgService } from '../../src/org/org.service';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

/** Issue 5, done-when: the DingTalk round trip, on WeCom — AI bot long connection for groups, the app for leaders. */
describe('WeCom end to end through the fake (issue 5)', () => {
  let fake: FakeWeCom;
  let t: TestApp;
  let supervisor: Actor;
  let number: string;
  const ids = { lead: 0, co: 0, owner: 0, leader: 0, leadContact: 0 };

  beforeAll(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({ clock: new OffsetClock(), listen: true, env: wecomEnv(fake) });
    fake.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
    const org = t.get(OrgService);
    ids.lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    ids.co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    const other = (await org.createUnit({ code: 'JYJ', name: '市教育局' })).id;
    await org.createGroup({ platform: 'wecom', externalId: 'wrFGW', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    await org.createGroup({ platform: 'wecom', externalId: 'wrCZJ', name: '财政局督办群', unitId: ids.co, purpose: 'unit' });
    const person = async (name: string, wx: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'wecom', externalUserId: wx }] })).id;
    const sup = await person('王督查', 'wx-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'wx-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'wx-leader', [{ role: 'leader' }]);
    ids.leadContact = await person('陈联络', 'wx-lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    await person('吴联络', 'wx-co', [{ role: 'unit_contact', unitId: ids.co }]);
    await person('孙联络', 'wx-other', [{ role: 'unit_contact', unitId: other }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    await fake.waitFor(() => fake.botConnections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const card = (pred: (c: ReturnType<FakeWeCom['cards']> extends Map<string, infer C> ? C : never) => boolean) => [...fake.cards().values()].find(pred);
  const inGroup = (chat: string) => fake.groupMessages(chat).map((m) => JSON.stringify(m));
  const toUser = (user: string) => fake.userMessages(user).map((m) => JSON.stringify(m));
  const item = () => t.db.getRepository(Item).findOneByOrFail({ number });
  const say = (user: string, text: string, chatId = 'wrFGW', msgId?: string) => fake.botGroupText({ chatId, userId: user, text: `@督办助手 ${text}`, msgId });
  const keys = (c: { current: Record<string, unknown> }) => ((c.current.button_list as { key: string }[]) ?? []).map((b) => b.key);

  it("walks an item from the group card to the leader's 审定 on the phone, entirely in WeCom", async () => {
    number = (
      await t.get(RegistrationService).register(
        {
          title: '推进老旧小区改造',
          content: '年内开工30个小区',
          source: 'meeting',
          ownerId: ids.owner,
          leaderId: ids.leader,
          leadUnitId: ids.lead,
          coUnitIds: [ids.co],
          deadline: { node: '7d' },
        },
        supervisor,
      )
    ).number;
    await t.get(ItemCommandsService).assign(number, supervisor);

    const leadCard = await fake.waitFor(() => card((c) => c.via === 'bot' && c.chatId === 'wrFGW'));
    await fake.waitFor(() => card((c) => c.via === 'bot' && c.chatId === 'wrCZJ'));
    expect(keys(leadCard)).toEqual(['sign', 'extend']);
    expect(JSON.stringify(leadCard.card)).toContain(number);

    // 签收 on the group card: the bot answers the click with the updated card within WeCom's 5 s.
    await fake.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: leadCard.taskId, eventKey: 'sign' });
    await fake.waitFor(() => leadCard.updates.length > 0 && JSON.stringify(leadCard.current).includes('办理中'));
    expect((await item()).state).toBe('in_progress');

    // /反馈 with the @mention kept by WeCom, and with the full-width slash; the owner is told through the app.
    await say('wx-lead', `/反馈 ${number} 已完成初稿`);
    await say('wx-lead', `／反馈 ${number} 已征求意见`);
    await fake.waitFor(() => toUser('wx-owner').filter((m) => m.includes('督办反馈')).length === 2);
    expect(await t.db.getRepository(Report).countBy({ itemId: (await item()).id })).toBe(2);
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('反馈已记录')));

    // /办结 → the owner's review card through the app → 良好 clicked on the phone (an encrypted XML callback).
    await say('wx-lead', `/办结 ${number} 30个小区已全部开工`);
    const review = await fake.waitFor(() => card((c) => c.via === 'app' && c.touser === 'wx-owner'));
    expect(keys(review)).toEqual(['return', 'rate:excellent', 'rate:good', 'rate:pass', 'rate:fail']);
    const rated = await fake.appCardClick({ agentId: AGENT.agentId, userId: 'wx-owner', taskId: review.taskId, eventKey: 'rate:good' });
    expect(rated.status).toBe(200);
    expect((await item()).state).toBe('pending_approval');

    // The leader's 审定 card → approve → closed; both groups are told.
    const approval = await fake.waitFor(() => card((c) => c.via === 'app' && c.touser === 'wx-leader'));
    await fake.appCardClick({ agentId: AGENT.agentId, userId: 'wx-leader', taskId: approval.taskId, eventKey: 'approve' });
    expect((await item()).state).toBe('closed');
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('审定办结')) && inGroup('wrCZJ').some((m) => m.includes('审定办结')));
    // The leader's card is replaced with the closed state, spending that click's response_code once.
    await fake.waitFor(() => approval.updates.length > 0);
  });

  it('a response_code is spent once: no update is ever sent twice with the same code', async () => {
    const updates = fake.received.filter((c) => c.path === '/cgi-bin/message/update_template_card');
    const codes = updates.map((c) => (c.body as { response_code: string }).response_code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    expect(updates.every((c) => (c.response as { errcode: number }).errcode === 0)).toBe(true);
  });

  it('the same message three times, and an app callback retried, each make one effect', async () => {
    const n2 = (
      await t
        .get(RegistrationService)
        .register({ title: '去重测试', content: '内容', source: 'other', ownerId: ids.owner, leaderId: ids.leader, leadUnitId: ids.lead }, supervisor)
    ).number;
    await t.get(ItemCommandsService).assign(n2, supervisor);
    await t.get(ItemCommandsService).sign(n2, (await t.get(TokenService).actorFor(ids.leadContact, 'api'))!);
    const itemId = (await t.db.getRepository(Item).findOneByOrFail({ number: n2 })).id;
    for (let i = 0; i < 3; i++) await say('wx-lead', `/反馈 ${n2} 同一条消息`, 'wrFGW', 'msgSAMEwx01');
    for (let i = 0; i < 3; i++)
      await fake.appText({ agentId: AGENT.agentId, userId: 'wx-lead', text: `/反馈 ${n2} 应用里的反馈`, msgId: '9223372036854775807' });
    await eventually(async () => (await t.db.getRepository(Report).countBy({ itemId, content: '应用里的反馈' })) === 1);
    await eventually(async () => (await t.db.getRepository(Report).countBy({ itemId, content: '同一条消息' })) === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await t.db.getRepository(Report).countBy({ itemId })).toBe(2);
  });

  it('a 3,000-character Chinese report is stored whole; every echo in chat stays within the byte limits', async () => {
    const long = '按照会议要求全面推进落实'.repeat(250); // 3,000 characters, 9,000 bytes
    await say('wx-lead', `/反馈 ${number} ${long}`); // the item is closed: the reply says so, but the text came through whole
    const n3 = (
      await t
        .get(RegistrationService)
        .register({ title: '长文本测试', content: '内容', source: 'other', ownerId: ids.owner, leaderId: ids.leader, leadUnitId: ids.lead }, supervisor)
    ).number;
    await t.get(ItemCommandsService).assign(n3, supervisor);
    await t.get(ItemCommandsService).sign(n3, (await t.get(TokenService).actorFor(ids.leadContact, 'api'))!);
    await say('wx-lead', `/反馈 ${n3} ${long}`);
    const itemId = (await t.db.getRepository(Item).findOneByOrFail({ number: n3 })).id;
    const stored = await eventually(() => t.db.getRepository(Report).findOneBy({ itemId }));
    expect(stored.content).toBe(long);
    await fake.waitFor(() => toUser('wx-owner').some((m) => m.includes('长文本测试')));
    const sent = fake.received.filter((c) => c.path === '/cgi-bin/message/send' && (c.body as { msgtype: string }).msgtype === 'markdown');
    for (const c of sent) expect(Buffer.byteLength((c.body as { markdown: { content: string } }).markdown.content, 'utf8')).toBeLessThanOrEqual(2048);
  });

  it('a forged app or bot callback is refused (401) and changes nothing; URL verification answers the echostr', async () => {
    const before = await t.db.getRepository(Report).count();
    expect((await fake.postForged('app')).status).toBe(401);
    expect((await fake.appVerifyUrl(AGENT.agentId)).ok).toBe(true);
    expect(await t.db.getRepository(Report).count()).toBe(before);
  });

  it('an unbound user gets the binding hint; a contact of another unit is refused in Chinese', async () => {
    await say('wx-nobody', `/签收 ${number}`);
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('wx-nobody') && m.includes('还没有登记到督办系统')));
    await say('wx-other', `/反馈 ${number} 我来反馈`);
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('只有主办单位可以反馈')));
  });

  it('an expired token is refreshed once, and nothing is lost', async () => {
    fake.expireAllTokens();
    await fake.appText({ agentId: AGENT.agentId, userId: 'wx-lead', text: '/帮助' });
    await fake.waitFor(() => toUser('wx-lead').some((m) => m.includes('/签收')), 10_000);
    expect(fake.received.some((c) => c.path === '/cgi-bin/message/send' && (c.response as { errcode: number }).errcode === 42001)).toBe(true);
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });

  it('the long connection dropped: the bot reconnects and what was queued meanwhile still arrives', async () => {
    const bot = t.get(WeComLifecycle).bot!;
    const before = bot.connections;
    fake.dropBotConnection();
    // A message for the group queued while the bot is away is retried by the outbox until the bot is back.
    const { id: groupId } = (await t.get(OrgService).groups({ platform: 'wecom' })).find((g) => g.externalId === 'wrFGW')!;
    await t.db.getRepository(OutboxMessage).save({
      dedupeKey: 'test:while-down',
      kind: 'bot_reply',
      target: `group:${groupId}` as never,
      platform: 'wecom',
      itemId: null,
      payload: { text: '断线期间排队的消息' },
      status: 'pending',
      attempts: 0,
      dueAt: new Date(),
    });
    await eventually(() => bot.connections > before, 15_000);
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('断线期间排队的消息')), 15_000);
    await say('wx-lead', `/查询 ${number}`, 'wrFGW', 'msgAFTERRECONNECT');
    await fake.waitFor(() => inGroup('wrFGW').some((m) => m.includes('状态：已办结')), 10_000);
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });
});

/** Issue 5 §3: one item, its lead unit on DingTalk and its co-unit on WeCom; a person bound on both platforms. */
describe('one item across DingTalk and WeCom', () => {
  it('each unit gets its card in its own group, on its own platform', async () => {
    const ding = await FakeDingTalk.start({ clientId: 'dingmix', clientSecret: 'dingmix-secret-0123456789', robotCode: 'dingmix', cardTemplateIds: ['tpl'] });
    const wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    const t = await startTestApp({
      clock: new OffsetClock(),
      env: {
        ...wecomEnv(wx),
        DINGTALK_CLIENT_ID: 'dingmix',
        DINGTALK_CLIENT_SECRET: 'dingmix-secret-0123456789',
        DINGTALK_CARD_TEMPLATE_ID: 'tpl',
        DINGTALK_MODE: 'http',
        DINGTALK_API_BASE: ding.apiBase,
        DINGTALK_OAPI_BASE: ding.oapiBase,
      },
    });
    try {
      await wx.waitFor(() => wx.botConnections() > 0, 10_000);
      const org = t.get(OrgService);
      const lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
      const co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
      await org.createGroup({ platform: 'dingtalk', externalId: 'cidMIX', name: '发改委钉钉群', unitId: lead, purpose: 'unit' });
      await org.createGroup({ platform: 'wecom', externalId: 'wrMIX', name: '财政局企微群', unitId: co, purpose: 'unit' });
      const both = await org.createPerson({
        name: '两栖领导',
        roles: [{ role: 'leader' }],
        identities: [
          { platform: 'dingtalk', externalUserId: 'dt-both' },
          { platform: 'wecom', externalUserId: 'wx-both' },
        ],
      });
      const sup = await org.createPerson({ name: '督查员', roles: [{ role: 'supervisor' }, { role: 'owner' }] });
      const actor = (await t.get(TokenService).actorFor(sup.id, 'api'))!;
      const item = await t
        .get(RegistrationService)
        .register({ title: '跨平台事项', content: '内容', source: 'other', leaderId: both.id, leadUnitId: lead, coUnitIds: [co] }, actor);
      await t.get(ItemCommandsService).assign(item.number, actor);
      await ding.waitFor(() => [...ding.cards().values()].find((c) => c.openSpaceId.endsWith('IM_GROUP.cidMIX')));
      await wx.waitFor(() => [...wx.cards().values()].find((c) => c.via === 'bot' && c.chatId === 'wrMIX'));
      expect(both.identities.map((i) => i.platform).sort()).toEqual(['dingtalk', 'wecom']);
    } finally {
      await t.close();
      await ding.stop();
      await wx.stop();
    }
  });
});

/** WECOM_BOT_MODE=http: the 智能机器人's encrypted JSON callbacks (receive id ""), answers through response_url. */
describe('WeCom AI bot in API mode', () => {
  it('a group command arrives as an encrypted callback and is answered through its response_url; a forged one is refused', async () => {
    const fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    const t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      env: { ...wecomEnv(fake), WECOM_BOT_MODE: 'http', WECOM_BOT_TOKEN: BOT.token, WECOM_BOT_ENCODING_AES_KEY: BOT.encodingAESKey },
    });
    try {
      fake.setBotCallbackUrl(`${t.url}/callbacks/wecom/bot`);
      const org = t.get(OrgService);
      const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
      await org.createGroup({ platform: 'wecom', externalId: 'wrAPI', name: '发改委督办群', unitId: unit, purpose: 'unit' });
      await org.createPerson({
        name: '陈联络',
        roles: [{ role: 'unit_contact', unitId: unit }],
        identities: [{ platform: 'wecom', externalUserId: 'wx-api' }],
      });
      const sent = await fake.botGroupText({ chatId: 'wrAPI', userId: 'wx-api', text: '@督办助手 /帮助' });
      expect(sent.status).toBe(200);
      await fake.waitFor(
        () =>
          fake
            .groupMessages('wrAPI')
            .map((m) => JSON.stringify(m))
            .some((m) => m.includes('/签收')),
        10_000,
      );
      expect((await fake.postForged('bot')).status).toBe(401);
    } finally {
      await t.close();
      await fake.stop();
    }
  });
});
