import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import type { Actor } from '../../src/shared/actor';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

/** The texts of one message, unwrapped from the platform's envelope (DingTalk's msgParam is JSON in a string). */
const textsOf = (m: unknown): string[] => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.startsWith('{')) {
        try {
          return walk(JSON.parse(v));
        } catch {
          /* plain text that starts with a brace */
        }
      }
      out.push(v);
    } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(m);
  return out;
};

const APP = { clientId: 'dingwords', clientSecret: 'dingwords-secret-0123456789', robotCode: 'dingwords' };

/**
 * Issue 14 (words): a refusal in chat says why in the domain's words and what to do next, with the person's own item
 * number — never a rule id (P4：, C5：) or a state name. Over real sockets through the fake DingTalk, the texts
 * checked exactly as they arrive in the group.
 */
describe('refusals in chat say why and what next, without rule ids (issue 14, DingTalk)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let supervisor: Actor;
  let n: string;

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400, cardTemplateIds: ['tpl-words'] });
    t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      env: {
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_ROBOT_CODE: APP.robotCode,
        DINGTALK_CARD_TEMPLATE_ID: 'tpl-words',
        DINGTALK_API_BASE: fake.apiBase,
        DINGTALK_OAPI_BASE: fake.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
      },
    });
    const org = t.get(OrgService);
    const lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: lead, purpose: 'unit' });
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidCZJ', name: '财政局督办群', unitId: co, purpose: 'unit' });
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-sup', [{ role: 'supervisor' }]);
    const owner = await person('李秘书长', 'dt-owner', [{ role: 'owner' }]);
    const leader = await person('赵副市长', 'dt-leader', [{ role: 'leader' }]);
    await person('陈联络', 'dt-lead', [{ role: 'unit_contact', unitId: lead }]);
    await person('吴联络', 'dt-co', [{ role: 'unit_contact', unitId: co }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    await fake.waitFor(() => fake.connections() > 0, 10_000);
    const reg = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '年内开工30个小区',
        source: 'meeting',
        ownerId: owner,
        leaderId: leader,
        leadUnitId: lead,
        coUnitIds: [co],
        deadline: { node: '7d' },
      },
      supervisor,
    );
    n = reg.number;
    await t.get(ItemCommandsService).assign(n, supervisor);
    // The assignment cards arrive first; every later message in the groups is an answer.
    await fake.waitFor(() => fake.groupMessages('cidFGW').length > 0 && fake.groupMessages('cidCZJ').length > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const textsIn = (conv: string): string[] => fake.groupMessages(conv).flatMap(textsOf);
  /** Says something in a group and returns the robot's answer, exactly as it arrives (the message's text). */
  async function answer(user: string, text: string, conv: string): Promise<string> {
    const before = fake.groupMessages(conv).length;
    await fake.sendGroupText({ conversationId: conv, senderStaffId: user, text });
    const reply = await fake.waitFor(() => fake.groupMessages(conv)[before], 10_000);
    return textsOf(reply).at(-1)!;
  }

  it('/反馈 before 签收: the lead unit is told to sign first, with its own number', async () => {
    const want = `事项 ${n} 已交办，主办单位尚未签收，现在不能反馈。请先签收：/签收 ${n}`;
    expect(await answer('dt-lead', `/反馈 ${n} 已完成初稿`, 'cidFGW')).toBe(want);
  });

  it('/反馈 by a co-unit: told to hand its material to the lead unit, named', async () => {
    const want = `只有主办单位可以反馈事项 ${n}；贵单位是协办单位，请把材料交主办单位（市发展改革委）汇总后反馈。`;
    expect(await answer('dt-co', `/反馈 ${n} 协办材料`, 'cidCZJ')).toBe(want);
  });

  it('/审定 by a unit contact: told whose step it is and that the unit will hear of it', async () => {
    const want = `审定由本事项的分管领导办理，您不能审定事项 ${n}。请等待分管领导审定，审定后会通知有关单位。`;
    expect(await answer('dt-lead', `/审定 ${n}`, 'cidFGW')).toBe(want);
  });

  it('/反馈 after the closure request: what the state means and whom to ask', async () => {
    expect(await answer('dt-lead', `/签收 ${n}`, 'cidFGW')).toContain(n); // the confirmation's words are another part's
    await eventually(async () => (await t.db.getRepository(Item).findOneByOrFail({ number: n })).state === 'in_progress', 10_000, 'in_progress');
    expect(await answer('dt-lead', `/办结 ${n} 已全部完成`, 'cidFGW')).toContain(n);
    await eventually(async () => (await t.db.getRepository(Item).findOneByOrFail({ number: n })).state === 'closure_requested', 10_000, 'closure_requested');
    const want = `事项 ${n} 已申请办结，正在等待立项主体审核，现在不能反馈。如需补充材料，请联系立项主体。`;
    expect(await answer('dt-lead', `/反馈 ${n} 补充现场照片`, 'cidFGW')).toBe(want);
  });

  it('no answer in either group carries a rule id', () => {
    for (const conv of ['cidFGW', 'cidCZJ']) for (const s of textsIn(conv)) expect(s).not.toMatch(/(?<![0-9A-Za-z])[A-Z]\d+[：:]/);
  });
});

