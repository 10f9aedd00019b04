import { FakeDingTalk } from '../../fakes/dingtalk';
import type { CardRecord } from '../../fakes/dingtalk/types';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { ItemRequest } from '../../src/cases/item-request.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import type { Actor } from '../../src/shared/actor';
import { formatShanghai, shanghaiDate } from '../../src/shared/shanghai-time';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingroles', clientSecret: 'dingroles-secret-0123456789', robotCode: 'dingroles' };

/**
 * Issue 14, "each role finishes its job in chat", on DingTalk through the fake over real sockets: the owner decides an
 * extension (card buttons and /批准延期, /驳回延期), the leader 退回s what he will not approve, the unit withdraws its
 * own pending request, a date that is probably wrong is asked about before it is filed, 申请延期 is offered only while
 * E1 allows it, and every card — the clicker's too — shows the buttons of the item's state after each change.
 */
describe('issue 14: each role finishes its job in DingTalk', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  const clock = new OffsetClock(); // real time: the fakes run on it
  let supervisor: Actor;
  let lead: Actor;
  const ids = { lead: 0, co: 0, owner: 0, leader: 0 };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400, cardTemplateIds: ['tpl-roles'] });
    t = await startTestApp({
      clock,
      listen: true,
      env: {
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_ROBOT_CODE: APP.robotCode,
        DINGTALK_CARD_TEMPLATE_ID: 'tpl-roles',
        DINGTALK_API_BASE: fake.apiBase,
        DINGTALK_OAPI_BASE: fake.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
      },
    });
    const org = t.get(OrgService);
    ids.lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    ids.co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidCZJ', name: '财政局督办群', unitId: ids.co, purpose: 'unit' });
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'dt-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'dt-leader', [{ role: 'leader' }]);
    const leadId = await person('陈联络', 'dt-lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    await person('吴联络', 'dt-co', [{ role: 'unit_contact', unitId: ids.co }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    lead = (await t.get(TokenService).actorFor(leadId, 'api'))!;
    await fake.waitFor(() => fake.connections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  /** The text of every robot message, as people read it (DingTalk markdown's line breaks undone). */
  const texts = (msgs: object[]) =>
    msgs.map((m) => {
      const p = (m as { msgParam?: unknown }).msgParam;
      const param = typeof p === 'string' ? (JSON.parse(p) as { text?: string; content?: string }) : ((p ?? {}) as { text?: string; content?: string });
      return String(param.text ?? param.content ?? '').replace(/ {2}\n/g, '\n');
    });
  const inGroup = (cid: string) => texts(fake.groupMessages(cid));
  const toUser = (user: string) => texts(fake.directMessages(user));
  const say = (user: string, text: string, conv = 'cidFGW') => fake.sendGroupText({ conversationId: conv, senderStaffId: user, text });
  const dm = (user: string, text: string) => fake.sendDirectText({ senderStaffId: user, text });
  const cards = (space: string, kind?: string) =>
    [...fake.cards().values()].filter((c) => c.openSpaceId.endsWith(space) && (!kind || c.cardParamMap.kind === kind));
  /** What one person sees on a card: the public data, overlaid by that person's private data (DingTalk templates). */
  const seen = (c: CardRecord, user: string) => ({ ...c.cardParamMap, ...(c.privateData?.[user]?.cardParamMap ?? {}) });
  const buttons = (c: CardRecord, user: string) => (JSON.parse(seen(c, user).buttons ?? '[]') as { id: string }[]).map((b) => b.id);
  const waitText = (get: () => string[], text: string) =>
    fake
      .waitFor(() => get().includes(text) && text)
      .catch((e: Error) => {
        throw new Error(`${e.message}: wanted ${JSON.stringify(text)}, got ${JSON.stringify(get().slice(-4))}`);
      });
  const item = (number: string) => t.db.getRepository(Item).findOneByOrFail({ number });
  const register = async (title: string, node: '1d' | '7d' = '7d') => {
    const { number } = await t.get(RegistrationService).register(
      {
        title,
        content: '按要求办理',
        source: 'meeting',
        ownerId: ids.owner,
        leaderId: ids.leader,
        leadUnitId: ids.lead,
        coUnitIds: [ids.co],
        deadline: { node },
      },
      supervisor,
    );
    await t.get(ItemCommandsService).assign(number, supervisor);
    return number;
  };
  const day = (d: Date) => shanghaiDate(d);
  const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

  it('owner: the extension request comes as a card with 同意延期 / 不同意; the unit withdraws one and refiles; 不同意 by button, 批准 by command', async () => {
    const number = await register('完善城市排水管网');
    const deadline = (await item(number)).deadlineAt;
    const first = day(plusDays(deadline, 10));
    await say('dt-lead', `/延期 ${number} ${first} 需等待省厅批复`);
    await waitText(() => inGroup('cidFGW'), `${number}：延期申请（至 ${first}）已提交，等待立项主体审批。`);

    // The owner's one-to-one card: the request and two buttons (no "请在督办系统中审批").
    const card = await fake.waitFor(() => cards('IM_ROBOT.dt-owner', 'extension').find((c) => c.cardParamMap.number === number));
    expect(card.cardParamMap).toMatchObject({ kind: 'extension', proposed: `${first} 18:00`, summary: '需等待省厅批复', requestStatus: '待审批' });
    expect(buttons(card, 'dt-owner')).toEqual(['ext:approve', 'ext:reject']);
    expect(toUser('dt-owner').some((m) => m.includes('请在督办系统中审批'))).toBe(false);

    // A second request while one is pending is refused with the way out; /撤回 withdraws it and the owner is told.
    await say('dt-lead', `/延期 ${number} ${day(plusDays(deadline, 5))} 改为5天`);
    await waitText(() => inGroup('cidFGW'), `事项 ${number} 已有一份延期申请待立项主体审批。如需修改，请先撤回：/撤回 ${number}，再重新申请。`);
    await say('dt-lead', `/撤回 ${number}`);
    await waitText(() => inGroup('cidFGW'), `${number}：已撤回延期申请，并已告知立项主体。如需重新申请：/延期 ${number} 新日期 理由。`);
    await waitText(() => toUser('dt-owner'), `【撤回申请】${number}「完善城市排水管网」\n市发展改革委已撤回延期申请，无需再审批。`);
    // The owner's card no longer offers a decision on the withdrawn request.
    await fake.waitFor(() => card.cardParamMap.requestStatus === '已撤回');
    expect(buttons(card, 'dt-owner')).toEqual([]);

    // The corrected request: a new card; 不同意 clicked with a reason.
    const second = day(plusDays(deadline, 5));
    await say('dt-lead', `/延期 ${number} ${second} 改为5天`);
    const card2 = await fake.waitFor(() => cards('IM_ROBOT.dt-owner', 'extension').find((c) => c !== card && c.cardParamMap.number === number));
    const refused = await fake.clickCardButton({ outTrackId: card2.outTrackId, userId: 'dt-owner', actionId: 'ext:reject', params: { reason: '请按期完成' } });
    const ack = (await refused.ack) as { cardData: { cardParamMap: Record<string, string> }; userPrivateData: { cardParamMap: Record<string, string> } };
    expect(ack.cardData.cardParamMap).toMatchObject({ requestStatus: '未同意', buttons: '[]' });
    expect(ack.userPrivateData.cardParamMap.notice).toBe(`${number}：已不同意延期，理由已告知承办单位。`);
    await waitText(() => inGroup('cidFGW'), `【延期审批】${number}「完善城市排水管网」\n未同意延期：请按期完成`);

    // Asked again; the owner approves by typing in the one-to-one chat.
    await say('dt-lead', `/延期 ${number} ${second} 确需5天`);
    await fake.waitFor(() => cards('IM_ROBOT.dt-owner', 'extension').filter((c) => c.cardParamMap.number === number).length === 3);
    await dm('dt-owner', `/批准延期 ${number}`);
    await waitText(() => toUser('dt-owner'), `${number}：已同意延期，新期限 ${second} 18:00，已告知承办单位。`);
    await waitText(
      () => inGroup('cidFGW'),
      `【延期审批】${number}「完善城市排水管网」\n已同意延期，新期限 ${second} 18:00。本事项转入「持续跟进」版块：系统每周提醒一次，请承办单位每月报告进展，直至任务全面落实。`,
    );
    expect(formatShanghai((await item(number)).deadlineAt)).toBe(`${second} 18:00`);
    // Nothing is left to decide: /驳回延期 now says so.
    await dm('dt-owner', `/驳回延期 ${number} 再议`);
    await waitText(
      () => toUser('dt-owner'),
      `事项 ${number} 没有待审批的延期申请（可能已审批或已被承办单位撤回），无需再审批。可发送 /查询 ${number} 查看当前情况。`,
    );
  });

  it('leader: the approval card offers 审定 and 退回; 退回 with a reason sends the item back to the unit and tells the owner', async () => {
    const number = await register('整治背街小巷');
    await t.get(ItemCommandsService).sign(number, lead);
    await say('dt-lead', `/办结 ${number} 已全部整治`);
    await waitText(() => inGroup('cidFGW'), `${number}：办结申请已提交，等待立项主体审核。`);
    await eventually(async () => (await item(number)).state === 'closure_requested');
    await dm('dt-owner', `/评定 ${number} 良好`);
    const approval = await fake.waitFor(() => cards('IM_ROBOT.dt-leader', 'approval').find((c) => c.cardParamMap.number === number));
    expect(buttons(approval, 'dt-leader')).toEqual(['approve', 'return']);

    const click = await fake.clickCardButton({
      outTrackId: approval.outTrackId,
      userId: 'dt-leader',
      actionId: 'return',
      params: { reason: '群众仍有反映，请核实' },
    });
    const ack = (await click.ack) as { cardData: { cardParamMap: Record<string, string> }; userPrivateData: { cardParamMap: Record<string, string> } };
    expect(ack.userPrivateData.cardParamMap.notice).toBe(`${number}：已退回承办单位继续办理，并已告知立项主体。`);
    expect(ack.cardData.cardParamMap).toMatchObject({ stateLabel: '办理中', buttons: '[]' });
    const after = await item(number);
    expect(after).toMatchObject({ state: 'in_progress', answeredAt: null, rating: null });
    await waitText(
      () => inGroup('cidFGW'),
      `【退回】${number}「整治背街小巷」\n分管领导未予审定，退回继续办理：群众仍有反映，请核实\n请按要求继续办理，完成后重新申请办结：/办结 ${number} 办理情况`,
    );
    await waitText(
      () => toUser('dt-owner'),
      `【分管领导退回】${number}「整治背街小巷」\n分管领导未予审定，已退回承办单位继续办理。理由：群众仍有反映，请核实\n承办单位重新申请办结后，请重新评定：/评定 ${number} 等次 意见`,
    );

    // Typed by the leader, on a second round.
    await say('dt-lead', `/办结 ${number} 已复核整改`);
    await eventually(async () => (await item(number)).state === 'closure_requested');
    await dm('dt-owner', `/评定 ${number} 合格`);
    await eventually(async () => (await item(number)).state === 'pending_approval');
    await dm('dt-leader', `/退回 ${number} 材料不全`);
    await waitText(() => toUser('dt-leader'), `${number}：已退回承办单位继续办理，并已告知立项主体。`);
    expect((await item(number)).state).toBe('in_progress');
  });

  it('unit: a pending closure request is withdrawn (back to 办理中, the owner told), then a corrected one is filed', async () => {
    const number = await register('规范农贸市场');
    await t.get(ItemCommandsService).sign(number, lead);
    await say('dt-lead', `/办结 ${number} 已规范`);
    await eventually(async () => (await item(number)).state === 'closure_requested');
    await say('dt-lead', `/撤回 ${number}`);
    await waitText(() => inGroup('cidFGW'), `${number}：已撤回办结申请，事项回到办理中，并已告知立项主体。办理完成后可重新申请：/办结 ${number} 办理情况。`);
    await waitText(() => toUser('dt-owner'), `【撤回申请】${number}「规范农贸市场」\n市发展改革委已撤回办结申请，无需再审批。`);
    expect(await item(number)).toMatchObject({ state: 'in_progress', answeredAt: null });
    await say('dt-lead', `/办结 ${number} 已规范，附照片`);
    await eventually(async () => (await item(number)).state === 'closure_requested');
    const reqs = await t.db.getRepository(ItemRequest).findBy({ itemId: (await item(number)).id, kind: 'closure' });
    expect(reqs.map((r) => r.status).sort()).toEqual(['pending', 'withdrawn']);
  });

  it('dates: "12月1日" typed on 12-02 is asked about, not filed; /确认 files it exactly once', async () => {
    const number = await register('修缮老城区路灯');
    const now = clock.now();
    const yesterday = plusDays(now, -1);
    const [y, m, d] = day(yesterday).split('-').map(Number);
    const meant = `${y + 1}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    await say('dt-lead', `/延期 ${number} ${m}月${d}日 来不及`);
    await waitText(() => inGroup('cidFGW'), `您是指 ${y + 1}年${m}月${d}日 吗？确认请回复 /确认，或重新输入：/延期 ${number} 新日期 理由`);
    const itemId = (await item(number)).id;
    expect(await t.db.getRepository(ItemRequest).countBy({ itemId, kind: 'extension' })).toBe(0);
    await say('dt-lead', '/确认');
    await waitText(() => inGroup('cidFGW'), `${number}：延期申请（至 ${meant}）已提交，等待立项主体审批。`);
    await say('dt-lead', '/确认');
    await waitText(() => inGroup('cidFGW'), '您目前没有需要确认的申请（确认须在提问后30分钟内回复）。如需申请延期，请写成：/延期 编号 新日期 理由');
    expect(await t.db.getRepository(ItemRequest).countBy({ itemId, kind: 'extension' })).toBe(1);
  });

  it('E1: a 1-day item whose cut-off passed before it was assigned offers no 申请延期, and a late /延期 names the cut-off and the next step', async () => {
    const number = await register('报送安全检查情况', '1d');
    const card = await fake.waitFor(() => cards('IM_GROUP.cidFGW', 'assignment').find((c) => c.cardParamMap.number === number));
    expect(buttons(card, 'dt-lead')).toEqual(['sign']);
    await say('dt-lead', `/延期 ${number} ${day(plusDays(clock.now(), 5))} 来不及`);
    const late = await fake
      .waitFor(() => inGroup('cidFGW').find((m) => m.startsWith('延期须在期限前至少2个工作日提出') && m.includes(number)))
      .catch((e: Error) => {
        throw new Error(`${e.message}: got ${JSON.stringify(inGroup('cidFGW').slice(-3))}`);
      });
    expect(late).toMatch(
      new RegExp(
        `^延期须在期限前至少2个工作日提出。本事项期限 \\d{4}-\\d{2}-\\d{2} 18:00，最迟应于 \\d{4}年\\d{1,2}月\\d{1,2}日（含当日）申请，现已超过，不能再申请延期。` +
          `请按期办结：/办结 ${number} 办理情况；确实无法按期完成的，请反馈原因：/反馈 ${number} 未能按期完成的原因。$`,
      ),
    );
  });

  it("every card shows the buttons of the state after each change — the clicker's too", async () => {
    const number = await register('推进垃圾分类');
    const leadCard = await fake.waitFor(() => cards('IM_GROUP.cidFGW', 'assignment').find((c) => c.cardParamMap.number === number));
    const coCard = await fake.waitFor(() => cards('IM_GROUP.cidCZJ', 'assignment').find((c) => c.cardParamMap.number === number));
    const click = await fake.clickCardButton({ outTrackId: leadCard.outTrackId, userId: 'dt-lead', actionId: 'sign' });
    await click.ack;
    expect(buttons(leadCard, 'dt-lead')).toEqual(['report', 'extend', 'close']);
    // 反馈进展 clicked with its box left empty: the card says what to type, with this item's number.
    const empty = await fake.clickCardButton({ outTrackId: leadCard.outTrackId, userId: 'dt-lead', actionId: 'report', params: {} });
    expect(((await empty.ack) as { userPrivateData: { cardParamMap: Record<string, string> } }).userPrivateData.cardParamMap.notice).toBe(
      `请写上办理进展后 @督办助手 发送：/反馈 ${number} 办理进展`,
    );
    // A closure request typed in the group: every card, for every viewer, the clicker included, offers nothing more.
    await say('dt-lead', `/办结 ${number} 已全面推行`);
    await fake.waitFor(() => leadCard.cardParamMap.stateLabel === '已申请办结' && coCard.cardParamMap.stateLabel === '已申请办结');
    expect(buttons(leadCard, 'dt-lead')).toEqual([]);
    expect(buttons(leadCard, 'dt-co')).toEqual([]);
    expect(buttons(coCard, 'dt-co')).toEqual([]);
  });
});
