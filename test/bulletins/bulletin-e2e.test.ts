import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { FixedClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { OrgService } from '../../src/org/org.service';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { TokenService } from '../../src/auth/token.service';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';

const DING = { clientId: 'dingbulletin', clientSecret: 'dingbulletin-secret-0123456789', robotCode: 'dingbulletin' };

/**
 * Issue 7, done-when: a monthly 通报 goes from a draft made from the data, to approved on the leader's one-to-one card,
 * to delivered in a DingTalk group and a WeCom group (checked at the fakes) with its chart; its .docx opens (read back);
 * and regenerated from the database it says the same.
 */
describe('the monthly 通报 from draft to the groups (B1, B2)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  let groups: { ding: number; wx: number };

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    ding = await FakeDingTalk.start({ ...DING, cardTemplateIds: ['tpl'], now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, now: () => clock.now().getTime() });
    t = await startTestApp({
      clock,
      listen: true,
      env: {
        ...dingtalkEnv(ding, DING, 'tpl'),
        DINGTALK_MODE: 'stream',
        ...wecomEnv(wx),
        DUBAN_PUBLIC_URL: 'https://duban.example.gov.cn',
      },
    });
    await ding.waitFor(() => ding.connections() > 0, 10_000);
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
    const org = t.get(OrgService);
    const fgw = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const czj = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    groups = {
      ding: (await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGWb', name: '发改委督办群', unitId: fgw, purpose: 'unit' })).id,
      wx: (await org.createGroup({ platform: 'wecom', externalId: 'wrCZJb', name: '财政局督办群', unitId: czj, purpose: 'unit' })).id,
    };
    const person = async (key: string, name: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) => {
      const p = await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: `dt-${key}` }] });
      tokens[key] = (await t.get(TokenService).issue(p.id, 'test')).token;
      return (await t.get(TokenService).actorFor(p.id, 'api'))!;
    };
    const sup = await person('sup', '王督查', [{ role: 'supervisor' }, { role: 'owner' }]);
    const leader = await person('leader', '赵副市长', [{ role: 'leader' }]);
    const fgwContact = await person('fgw', '陈联络', [{ role: 'unit_contact', unitId: fgw }]);
    const czjContact = await person('czj', '吴联络', [{ role: 'unit_contact', unitId: czj }]);

    // March 2026: 发改委 closes an item on time rated 优秀; 财政局 lets one run 3 days overdue (重点督办) and gets a report returned.
    const cmd = t.get(ItemCommandsService);
    const reg = t.get(RegistrationService);
    const a = await reg.register(
      {
        title: '推进政务服务一网通办',
        content: '内容',
        source: 'meeting',
        ownerId: sup.personId!,
        leaderId: leader.personId!,
        leadUnitId: fgw,
        deadline: { node: '7d' },
      },
      sup,
    );
    await cmd.assign(a.number, sup);
    await cmd.sign(a.number, fgwContact);
    clock.set(shanghaiInstant('2026-03-05', '10:00'));
    await cmd.report(a.number, fgwContact, '已上线');
    await cmd.requestClosure(a.number, fgwContact, { summary: '全部完成' });
    await cmd.startReview(a.number, sup);
    await cmd.rate(a.number, sup, 'excellent');
    await cmd.signOff(a.number, leader);
    clock.set(shanghaiInstant('2026-03-09', '09:00'));
    const b = await reg.register(
      {
        title: '清理拖欠企业账款',
        content: '内容',
        source: 'instruction',
        ownerId: sup.personId!,
        leaderId: leader.personId!,
        leadUnitId: czj,
        deadline: { node: '1d' },
      },
      sup,
    );
    await cmd.assign(b.number, sup);
    await cmd.sign(b.number, czjContact);
    // A 1d node registered Monday 09:00 ends Tuesday 18:00 (C3); 3 days overdue — 重点督办 — is Friday 18:00.
    for (let h = 1; h <= 110; h++) {
      clock.set(new Date(shanghaiInstant('2026-03-09', '09:00').getTime() + h * 3_600_000));
      await t.get(ReminderScheduler).plan(clock.now());
      await t.get(ReminderScheduler).dispatch(clock.now());
    }
    await cmd.report(b.number, czjContact, '正在清理');
    await cmd.returnWork(b.number, sup, '缺少清单');
    clock.set(shanghaiInstant('2026-04-01', '09:00'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  it("draft → edit → the leader's card → approved → broadcast to a DingTalk and a WeCom group with the chart; the .docx reads back; it reproduces", async () => {
    const http = t.http();
    // A unit contact may not draft one; the 督查室 does, from the data.
    await http.post('/api/bulletins').set(auth('fgw')).send({ kind: 'monthly', period: '2026-03' }).expect(403);
    const draft = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-03', recipients: '市政府各部门' }).expect(201))
      .body;
    expect(draft).toMatchObject({ number: 'TB2026-0001', issue: '2026年第3期', state: 'draft' });
    const overview = draft.draft.highlights.overview as string;
    expect(overview).toContain('共登记督办事项2件');
    expect(JSON.stringify(draft.draft.sections)).toContain('推进政务服务一网通办');
    expect(JSON.stringify(draft.draft.sections)).toContain('清理拖欠企业账款');

    // The 督查室 edits the intro; a leader may not; the draft then goes to the leader.
    await http.put('/api/bulletins/TB2026-0001/draft').set(auth('leader')).send({ intro: '领导改稿' }).expect(403);
    await http.put('/api/bulletins/TB2026-0001/draft').set(auth('sup')).send({ intro: '现将2026年3月督查督办工作情况通报如下。' }).expect(200);
    await http.post('/api/bulletins/TB2026-0001/publish').set(auth('sup')).send({}).expect(409); // not approved yet
    await http.post('/api/bulletins/TB2026-0001/submit').set(auth('sup')).expect(200);

    // The leader's one-to-one card on DingTalk: 同意印发.
    const card = await ding.waitFor(() =>
      [...ding.cards().values()].find((c) => c.openSpaceId.endsWith('IM_ROBOT.dt-leader') && c.cardParamMap.kind === 'decision'),
    );
    expect(card.cardParamMap).toMatchObject({ number: 'TB2026-0001', stateLabel: '待领导审定' });
    expect(JSON.parse(card.cardParamMap.buttons).map((b: { id: string }) => b.id)).toEqual(['bulletin:approve', 'bulletin:reject']);
    const click = await ding.clickCardButton({ outTrackId: card.outTrackId, userId: 'dt-leader', actionId: 'bulletin:approve' });
    expect(((await click.ack) as { cardData: { cardParamMap: Record<string, string> } }).cardData.cardParamMap).toMatchObject({
      stateLabel: '已审定',
      buttons: '[]',
    });

    // Published to one DingTalk group and one WeCom group: the summary with the chart and the link to the full text.
    await http
      .post('/api/bulletins/TB2026-0001/publish')
      .set(auth('sup'))
      .send({ groupIds: [groups.ding, groups.wx] })
      .expect(200);
    const token = (await t.db.getRepository(Bulletin).findOneByOrFail({ number: 'TB2026-0001' })).publicToken;
    const chartUrl = `https://duban.example.gov.cn/public/bulletins/${token}/chart.png`;
    const inDing = await ding.waitFor(() =>
      ding
        .groupMessages('cidFGWb')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes('政务督查')),
    );
    const inWx = await wx.waitFor(() =>
      wx
        .groupMessages('wrCZJb')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes('政务督查')),
    );
    for (const m of [inDing, inWx]) {
      expect(m).toContain(chartUrl);
      expect(m).toContain(`/public/bulletins/${token}`);
      expect(m).toContain('共登记督办事项2件');
    }
    // The links work without a login: the chart is a PNG, the full text a page.
    const png = await http.get(`/public/bulletins/${token}/chart.png`).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const page = await http.get(`/public/bulletins/${token}`).expect(200);
    expect(page.text).toContain('现将2026年3月督查督办工作情况通报如下。');
    await http.get('/public/bulletins/not-a-token').expect(404);

    // The .docx opens: a zip with the text and the chart inside.
    const docx = await http
      .get('/api/bulletins/TB2026-0001/docx')
      .set(auth('sup'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const zip = await JSZip.loadAsync(docx.body as Buffer);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('现将2026年3月督查督办工作情况通报如下。');
    expect(xml).toContain('清理拖欠企业账款');
    expect(Object.keys(zip.files).some((f) => f.startsWith('word/media/'))).toBe(true);

    // B2: regenerated from the database, every figure is the same; the timeline shows every step.
    expect((await http.get('/api/bulletins/TB2026-0001/reproduce').set(auth('leader')).expect(200)).body).toEqual({
      number: 'TB2026-0001',
      equal: true,
      differences: [],
    });
    const steps = (
      await http
        .get('/api/bulletins/TB2026-0001')
        .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
        .expect(200)
    ).body.timeline.map((e: { action: string }) => e.action);
    expect(steps).toEqual(['generated', 'edited', 'submitted', 'approved', 'published']);
  });

  it('B4: statistics by unit, source, month of registration and item, as JSON and as a workbook; not for unit contacts', async () => {
    const http = t.http();
    await http.get('/api/statistics?from=2026-03-01&to=2026-03-31').set(auth('fgw')).expect(403);
    const s = (await http.get('/api/statistics?from=2026-03-01&to=2026-03-31').set(auth('leader')).expect(200)).body;
    expect(s.totals).toEqual({ registered: 2, closed: 1, onTime: 1, overdue: 1, awaiting: 0, returned: 1, failed: 0, keySupervision: 1 });
    expect(
      s.byUnit.map((u: { label: string; registered: number; closed: number; keySupervision: number }) => [u.label, u.registered, u.closed, u.keySupervision]),
    ).toEqual([
      ['市财政局', 1, 0, 1],
      ['市发展改革委', 1, 1, 0],
    ]);
    expect(s.bySource.map((r: { label: string; registered: number }) => [r.label, r.registered])).toEqual([
      ['会议议定事项', 1],
      ['领导批示', 1],
    ]);
    expect(s.byMonth).toEqual([
      { label: '2026年3月登记', registered: 2, closed: 1, onTime: 1, overdue: 1, awaiting: 0, returned: 0, failed: 0, keySupervision: 0 },
    ]);
    expect(s.items).toBe(2);
    await http.get('/api/statistics?from=2026-3-1').set(auth('leader')).expect(400);
    const xlsx = await http
      .get('/api/statistics/export.xlsx?from=2026-03-01&to=2026-03-31')
      .set(auth('leader'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['按单位', '按来源', '按登记月份', '按事项']);
    expect(wb.getWorksheet('按事项')!.getRow(3).getCell(2).value).toBe('推进政务服务一网通办');
    expect(wb.getWorksheet('按单位')!.getRow(5).values).toEqual([undefined, '合计', 2, 1, 1, 1, 0, 1, 0, 1, '100.0%']);
  });

  it('B1: a quarterly 通报 and an ad-hoc 重点督办 通报 come from the same data, numbered in their own series', async () => {
    const http = t.http();
    const q = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026Q1' }).expect(201)).body;
    expect(q).toMatchObject({ kind: 'quarterly', period: '2026年第一季度', issue: '2026年第1期', state: 'draft' });
    expect(q.draft.highlights.overview).toContain('共登记督办事项2件');
    const k = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'key_supervision', period: '2026-03-09~2026-03-31' }).expect(201)).body;
    expect(k).toMatchObject({ kind: 'key_supervision', issue: '2026年第1期' });
    expect(JSON.stringify(k.draft.sections)).toContain('清理拖欠企业账款');
    const again = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'key_supervision', period: '2026-03-09~2026-03-31' }).expect(201)).body;
    expect(again.issue).toBe('2026年第2期');
    expect((await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026-03' }).expect(400)).body.message).toContain('2026Q1');
  });

  it('B2: a figure changed in the database afterwards shows in the reproduction check', async () => {
    await t.db.query("UPDATE item SET closed_at = NULL, state = 'in_progress' WHERE title = '推进政务服务一网通办'");
    const r = (await t.http().get('/api/bulletins/TB2026-0001/reproduce').set(auth('sup')).expect(200)).body;
    expect(r.equal).toBe(false);
    expect(r.differences.length).toBeGreaterThan(0);
  });
});
