import { cardCallbackSignature, FakeDingTalk } from '../../fakes/dingtalk';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { DingTalkLifecycle } from '../../src/chat/platforms/dingtalk/dingtalk.parts';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { Report } from '../../src/cases/report.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import type { Actor } from '../../src/shared/actor';
import { eventually } from '../support/eventually';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingduban', clientSecret: 'dingduban-secret-0123456789', robotCode: 'dingduban' };

/**
 * Issue 4, done-when: the whole round trip over real sockets — the official dingtalk-stream SDK (wrapped) talking
 * to the faithful fake DingTalk, the service on real MariaDB, every message checked where it arrives: at the fake.
 */
describe('DingTalk end to end through the fake (issue 4)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let supervisor: Actor;
  let number: string;
  const ids = { lead: 0, co: 0, other: 0, owner: 0, leader: 0 };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400, cardTemplateIds: ['tpl-duban'] });
    t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      env: {
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_ROBOT_CODE: APP.robotCode,
        DINGTALK_CARD_TEMPLATE_ID: 'tpl-duban',
        DINGTALK_API_BASE: fake.apiBase,
        DINGTALK_OAPI_BASE: fake.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
      },
    });
    const org = t.get(OrgService);
    const unit = async (code: string, name: string) => (await org.createUnit({ code, name })).id;
    ids.lead = await unit('FGW', '市发展改革委');
    ids.co = await unit('CZJ', '市财政局');
    ids.other = await unit('JYJ', '市教育局');
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidCZJ', name: '财政局督办群', unitId: ids.co, purpose: 'unit' });
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'dt-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'dt-leader', [{ role: 'leader' }]);
    await person('陈联络', 'dt-lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    await person('吴联络', 'dt-co', [{ role: 'unit_contact', unitId: ids.co }]);
    await person('孙联络', 'dt-other', [{ role: 'unit_contact', unitId: ids.other }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    await fake.waitFor(() => fake.connections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const cardIn = (space: string) => [...fake.cards().values()].find((c) => c.openSpaceId.endsWith(space));
  const textsIn = (conv: string) => fake.groupMessages(conv).map((m) => JSON.stringify(m));
  const textsTo = (user: string) => fake.directMessages(user).map((m) => JSON.stringify(m));
  const item = () => t.db.getRepository(Item).findOneByOrFail({ number });
  const say = (user: string, text: string, conv = 'cidFGW', msgId?: string) => fake.sendGroupText({ conversationId: conv, senderStaffId: user, text, msgId });

  it("walks an item from the assignment card to the leader's 审定 entirely in DingTalk", async () => {
    const reg = await t.get(RegistrationService).register(
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
    );
    number = reg.number;
    await t.get(ItemCommandsService).assign(number, supervisor);

    // The assignment card appears in the lead and the co unit's groups.
    const leadCard = await fake.waitFor(() => cardIn('IM_GROUP.cidFGW'));
    const coCard = await fake.waitFor(() => cardIn('IM_GROUP.cidCZJ'));
    expect(leadCard.cardParamMap).toMatchObject({ number, title: '推进老旧小区改造', stateLabel: '已交办', leadUnit: '市发展改革委', coUnits: '市财政局' });
    expect(JSON.parse(leadCard.cardParamMap.buttons).map((b: { id: string }) => b.id)).toEqual(['sign', 'extend']); // E1: an extension may be asked before signing
    expect(coCard.cardParamMap.number).toBe(number);

    // A contact clicks 签收: the ACK carries the new state; the other cards are updated through the outbox.
    const click = await fake.clickCardButton({ outTrackId: leadCard.outTrackId, userId: 'dt-lead', actionId: 'sign' });
    const response = (await click.ack) as { cardData: { cardParamMap: Record<string, string> } };
    expect(response.cardData.cardParamMap).toMatchObject({ state: 'in_progress', stateLabel: '办理中' });
    await fake.waitFor(() => cardIn('IM_GROUP.cidCZJ')!.updates > 0 && cardIn('IM_GROUP.cidCZJ')!.cardParamMap.stateLabel === '办理中');

    // /反馈 — and the same with the full-width slash — is recorded and the owner is told one to one.
    await say('dt-lead', ` /反馈 ${number} 已完成初稿`);
    await say('dt-lead', ` ／反馈 ${number} 已征求意见`);
    await fake.waitFor(() => textsTo('dt-owner').filter((m) => m.includes('督办反馈')).length === 2);
    expect(await t.db.getRepository(Report).countBy({ itemId: (await item()).id })).toBe(2);
    await fake.waitFor(() => textsTo('dt-owner').filter((m) => m.includes('督办反馈')).length === 2);
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('反馈已记录')));

    // /办结 → the owner's review card (one to one) → 良好.
    await say('dt-lead', `/办结 ${number} 30个小区已全部开工`);
    const review = await fake.waitFor(() => cardIn('IM_ROBOT.dt-owner'));
    expect(review.cardParamMap).toMatchObject({ kind: 'review', summary: '30个小区已全部开工' });
    expect(JSON.parse(review.cardParamMap.buttons).map((b: { id: string }) => b.id)).toEqual([
      'return',
      'rate:excellent',
      'rate:good',
      'rate:pass',
      'rate:fail',
    ]);
    const rated = await fake.clickCardButton({ outTrackId: review.outTrackId, userId: 'dt-owner', actionId: 'rate:good' });
    expect(((await rated.ack) as { cardData: { cardParamMap: Record<string, string> } }).cardData.cardParamMap.stateLabel).toBe('待审定');

    // The leader's one-to-one approval card → 审定 → closed, and the groups are told.
    const approval = await fake.waitFor(() => cardIn('IM_ROBOT.dt-leader'));
    expect(approval.cardParamMap).toMatchObject({ kind: 'approval', rating: '良好' });
    const approved = await fake.clickCardButton({ outTrackId: approval.outTrackId, userId: 'dt-leader', actionId: 'approve' });
    expect(((await approved.ack) as { cardData: { cardParamMap: Record<string, string> } }).cardData.cardParamMap.stateLabel).toBe('已办结');
    expect((await item()).state).toBe('closed');
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('审定办结')) && textsIn('cidCZJ').some((m) => m.includes('审定办结')));
  });

  it("A2: the leader's 审核 of an accountability opinion comes as a one-to-one card; 退回 without a reason is refused, 同意 moves it to 复核", async () => {
    const acc = t.get(AccountabilityService);
    const clue = (await acc.openFrom(
      { kind: 'manual', unitId: ids.lead, unitName: '市发展改革委', requestId: 'e2e-clue', itemId: null, reason: '推诿扯皮' },
      supervisor,
    ))!;
    await acc.act(clue.number, 'hand_over', { proposal: '建议通报' }, supervisor);
    await acc.act(clue.number, 'skip_verification', { reason: '事实清楚' }, supervisor);
    await acc.act(clue.number, 'propose_opinion', { targets: [{ target: 'unit', name: '市发展改革委', measures: ['bulletin'] }] }, supervisor);
    const card = await fake.waitFor(() =>
      [...fake.cards().values()].find((c) => c.openSpaceId.endsWith('IM_ROBOT.dt-leader') && c.cardParamMap.kind === 'decision'),
    );
    expect(card.cardParamMap).toMatchObject({
      number: clue.number,
      title: '问责处理意见审核',
      summary: expect.stringContaining('推诿扯皮'),
      facts: expect.stringContaining('处理意见：市发展改革委：通报'),
    });
    expect(JSON.parse(card.cardParamMap.buttons).map((b: { id: string }) => b.id)).toEqual(['clue:approve', 'clue:reject']);
    const ack = async (click: Promise<{ ack: Promise<unknown> }>) =>
      (await (
        await click
      ).ack) as { cardData: { cardParamMap: Record<string, string> }; userPrivateData: { cardParamMap: Record<string, string> } };
    const refused = await ack(fake.clickCardButton({ outTrackId: card.outTrackId, userId: 'dt-leader', actionId: 'clue:reject' }));
    expect(refused.userPrivateData.cardParamMap.notice).toContain('退回须写明理由');
    expect((await t.db.getRepository(Clue).findOneByOrFail({ number: clue.number })).state).toBe('audit');
    // Someone else clicking the leader's card is refused by the rules (A2), whatever the card showed.
    const stranger = await ack(fake.clickCardButton({ outTrackId: card.outTrackId, userId: 'dt-lead', actionId: 'clue:approve' }));
    expect(stranger.userPrivateData.cardParamMap.notice).toContain('问责处理意见由分管领导审核');
    expect(stranger.userPrivateData.cardParamMap.notice).not.toMatch(/[A-Z]\d+[：:]/);
    const approved = await ack(fake.clickCardButton({ outTrackId: card.outTrackId, userId: 'dt-leader', actionId: 'clue:approve' }));
    expect(approved.cardData.cardParamMap).toMatchObject({ stateLabel: '督查室复核', buttons: '[]' });
    expect((await t.db.getRepository(Clue).findOneByOrFail({ number: clue.number })).state).toBe('recheck');
  });

  it("/积分 in the group: the unit's 激励积分 and rank, answered in the group; another unit's is refused (P2)", async () => {
    await say('dt-lead', '/积分');
    const reply = await fake.waitFor(() => textsIn('cidFGW').find((m) => m.includes('【激励积分】市发展改革委')));
    expect(reply).toMatch(/【激励积分】市发展改革委 \d{4}年度：[\d.]+ 分（基准 100，第 \d 名 \/ 共 3 个单位）/);
    await say('dt-lead', '／积分 市财政局');
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('承办单位只能查看本单位的积分')));
  });

  it('the same frame three times, and a frame pushed again after its ACK, each make one effect', async () => {
    const n2 = (
      await t
        .get(RegistrationService)
        .register({ title: '去重测试', content: '内容', source: 'other', ownerId: ids.owner, leaderId: ids.leader, leadUnitId: ids.lead }, supervisor)
    ).number;
    await t.get(ItemCommandsService).assign(n2, supervisor);
    await t
      .get(ItemCommandsService)
      .sign(n2, (await t.get(TokenService).actorFor((await t.get(OrgService).people({ unitId: undefined })).find((p) => p.name === '陈联络')!.id, 'api'))!);
    const itemId = (await t.db.getRepository(Item).findOneByOrFail({ number: n2 })).id;
    const same: string[] = [];
    for (let i = 0; i < 3; i++) same.push((await say('dt-lead', `/反馈 ${n2} 同一条消息`, 'cidFGW', 'msgSAME001')).messageId);
    const { messageId } = await say('dt-lead', `/反馈 ${n2} 再推一次`, 'cidFGW', 'msgREPUSH01');
    fake.resend(messageId); // DingTalk pushes again (it may, even after an ACK)
    // Read only once every frame is ACKed: an ACK is sent after the effect committed (a copy that arrives while the first
    // is still open waits for it on the inbox row's unique key). The frames are handled concurrently, so waiting for the
    // last one's ACKs alone (as this test did) could read before the first frame's transaction committed — 1 run in 4.
    await fake.waitFor(() => same.every((id) => fake.acks.some((a) => a.messageId === id)), 5_000);
    await fake.waitFor(() => fake.acks.filter((a) => a.messageId === messageId).length >= 2, 5_000);
    expect(await t.db.getRepository(Report).countBy({ itemId, content: '同一条消息' })).toBe(1);
    expect(await t.db.getRepository(Report).countBy({ itemId, content: '再推一次' })).toBe(1);
  });

  it('an unbound user gets the binding hint; a contact of another unit is refused in Chinese', async () => {
    await say('dt-nobody', `/签收 ${number}`);
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('dt-nobody') && m.includes('还没有登记到督办系统')));
    await say('dt-other', `/反馈 ${number} 我来反馈`);
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('只有主办单位可以反馈')));
  });

  it('a forged HTTP callback is 401 and changes nothing; a correctly signed one is accepted', async () => {
    fake.setHttpCallbackUrl(`${t.url}/callbacks/dingtalk`);
    const before = await t.db.getRepository(Report).count();
    const body = fake.groupTextPayload({ conversationId: 'cidFGW', senderStaffId: 'dt-lead', text: `/查询 ${number}` });
    expect((await fake.postHttpCallback(body, { forgeSign: true })).status).toBe(401);
    expect((await fake.postHttpCallback(body, { timestampMs: Date.now() - 2 * 3600_000 })).status).toBe(401);
    expect((await fake.postHttpCallback(body)).status).toBe(200);
    expect(await t.db.getRepository(Report).count()).toBe(before);
  });

  it('an expired token is refreshed; throttled sends are retried; nothing is lost or dead', async () => {
    const tokensBefore = fake.received.filter((c) => c.path.includes('accessToken')).length;
    fake.expireAllTokens();
    fake.throttleNext('/v1.0/robot/groupMessages/send', 2);
    await say('dt-lead', `/查询 ${number}`);
    await say('dt-lead', '/帮助');
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('状态：已办结')), 15_000);
    await fake.waitFor(() => textsIn('cidFGW').some((m) => m.includes('/签收')), 15_000);
    expect(fake.received.filter((c) => c.path.includes('accessToken')).length).toBeGreaterThan(tokensBefore);
    expect(fake.received.filter((c) => c.path === '/v1.0/robot/groupMessages/send' && c.status === 403).length).toBe(2);
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });

  it('the fake dropping the WebSocket: the service reconnects, and a frame left unACKed meanwhile is delivered then', async () => {
    const stream = t.get(DingTalkLifecycle).stream!;
    const before = stream.connections;
    fake.dropConnections();
    // A message pushed while we are away is held by the gateway and delivered after the reconnect.
    const { messageId } = await say('dt-lead', `/查询 ${number}`, 'cidFGW', 'msgWHILEDOWN');
    await fake.waitFor(() => stream.connections > before, 15_000);
    await fake.waitFor(() => fake.acks.some((a) => a.messageId === messageId), 15_000);
  });
});

