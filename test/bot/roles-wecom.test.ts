import { FakeWeCom } from '../../fakes/wecom';
import type { Actor } from '../../src/shared/actor';
import { TokenService } from '../../src/auth/token.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { OrgService } from '../../src/org/org.service';
import { shanghaiDate } from '../../src/shared/shanghai-time';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

/**
 * Issue 14 on WeCom, where a template card's buttons carry no text: a button that needs text answers with the exact
 * command to type, the number filled in; the owner's extension card and the leader's 退回 work on the phone.
 */
describe('issue 14: each role finishes its job in WeCom', () => {
  let fake: FakeWeCom;
  let t: TestApp;
  let supervisor: Actor;
  let lead: Actor;
  const ids = { lead: 0, owner: 0, leader: 0 };

  beforeAll(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({ clock: new OffsetClock(), listen: true, env: wecomEnv(fake) });
    fake.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
    const org = t.get(OrgService);
    ids.lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'wecom', externalId: 'wrFGW', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    const person = async (name: string, wx: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'wecom', externalUserId: wx }] })).id;
    const sup = await person('王督查', 'wx-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'wx-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'wx-leader', [{ role: 'leader' }]);
    const leadId = await person('陈联络', 'wx-lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    lead = (await t.get(TokenService).actorFor(leadId, 'api'))!;
    await fake.waitFor(() => fake.botConnections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  type WxCard = ReturnType<FakeWeCom['cards']> extends Map<string, infer C> ? C : never;
  const card = (pred: (c: WxCard) => boolean) => [...fake.cards().values()].find(pred);
  const keys = (c: { current: Record<string, unknown> }) => ((c.current.button_list as { key: string }[]) ?? []).map((b) => b.key);
  /** What people read: the text or markdown content of each message. */
  const contents = (msgs: object[]) =>
    msgs.map((m) => {
      const x = m as { markdown?: { content?: string }; text?: { content?: string }; stream?: { content?: string } };
      return String(x.markdown?.content ?? x.text?.content ?? x.stream?.content ?? JSON.stringify(m));
    });
  const inGroup = () => contents(fake.groupMessages('wrFGW'));
  const toUser = (user: string) => contents(fake.userMessages(user));
  const waitText = (get: () => string[], text: string) =>
    fake
      .waitFor(() => get().some((m) => m === text || m.endsWith(`\n${text}`)) && text)
      .catch((e: Error) => {
        throw new Error(`${e.message}: wanted ${JSON.stringify(text)}, got ${JSON.stringify(get().slice(-3))}`);
      });
  const item = (number: string) => t.db.getRepository(Item).findOneByOrFail({ number });
  const register = async (title: string) => {
    const { number } = await t
      .get(RegistrationService)
      .register(
        { title, content: '按要求办理', source: 'meeting', ownerId: ids.owner, leaderId: ids.leader, leadUnitId: ids.lead, deadline: { node: '7d' } },
        supervisor,
      );
    await t.get(ItemCommandsService).assign(number, supervisor);
    return number;
  };

  it('反馈进展 and 申请延期 on the group card answer with the exact command to type, pre-filled with the number', async () => {
    const number = await register('推进老旧小区改造');
    const groupCard = await fake.waitFor(() => card((c) => c.via === 'bot' && c.chatId === 'wrFGW' && JSON.stringify(c.card).includes(number)));
    await fake.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: groupCard.taskId, eventKey: 'sign' });
    await eventually(async () => (await item(number)).state === 'in_progress');
    await fake.waitFor(() => keys(groupCard).includes('report'));
    await fake.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: groupCard.taskId, eventKey: 'report' });
    await waitText(inGroup, `请写上办理进展后 @督办助手 发送：/反馈 ${number} 办理进展`);
    await fake.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: groupCard.taskId, eventKey: 'extend' });
    await waitText(inGroup, `请写上新日期和理由后 @督办助手 发送：/延期 ${number} 新日期 理由`);
    await fake.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: groupCard.taskId, eventKey: 'close' });
    await waitText(inGroup, `请写上办结情况后 @督办助手 发送：/办结 ${number} 办结情况`);
    expect((await item(number)).state).toBe('in_progress');
  });

  it("the owner's extension card: 不同意 asks for the reason to type, 同意延期 approves; the unit is told", async () => {
    const number = await register('完善城市排水管网');
    const until = shanghaiDate(new Date((await item(number)).deadlineAt.getTime() + 5 * 86_400_000));
    await fake.botGroupText({ chatId: 'wrFGW', userId: 'wx-lead', text: `@督办助手 /延期 ${number} ${until} 需等待省厅批复` });
    const ext = await fake.waitFor(() => card((c) => c.via === 'app' && c.touser === 'wx-owner' && JSON.stringify(c.card).includes('申请延期至')));
    expect(keys(ext)).toEqual(['ext:approve', 'ext:reject']);
    expect(JSON.stringify(ext.card)).toContain('延期理由：需等待省厅批复');
    await fake.appCardClick({ agentId: AGENT.agentId, userId: 'wx-owner', taskId: ext.taskId, eventKey: 'ext:reject' });
    await waitText(() => toUser('wx-owner'), `请写上不同意的理由后直接回复：/驳回延期 ${number} 理由`);
    await fake.appCardClick({ agentId: AGENT.agentId, userId: 'wx-owner', taskId: ext.taskId, eventKey: 'ext:approve' });
    await eventually(async () => shanghaiDate((await item(number)).deadlineAt) === until);
    await fake.waitFor(() => inGroup().some((m) => m.includes(`【延期审批】${number}「完善城市排水管网」\n已同意延期，新期限 ${until} 18:00。`)));
  });

  it("the leader's approval card offers 退回; on the phone it asks for the reason, and /退回 sends the item back", async () => {
    const number = await register('整治背街小巷');
    await t.get(ItemCommandsService).sign(number, lead);
    await t.get(ItemCommandsService).requestClosure(number, lead, { summary: '已全部整治' });
    const owner = (await t.get(TokenService).actorFor(ids.owner, 'api'))!;
    await t.get(ItemCommandsService).rate(number, owner, 'good');
    const approval = await fake.waitFor(() => card((c) => c.via === 'app' && c.touser === 'wx-leader' && JSON.stringify(c.card).includes(number)));
    expect(keys(approval)).toEqual(['approve', 'return']);
    await fake.appCardClick({ agentId: AGENT.agentId, userId: 'wx-leader', taskId: approval.taskId, eventKey: 'return' });
    await waitText(() => toUser('wx-leader'), `请写上退回理由后直接回复：/退回 ${number} 理由`);
    expect((await item(number)).state).toBe('pending_approval');
    await fake.appText({ agentId: AGENT.agentId, userId: 'wx-leader', text: `/退回 ${number} 群众仍有反映` });
    await waitText(() => toUser('wx-leader'), `${number}：已退回承办单位继续办理，并已告知立项主体。`);
    expect((await item(number)).state).toBe('in_progress');
  });
});