/** The same refusals on WeCom (AI bot in the unit groups): the words come from the one rule core, so they match. */
describe('refusals in chat say why and what next, without rule ids (issue 14, WeCom)', () => {
  let fake: FakeWeCom;
  let t: TestApp;
  let n: string;

  beforeAll(async () => {
    fake = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({ clock: new OffsetClock(), listen: true, env: wecomEnv(fake) });
    fake.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
    const org = t.get(OrgService);
    const lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'wecom', externalId: 'wrFGW', name: '发改委督办群', unitId: lead, purpose: 'unit' });
    await org.createGroup({ platform: 'wecom', externalId: 'wrCZJ', name: '财政局督办群', unitId: co, purpose: 'unit' });
    const person = async (name: string, wx: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'wecom', externalUserId: wx }] })).id;
    const sup = await person('王督查', 'wx-sup', [{ role: 'supervisor' }]);
    const owner = await person('李秘书长', 'wx-owner', [{ role: 'owner' }]);
    const leader = await person('赵副市长', 'wx-leader', [{ role: 'leader' }]);
    await person('陈联络', 'wx-lead', [{ role: 'unit_contact', unitId: lead }]);
    await person('吴联络', 'wx-co', [{ role: 'unit_contact', unitId: co }]);
    const supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    await fake.waitFor(() => fake.botConnections() > 0, 10_000);
    const reg = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '年内开工30个小区',
        source: 'meeting',
        ownerId: owner,
        leaderId: leader,
        leadUnitId: lead,
        coUnitIds: [co],
        deadline: { node: '7d' },
      },
      supervisor,
    );
    n = reg.number;
    await t.get(ItemCommandsService).assign(n, supervisor);
    await fake.waitFor(() => fake.groupMessages('wrFGW').length > 0 && fake.groupMessages('wrCZJ').length > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  /** @s the bot in a group and returns its answer as the group sees it: WeCom markdown, headed by the bot's name. */
  async function answer(user: string, text: string, chatId: string): Promise<string> {
    const before = fake.groupMessages(chatId).length;
    await fake.botGroupText({ chatId, userId: user, text: `@督办助手 ${text}` });
    const reply = await fake.waitFor(() => fake.groupMessages(chatId)[before], 10_000);
    return textsOf(reply).at(-1)!;
  }

  it('/反馈 before 签收, and by a co-unit: the exact words, with the number and the lead unit', async () => {
    const first = `事项 ${n} 已交办，主办单位尚未签收，现在不能反馈。请先签收：/签收 ${n}`;
    expect(await answer('wx-lead', `/反馈 ${n} 已完成初稿`, 'wrFGW')).toBe(`**督办助手**\n${first}`);
    const co = `只有主办单位可以反馈事项 ${n}；贵单位是协办单位，请把材料交主办单位（市发展改革委）汇总后反馈。`;
    expect(await answer('wx-co', `/反馈 ${n} 协办材料`, 'wrCZJ')).toBe(`**督办助手**\n${co}`);
    for (const chat of ['wrFGW', 'wrCZJ']) for (const s of fake.groupMessages(chat).flatMap(textsOf)) expect(s).not.toMatch(/(?<![0-9A-Za-z])[A-Z]\d+[：:]/);
  });
});