/** Outbound edges: a broadcast group's custom robot (加签, 20 a minute), dead letters an admin retries, and no card template. */
describe('DingTalk outbound edges (issue 4 §3)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, customRobots: [{ accessToken: 'robot-token-1', secret: 'SECrobot0123456789' }] });
    t = await startTestApp({
      clock: new OffsetClock(),
      env: {
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_MODE: 'http', // no Stream connection needed here
        DINGTALK_API_BASE: fake.apiBase,
        DINGTALK_OAPI_BASE: fake.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const queue = async (target: string, n: number, kind = 'bot_reply') => {
    const repo = t.db.getRepository(OutboxMessage);
    for (let i = 0; i < n; i++) {
      await repo.save({
        dedupeKey: `test:${target}:${kind}:${Date.now()}:${i}`,
        kind,
        target: target as never,
        platform: 'dingtalk',
        itemId: null,
        payload: { text: `通报第${i + 1}条`, replyTo: {} },
        status: 'pending',
        attempts: 0,
        dueAt: new Date(),
      });
    }
  };

  it('broadcasts through a signed custom robot at most 20 a minute: the rest wait for the next window, never throttled, none lost', async () => {
    const group = await t.get(OrgService).createGroup({
      platform: 'dingtalk',
      externalId: 'cidBROADCAST',
      name: '全市通报群',
      purpose: 'broadcast',
      webhookUrl: `${fake.oapiBase}/robot/send?access_token=robot-token-1`,
      webhookSecret: 'SECrobot0123456789',
    });
    await queue(`group:${group.id}`, 22);
    const sent = () => fake.received.filter((c) => c.path === '/robot/send' && (c.response as { errcode?: number })?.errcode === 0).length;
    await fake.waitFor(() => sent() === 20);
    await eventually(
      async () =>
        (await t.db.getRepository(OutboxMessage).findBy({ target: `group:${group.id}` as never })).filter(
          (r) => r.status === 'pending' && r.lastError?.includes('限速'),
        ).length === 2,
    );
    const rows = await t.db.getRepository(OutboxMessage).findBy({ target: `group:${group.id}` as never });
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(20);
    const waiting = rows.filter((r) => r.status === 'pending');
    expect(waiting).toHaveLength(2);
    expect(waiting.every((r) => r.attempts === 0)).toBe(true); // waiting is not failing
    expect(waiting[0].dueAt.getTime()).toBeGreaterThan(Date.now() + 30_000); // the next minute's window
    // The robot was never pushed past its limit, so it was never throttled (410100 would silence it for 10 minutes).
    expect(fake.received.filter((c) => c.path === '/robot/send' && (c.response as { errcode?: number })?.errcode === 410100)).toHaveLength(0);
  });

  it('HTTP mode: a signed card callback is answered with the new card; a forged one is 401 and changes nothing', async () => {
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'HTP', name: '市审计局' })).id;
    await org.createPerson({
      name: '审计联络',
      roles: [{ role: 'unit_contact', unitId: unit }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-http' }],
    });
    const sup = await org.createPerson({ name: '督查员乙', roles: [{ role: 'supervisor' }, { role: 'owner' }] });
    const leader = await org.createPerson({ name: '领导乙', roles: [{ role: 'leader' }] });
    const supActor = (await t.get(TokenService).actorFor(sup.id, 'api'))!;
    const item = await t
      .get(RegistrationService)
      .register({ title: 'HTTP 模式测试', content: '内容', source: 'other', leaderId: leader.id, leadUnitId: unit }, supActor);
    await t.get(ItemCommandsService).assign(item.number, supActor);
    const content = JSON.stringify({ cardPrivateData: { actionIds: ['sign'], params: { number: item.number } } });
    const body = { type: 'actionCallback', outTrackId: 'not-a-known-card', corpId: 'ding', userId: 'dt-http', content, userIdType: 1 };
    const ts = String(Date.now());
    const forged = await t
      .http()
      .post('/callbacks/dingtalk/card')
      .set({ 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': cardCallbackSignature('wrong', ts) })
      .send(body);
    expect(forged.status).toBe(401);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).state).toBe('assigned');
    const ok = await t
      .http()
      .post('/callbacks/dingtalk/card')
      .set({ 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': cardCallbackSignature(APP.clientSecret, ts) })
      .send(body)
      .expect(200);
    expect(ok.body.cardData.cardParamMap).toMatchObject({ number: item.number, stateLabel: '办理中' });
    // No card template configured here: the assignment went out as a sampleActionCard, one to one (the unit has no group).
    // It is composed when sent, so it shows the buttons of that moment as commands (签收 before the click, 反馈 after).
    const fallback = await fake.waitFor(() =>
      fake
        .directMessages('dt-http')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes('sampleActionCard')),
    );
    expect(fallback).toContain(item.number);
    expect(fallback).toMatch(/\/(签收|反馈|延期) DB2026-/);
  });

  it('messages for a platform that is not switched on wait, untouched, instead of failing', async () => {
    const group = await t.get(OrgService).createGroup({ platform: 'wecom', externalId: 'wrWAITING', name: '企业微信群', purpose: 'broadcast' });
    await t.db.getRepository(OutboxMessage).save({
      dedupeKey: 'test:wecom-wait',
      kind: 'bot_reply',
      target: `group:${group.id}` as never,
      platform: 'wecom',
      itemId: null,
      payload: { text: '等企业微信' },
      status: 'pending',
      attempts: 0,
      dueAt: new Date(),
    });
    await t.get(OutboxRelay).drain();
    expect(await t.db.getRepository(OutboxMessage).findOneByOrFail({ dedupeKey: 'test:wecom-wait' })).toMatchObject({
      status: 'pending',
      attempts: 0,
      lockedBy: null,
    });
  });

  it('a permanent refusal becomes a dead letter with the reason; an admin lists it and retries it', async () => {
    fake.failNext('/v1.0/robot/oToMessages/batchSend', 1, { status: 400, code: 'invalidParameter', message: 'robotCode 不合法' });
    const person = await t.get(OrgService).createPerson({ name: '测试人员', identities: [{ platform: 'dingtalk', externalUserId: 'dt-dead' }] });
    await queue(`person:${person.id}`, 1);
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const dead = await eventually(async () => {
      const r = await t.http().get('/api/outbox/dead').set(admin);
      return r.body.length ? r.body : null;
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ target: `person:${person.id}`, attempts: 1 });
    expect(dead[0].lastError).toContain('invalidParameter');
    await t.http().post(`/api/outbox/${dead[0].id}/retry`).set(admin).expect(200);
    await fake.waitFor(() => fake.directMessages('dt-dead').length === 1, 5_000);
  });
});
