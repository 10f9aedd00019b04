import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import { OffsetClock } from '../../src/shared/clock';
import type { Actor } from '../../src/shared/actor';
import { timeLeft } from '../../src/chat/cards';
import { itemLinker } from '../../src/chat/item-link';
import { APP_CONFIG } from '../../src/config/app.config';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

const APP = { clientId: 'dingwords', clientSecret: 'dingwords-secret-0123456789', robotCode: 'dingwords' };

/**
 * Issue 14, words in chat (part H3): what each person reads after typing or clicking, asserted as the exact text that
 * lands at the fake DingTalk and the fake WeCom — the next step in every answer, in the person's own numbers.
 */
describe('words in chat: help and 我的 by role, the next step in every answer (issue 14)', () => {
  let dt: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let clock: OffsetClock;
  let supervisor: Actor;
  const ids = { lead: 0, co: 0, owner: 0, leader: 0, leadContact: 0, coContact: 0 };
  const n: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const CONTENT = '按照市政府第12次常务会议纪要，年内完成30个老旧小区改造，每月5日前报送进度。';

  beforeAll(async () => {
    dt = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400, cardTemplateIds: ['tpl-words'] });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    clock = new OffsetClock();
    clock.advance(new Date('2026-03-02T02:00:00Z').getTime() - Date.now()); // Monday 10:00 in Shanghai
    t = await startTestApp({
      clock,
      listen: true,
      env: {
        ...wecomEnv(wx),
        DINGTALK_CLIENT_ID: APP.clientId,
        DINGTALK_CLIENT_SECRET: APP.clientSecret,
        DINGTALK_ROBOT_CODE: APP.robotCode,
        DINGTALK_CARD_TEMPLATE_ID: 'tpl-words',
        DINGTALK_API_BASE: dt.apiBase,
        DINGTALK_OAPI_BASE: dt.oapiBase,
        DUBAN_OUTBOX_POLL_MS: '50',
      },
    });
    wx.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
    const org = t.get(OrgService);
    ids.lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    ids.co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    await org.createGroup({ platform: 'wecom', externalId: 'wrCZJ', name: '财政局督办群', unitId: ids.co, purpose: 'unit' });
    await org.createGroup({ platform: 'wecom', externalId: 'wrFGW', name: '发改委企业微信群', unitId: ids.lead, purpose: 'unit' });
    const person = async (name: string, key: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (
        await org.createPerson({
          name,
          roles,
          identities: [
            { platform: 'dingtalk', externalUserId: `dt-${key}` },
            { platform: 'wecom', externalUserId: `wx-${key}` },
          ],
        })
      ).id;
    const sup = await person('王督查', 'sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'leader', [{ role: 'leader' }]);
    ids.leadContact = await person('陈联络', 'lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    ids.coContact = await person('吴联络', 'co', [{ role: 'unit_contact', unitId: ids.co }]);
    await person('周主任', 'multi', [{ role: 'owner' }, { role: 'leader' }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    const reg = (title: string, content: string, coUnitIds: number[] = []) =>
      t
        .get(RegistrationService)
        .register(
          { title, content, source: 'meeting', ownerId: ids.owner, leaderId: ids.leader, leadUnitId: ids.lead, coUnitIds, deadline: { date: '2026-03-13' } },
          supervisor,
        );
    n.a = (await reg('推进老旧小区改造', CONTENT, [ids.co])).number;
    n.b = (await reg('整治背街小巷', '完成20条背街小巷整治'.repeat(80))).number;
    await t.get(ItemCommandsService).assign(n.a, supervisor);
    await t.get(ItemCommandsService).assign(n.b, supervisor);
    await dt.waitFor(() => dt.connections() > 0, 10_000);
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await dt?.stop();
    await wx?.stop();
  });

  /** What DingTalk shows in a group, as text (app-robot markdown turns \n into two spaces and a newline). */
  const textOf = (m: object): string => {
    const x = m as { msgParam?: { text?: string; content?: string }; markdown?: { text?: string }; text?: { content?: string } };
    return String(x.msgParam?.text ?? x.msgParam?.content ?? x.markdown?.text ?? x.text?.content ?? '').replace(/ {2}\n/g, '\n');
  };
  /** What DingTalk shows in a group as text, cards left out (app-robot markdown turns \n into two spaces and a newline). */
  const dtTexts = (conv: string): string[] =>
    dt
      .groupMessages(conv)
      .filter((m) => (m as { via?: string }).via !== 'card')
      .map(textOf);
  const dtDirect = (user: string): string[] =>
    dt
      .directMessages(user)
      .filter((m) => (m as { via?: string }).via !== 'card')
      .map(textOf);
  const wxTexts = (msgs: object[]): string[] =>
    msgs.map((m) =>
      String(
        (m as { markdown?: { content?: string }; text?: { content?: string } }).markdown?.content ?? (m as { text?: { content?: string } }).text?.content ?? '',
      ),
    );
  /** Say something in the lead unit's DingTalk group and wait for the answer that follows it. */
  const askDt = async (user: string, text: string, conv = 'cidFGW'): Promise<string> => {
    const before = dtTexts(conv).length;
    await dt.sendGroupText({ conversationId: conv, senderStaffId: user, text: ` ${text}` });
    await dt.waitFor(() => dtTexts(conv).length > before, 5_000);
    return dtTexts(conv)[before]!;
  };
  const askDirect = async (user: string, text: string): Promise<string> => {
    const before = dtDirect(user).length;
    await dt.sendDirectText({ senderStaffId: user, text });
    await dt.waitFor(() => dtDirect(user).length > before, 5_000);
    return dtDirect(user)[before]!;
  };
  const left = () => timeLeft('2026-03-13T18:00:00+08:00', clock.now());

  it('/反馈 before 签收 is told to sign first, with its own number', async () => {
    expect(await askDt('dt-lead', `/反馈 ${n.a} 已完成初稿`)).toBe(`事项 ${n.a} 已交办，主办单位尚未签收，现在不能反馈。请先签收：/签收 ${n.a}`);
    expect(await askDt('dt-lead', `/办结 ${n.a} 已全部完成`)).toBe(`事项 ${n.a} 已交办，主办单位尚未签收，现在不能申请办结。请先签收：/签收 ${n.a}`);
  });

  it('a near miss offers the very command corrected, with the number and text typed', async () => {
    expect(await askDt('dt-lead', `/返馈 ${n.a} 已完成`)).toBe(`您是不是想输入：/反馈 ${n.a} 已完成\n如是，请按这一行重新发送。`);
  });

  it('/我的 for a unit contact: what waits on me first, then 主办 and 协办, each with the command to type', async () => {
    expect(await askDt('dt-lead', '/我的')).toBe(
      [
        '陈联络，等您办理的（2项）：',
        `1. ${n.a}「推进老旧小区改造」待签收：/签收 ${n.a}`,
        `2. ${n.b}「整治背街小巷」待签收：/签收 ${n.b}`,
        '主办事项（2项）：',
        `· ${n.a}「推进老旧小区改造」已交办，${left()}：/签收 ${n.a}`,
        `· ${n.b}「整治背街小巷」已交办，${left()}：/签收 ${n.b}`,
      ].join('\n'),
    );
  });

  it('/帮助 by role: a unit contact sees the unit commands with its own waiting items first', async () => {
    expect(await askDt('dt-lead', '/帮助')).toBe(
      [
        '陈联络，您好。督办助手命令如下（命令、编号和内容之间空一格）：',
        '等您办理的：',
        `${n.a}「推进老旧小区改造」待签收：/签收 ${n.a}`,
        `${n.b}「整治背街小巷」待签收：/签收 ${n.b}`,
        '承办单位：',
        '/签收 编号（签收交办的事项）',
        '/反馈 编号 进展情况（主办单位报送办理进展）',
        '/延期 编号 新日期 理由（在期限前申请延期）',
        '/办结 编号 办结情况（主办单位申请办结）',
        '/撤回 编号（撤回待审批的延期或办结申请）',
        '/积分（本单位激励积分）',
        '都可使用：',
        '/查询 编号　/我的（我的事项）　/登录（获取督办系统登录链接）　/帮助（本说明）',
        `例如：/反馈 ${n.a} 已完成初稿`,
        '日期也可写成 12月20日 或 20261220。',
      ].join('\n'),
    );
  });

  it('/帮助 for a person with several roles has one section per role; the leader only sees the leader section', async () => {
    const multi = await askDt('dt-multi', '/帮助');
    expect(multi).toContain('\n立项主体：\n');
    expect(multi).toContain('\n分管领导：\n/审定 编号（审定办结）');
    expect(multi).not.toContain('承办单位：');
    const leader = await askDt('dt-leader', '/帮助');
    expect(leader).toContain('分管领导：');
    expect(leader).not.toContain('立项主体：');
    expect(leader).not.toContain('/签收 编号');
  });

  it('a greeting addressed to the bot gets a short friendly answer with the next step (DingTalk group, WeCom one-to-one)', async () => {
    expect(await askDt('dt-lead', '你好')).toBe(
      [
        '陈联络，您好！等您办理的有2项：',
        `${n.a}「推进老旧小区改造」待签收：/签收 ${n.a}`,
        `${n.b}「整治背街小巷」待签收：/签收 ${n.b}`,
        '发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。',
      ].join('\n'),
    );
    await wx.botDirectText({ userId: 'wx-sup', text: '在吗' });
    await wx.waitFor(() => wxTexts(wx.userMessages('wx-sup')).length > 0, 5_000);
    expect(wxTexts(wx.userMessages('wx-sup'))[0]).toContain('王督查，您好！目前没有等您办理的督办事项。发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。');
  });

  it('/查询 ends with what waits on the asker and the command to type', async () => {
    expect(await askDt('dt-lead', `/查询 ${n.b}`)).toBe(
      [
        `${n.b}「整治背街小巷」`,
        `状态：已交办；期限：2026-03-13 18:00（${left()}）`,
        '主办：市发展改革委',
        '反馈 0 次',
        `待您办理：待签收，请发送 /签收 ${n.b}`,
      ].join('\n'),
    );
  });

  it('a WeCom group @-mention that is no command gets the short answer too', async () => {
    await wx.botGroupText({ chatId: 'wrCZJ', userId: 'wx-co', text: '@督办助手 你好' });
    await wx.waitFor(() => wxTexts(wx.groupMessages('wrCZJ')).some((m) => m.includes('吴联络，您好！')), 5_000);
    expect(wxTexts(wx.groupMessages('wrCZJ')).filter((m) => m.includes('吴联络，您好！'))).toEqual([
      `**督办助手**\n吴联络，您好！等您办理的有1项：\n${n.a}「推进老旧小区改造」待签收（协办）：/签收 ${n.a}\n发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。`,
    ]);
  });

  it('cards carry the 办理要求, cut to the platform limit with 「…（全文见详情）」', async () => {
    const card = await dt.waitFor(() => [...dt.cards().values()].find((c) => c.openSpaceId.endsWith('IM_GROUP.cidFGW') && c.cardParamMap.number === n.a));
    expect(card.cardParamMap.content).toBe(CONTENT);
    const long = await dt.waitFor(() => [...dt.cards().values()].find((c) => c.cardParamMap.number === n.b));
    expect(long.cardParamMap.content.endsWith('…（全文见详情）')).toBe(true);
    expect(Buffer.byteLength(long.cardParamMap.content)).toBeLessThanOrEqual(1024);
    const wxCard = await wx.waitFor(() => [...wx.cards().values()].find((c) => c.chatId === 'wrCZJ'));
    expect(String(wxCard.card.sub_title_text)).toBe(`办理要求：${CONTENT}`);
  });

  it('a WeCom co-unit clicking 签收 is told so in its group', async () => {
    const wxCard = [...wx.cards().values()].find((c) => c.chatId === 'wrCZJ')!;
    await wx.botCardClick({ chatId: 'wrCZJ', userId: 'wx-co', taskId: wxCard.taskId, eventKey: 'sign' });
    await wx.waitFor(() => wxTexts(wx.groupMessages('wrCZJ')).some((m) => m.includes('已签收')), 5_000);
    expect(wxTexts(wx.groupMessages('wrCZJ')).filter((m) => m.includes('已签收'))).toEqual([
      `**督办助手**\n${n.a}：已签收（协办）。主办单位负责反馈，贵单位请配合办理。`,
    ]);
  });

  it('查看详情 opens a mobile page (not the API), signed and expiring, with the 办理要求 and the commands to type', async () => {
    const wxCard = [...wx.cards().values()].find((c) => c.chatId === 'wrCZJ')!;
    await wx.waitFor(() => (wxCard.current.card_action as { url?: string } | undefined)?.url, 5_000);
    const url = new URL((wxCard.current.card_action as { url: string }).url);
    expect(url.pathname).toBe(`/m/items/${n.a}`);
    const page = await fetch(`${t.url}${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    for (const part of [`${n.a}`, '推进老旧小区改造', CONTENT, '市发展改革委', '市财政局', '办理要求', '2026-03-13 18:00', `/签收 ${n.a}`])
      expect(html).toContain(part);

    const forged = await fetch(`${t.url}/m/items/${n.b}${url.search}`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('链接无效');
    // A clue's card (no page of its own) says what the number is instead of "no such item".
    const clue = new URL(itemLinker(t.app.get(APP_CONFIG), clock)('XS2026-0001'));
    const cluePage = await fetch(`${t.url}${clue.pathname}${clue.search}`);
    expect(cluePage.status).toBe(404);
    expect(await cluePage.text()).toContain('「XS2026-0001」是问题线索或通报的编号，不是督办事项');
    const exp = Number(url.searchParams.get('exp'));
    const jump = (exp + 60) * 1000 - clock.now().getTime();
    clock.advance(jump);
    const expired = await fetch(`${t.url}${url.pathname}${url.search}`);
    clock.advance(-jump);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('链接已过期');
    expect((await fetch(`${t.url}/api/items/${n.a}`)).status).toBe(401);
  });

  it('a WeCom button that needs words (申请延期) answers with the command to type, the number filled in', async () => {
    const card = await wx.waitFor(() => [...wx.cards().values()].find((c) => c.chatId === 'wrFGW' && JSON.stringify(c.card).includes(n.b)));
    await wx.botCardClick({ chatId: 'wrFGW', userId: 'wx-lead', taskId: card.taskId, eventKey: 'extend' });
    const said = () => wxTexts(wx.groupMessages('wrFGW')).filter((m) => m !== '');
    await wx.waitFor(() => said().length > 0, 5_000);
    expect(said()).toEqual([`**督办助手**\n请写上新日期和理由后 @督办助手 发送：/延期 ${n.b} 新日期 理由`]);
  });

  it('the closure notice says the rating', async () => {
    const contact = (await t.get(TokenService).actorFor(ids.leadContact, 'api'))!;
    const owner = (await t.get(TokenService).actorFor(ids.owner, 'api'))!;
    const leader = (await t.get(TokenService).actorFor(ids.leader, 'api'))!;
    const c = t.get(ItemCommandsService);
    await c.sign(n.a, contact);
    await c.requestClosure(n.a, contact, { summary: '30个小区已全部开工' });
    // The owner's /我的 (one to one): the closure to rate comes first, with the command.
    const ownerMine = await askDirect('dt-owner', '/我的');
    expect(ownerMine).toBe(
      [
        '李秘书长，等您办理的（1项）：',
        `1. ${n.a}「推进老旧小区改造」办结申请待您评定（优秀、良好、合格、不合格）：/评定 ${n.a} 良好`,
        '立项督办的事项（2项）：',
        `· ${n.a}「推进老旧小区改造」已申请办结，${left()}：/评定 ${n.a} 良好`,
        `· ${n.b}「整治背街小巷」已交办，${left()}：/查询 ${n.b}`,
      ].join('\n'),
    );
    await c.rate(n.a, owner, 'good', '');
    // The leader's: the 审定 waiting on him.
    expect((await askDirect('dt-leader', '/我的')).split('\n').slice(0, 2)).toEqual([
      '赵副市长，等您办理的（1项）：',
      `1. ${n.a}「推进老旧小区改造」待您审定办结：/审定 ${n.a}`,
    ]);
    await c.signOff(n.a, leader);
    const closed = `【办结】${n.a}「推进老旧小区改造」\n已经分管领导审定办结，办理结果评定为良好，编号销号。`;
    await dt.waitFor(() => dtTexts('cidFGW').includes(closed), 5_000);
    await wx.waitFor(() => wxTexts(wx.groupMessages('wrCZJ')).some((m) => m.includes('办理结果评定为良好，编号销号。')), 5_000);
    expect(dtDirect('dt-lead')).toEqual([]);
  });
});
