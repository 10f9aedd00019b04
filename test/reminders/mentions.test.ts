import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { TokenService } from '../../src/auth/token.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OrgService } from '../../src/org/org.service';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { FixedClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingat', clientSecret: 'dingat-secret-0123456789', robotCode: 'dingat' };

/**
 * Issue 14 (8): urges into a unit's group @ the unit's contacts, in each platform's own form — DingTalk's custom robot
 * `at.atUserIds` with @userId in the text, WeCom markdown <@userid>; DingTalk's app robot has no mention list for group
 * messages, so there the contact's name is written out.
 */
describe('urges in groups @ the unit contacts (DingTalk and WeCom)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    ding = await FakeDingTalk.start({
      ...DING,
      now: () => clock.now().getTime(),
      customRobots: [{ accessToken: 'hook-b', secret: 'SEChookb0123456789', conversationId: 'cidHOOK' }],
    });
    wx = await FakeWeCom.start({ corpId: 'wwduban0000000001', agents: [], aibot: (await import('../support/platform-env')).BOT });
    t = await startTestApp({
      clock,
      env: {
        ...wecomEnv(wx),
        DINGTALK_CLIENT_ID: DING.clientId,
        DINGTALK_CLIENT_SECRET: DING.clientSecret,
        DINGTALK_ROBOT_CODE: DING.robotCode,
        DINGTALK_MODE: 'http',
        DINGTALK_API_BASE: ding.apiBase,
        DINGTALK_OAPI_BASE: ding.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '3600000',
      },
    });
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  it('the 5 h notice reaches each group with its contact @-ed', async () => {
    const org = t.get(OrgService);
    const tokens = t.get(TokenService);
    const unit = async (code: string, name: string) => (await org.createUnit({ code, name })).id;
    const a = await unit('AAA', '市发展改革委');
    const b = await unit('BBB', '市财政局');
    const c = await unit('CCC', '市教育局');
    const contact = (name: string, unitId: number, dt: string, wxId: string) =>
      org.createPerson({
        name,
        unitId,
        roles: [{ role: 'unit_contact', unitId }],
        identities: [
          { platform: 'dingtalk', externalUserId: dt },
          { platform: 'wecom', externalUserId: wxId },
        ],
      });
    await contact('陈联络', a, 'dt-a', 'wx-a');
    await contact('吴联络', b, 'dt-b', 'wx-b');
    await contact('孙联络', c, 'dt-c', 'wx-c');
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidAPP', name: '发改委督办群', unitId: a, purpose: 'unit' });
    await org.createGroup({
      platform: 'dingtalk',
      externalId: 'cidHOOK',
      name: '财政局督办群',
      unitId: b,
      purpose: 'unit',
      webhookUrl: `${ding.oapiBase}/robot/send?access_token=hook-b`,
      webhookSecret: 'SEChookb0123456789',
    });
    await org.createGroup({ platform: 'wecom', externalId: 'wrC', name: '教育局督办群', unitId: c, purpose: 'unit' });
    const sup = await org.createPerson({ name: '王督查', roles: [{ role: 'supervisor' }, { role: 'owner' }, { role: 'leader' }] });
    const actor = (await tokens.actorFor(sup.id, 'api'))!;
    const numbers: string[] = [];
    for (const [lead, title] of [
      [a, '发改委的事项'],
      [b, '财政局的事项'],
      [c, '教育局的事项'],
    ] as const) {
      const item = await t
        .get(RegistrationService)
        .register({ title, content: '内容', source: 'meeting', ownerId: sup.id, leaderId: sup.id, leadUnitId: lead, deadline: { node: '1d' } }, actor);
      await t.get(ItemCommandsService).assign(item.number, actor);
      numbers.push(item.number);
    }
    const relay = t.get(OutboxRelay);
    await relay.drain();
    const before = { app: ding.groupMessages('cidAPP').length, hook: ding.groupMessages('cidHOOK').length, wx: wx.groupMessages('wrC').length };
    // Deadline Tuesday 18:00 (C3); R1's 5 h notice at 13:00.
    t.clock.set(shanghaiInstant('2026-03-03', '13:00'));
    await t.get(ReminderScheduler).plan(t.clock.now());
    await t.get(ReminderScheduler).dispatch(t.clock.now());
    await relay.drain();
    await relay.drain();

    const app = ding.groupMessages('cidAPP').slice(before.app) as { msgParam: { text: string } }[];
    expect(app.map((m) => m.msgParam.text.replace(/ {2}\n/g, '\n'))).toEqual([
      `【督办提醒】${numbers[0]}「发改委的事项」将于 2026-03-03 18:00 到期，贵单位尚未签收。请尽快签收：/签收 ${numbers[0]}\n\n@陈联络`,
    ]);
    const hook = ding.groupMessages('cidHOOK').slice(before.hook) as { markdown: { text: string }; atList: unknown; mentioned: string[] }[];
    expect(hook).toHaveLength(1);
    expect(hook[0].markdown.text.replace(/ {2}\n/g, '\n')).toBe(
      `【督办提醒】${numbers[1]}「财政局的事项」将于 2026-03-03 18:00 到期，贵单位尚未签收。请尽快签收：/签收 ${numbers[1]}\n\n@dt-b`,
    );
    expect(hook[0].atList).toEqual({ atUserIds: ['dt-b'], isAtAll: false });
    expect(hook[0].mentioned).toEqual(['dt-b']);
    const wecom = wx
      .groupMessages('wrC')
      .slice(before.wx)
      .map((m) => JSON.stringify(m));
    expect(wecom).toHaveLength(1);
    expect(wecom[0]).toContain(`贵单位尚未签收。请尽快签收：/签收 ${numbers[2]}\\n<@wx-c>`);
  });

  it('issue 13/14 (4): 重点督办 set automatically (R5) reaches every unit group, on DingTalk and on WeCom', async () => {
    const before = { app: ding.groupMessages('cidAPP').length, hook: ding.groupMessages('cidHOOK').length, wx: wx.groupMessages('wrC').length };
    // Three working days past Tuesday's 18:00: Friday 18:00; the service ticks again at 18:00.
    t.clock.set(shanghaiInstant('2026-03-06', '18:00'));
    await t.get(ReminderScheduler).plan(t.clock.now());
    await t.get(ReminderScheduler).dispatch(t.clock.now());
    const relay = t.get(OutboxRelay);
    await relay.drain();
    await relay.drain();
    const said = (list: object[]) => list.map((m) => JSON.stringify(m)).filter((m) => m.includes('【重点督办】'));
    expect(said(ding.groupMessages('cidAPP').slice(before.app))).toHaveLength(1);
    expect(said(ding.groupMessages('cidHOOK').slice(before.hook))).toHaveLength(1);
    const wecom = said(wx.groupMessages('wrC').slice(before.wx));
    expect(wecom).toHaveLength(1);
    expect(wecom[0]).toContain('逾期已满3天仍未反馈，已转入重点督办。');
  });
});
