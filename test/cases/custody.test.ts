import { Workbook } from 'exceljs';
import type { Response } from 'superagent';
import { Clue } from '../../src/accountability/clue.entity';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Item } from '../../src/cases/item.entity';
import { ItemRequest } from '../../src/cases/item-request.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { OutboundComposer } from '../../src/chat/outbound.composer';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

/** supertest leaves binary bodies unparsed; collect the bytes. */
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * Issue 14, "blame follows custody" (DOMAIN A1, B1, B3, B4, S5, S6, R5): a unit's time runs only from 交办 and stops
 * when its answering report or closure request arrives; time waiting on the owner (审核, 评定) or the leader (审定)
 * counts against them; a unit given an item by reassignment starts its own time then. Driven through HTTP and the jobs
 * (reminder tick, A1 scan) over March 2026, read back in the clues, the 台账 lights, the statistics, the scores and the
 * 通报 draft.
 */
describe('blame follows custody (A1, B1, B3, B4, S5, S6)', () => {
  let t: TestApp;
  let org: Org;
  const n: Record<string, string> = {};
  const post = (path: string, who: Someone, body: object = {}) => t.http().post(path).set(bearer(who)).send(body);
  const ok = (r: { status: number; text: string }) => {
    if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  };

  /** The jobs as they run in production, every 2 hours of the month (plan, dispatch, the A1 scan). */
  async function runJobs(until: Date) {
    const scheduler = t.get(ReminderScheduler);
    const accountability = t.get(AccountabilityService);
    for (let at = t.clock.now().getTime(); at <= until.getTime(); at += 2 * HOUR) {
      t.clock.set(new Date(at));
      await scheduler.plan(t.clock.now());
      await scheduler.dispatch(t.clock.now());
      await accountability.scanOverdue(t.clock.now());
    }
    t.clock.set(until);
  }

  const itemId = async (k: string) => (await t.db.getRepository(Item).findOneByOrFail({ number: n[k] })).id;

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
    const register = async (key: string, title: string, leadUnitId: number, deadlineDate: string) => {
      const r = await post('/api/items', org.supervisor, {
        title,
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId,
        deadlineDate,
      });
      ok(r);
      n[key] = r.body.number;
    };
    const handOver = async (key: string, contact: Someone) => {
      ok(await post(`/api/items/${n[key]}/assign`, org.owner));
      ok(await post(`/api/items/${n[key]}/sign`, contact));
    };
    // Monday 03-02. Every item is due Friday 03-06 18:00.
    await register('neverAssigned', '从未交办的老旧小区改造事项', org.units.lead, '2026-03-06');
    await register('leaderSlow', '优化营商环境专项行动', org.units.lead, '2026-03-06');
    await register('ownerSlow', '推进政务服务一网通办', org.units.lead, '2026-03-06');
    await register('unitLate', '清理拖欠企业账款', org.units.co, '2026-03-06');
    await register('reassigned', '中小学校舍安全排查', org.units.co, '2026-03-06');
    // Due Friday 03-13: the unit asks in time (E1) for an extension; the owner sits on one, and refuses the other late.
    await register('extensionWaiting', '农贸市场升级改造', org.units.lead, '2026-03-13');
    await register('extensionRefused', '城区停车位规划', org.units.lead, '2026-03-13');
    for (const k of ['leaderSlow', 'ownerSlow', 'extensionWaiting', 'extensionRefused']) await handOver(k, org.leadContact);
    for (const k of ['unitLate', 'reassigned']) await handOver(k, org.coContact);

    // Thursday 03-05: 市发展改革委 asks for closure of both its items, on time; the owner rates one 良好 at once.
    await runJobs(shanghaiInstant('2026-03-05', '10:00'));
    for (const k of ['leaderSlow', 'ownerSlow']) ok(await post(`/api/items/${n[k]}/closure-request`, org.leadContact, { summary: '已全部完成' }));
    ok(await post(`/api/items/${n.leaderSlow}/rate`, org.owner, { rating: 'good' }));
    const extension = { newDeadline: '2026-03-27T18:00:00+08:00', reason: '涉及多部门协调', plan: '3月底前完成' };
    for (const k of ['extensionWaiting', 'extensionRefused']) ok(await post(`/api/items/${n[k]}/extension-requests`, org.leadContact, extension));

    // Monday 03-09 10:00, a working day after the deadline: the 督查室 moves 中小学校舍安全排查 from 市财政局 (which
    // never answered) to 市教育局. The new unit answers on Thursday 03-12.
    await runJobs(shanghaiInstant('2026-03-09', '10:00'));
    ok(await post(`/api/items/${n.reassigned}/reassign`, org.supervisor, { leadUnitId: org.units.other, coUnitIds: [], reason: '职能调整，改由市教育局主办' }));
    ok(await post(`/api/items/${n.reassigned}/sign`, org.otherContact));
    await runJobs(shanghaiInstant('2026-03-12', '10:00'));
    ok(await post(`/api/items/${n.reassigned}/reports`, org.otherContact, { content: '已完成全部校舍排查' }));
    // Monday 03-16 10:00, after the deadline: the owner refuses one extension; the unit answers the next morning.
    await runJobs(shanghaiInstant('2026-03-16', '10:00'));
    const [request] = await t.db.getRepository(ItemRequest).findBy({ itemId: await itemId('extensionRefused'), kind: 'extension' });
    ok(await post(`/api/items/${n.extensionRefused}/extension-requests/${request.id}/refuse`, org.owner, { note: '请按原定期限办结' }));
    await runJobs(shanghaiInstant('2026-03-17', '10:00'));
    ok(await post(`/api/items/${n.extensionRefused}/closure-request`, org.leadContact, { summary: '已全部完成' }));

    // The leader does not sign off, the owner does not review: 31 days later, April 6th (and the jobs ran all along).
    await runJobs(shanghaiInstant('2026-04-06', '10:00'));
  }, 240_000);
  afterAll(() => t?.close());

  it('A1 — clues open only against the unit that held the item late: not for an item never handed over, not while the owner or the leader sits on it, not against the unit given it late', async () => {
    const clues = await t.db.getRepository(Clue).find({ where: { trigger: 'overdue' } });
    const byNumber = await Promise.all(clues.map(async (c) => (await t.db.getRepository(Item).findOneByOrFail({ id: c.itemId! })).number));
    expect(byNumber).toEqual([n.unitLate]);
  });

  it('R5, S5, S6 — no 重点督办 and no points lost for time the unit did not hold', async () => {
    for (const k of ['neverAssigned', 'leaderSlow', 'ownerSlow', 'reassigned', 'extensionWaiting', 'extensionRefused']) {
      const id = await itemId(k);
      expect([k, await t.db.getRepository(ItemEvent).countBy({ itemId: id, type: 'key_supervision' })]).toEqual([k, 0]);
      const lines = await t.db.getRepository(ScoreLineRow).findBy({ itemId: id });
      expect([k, lines.filter((l) => l.pointsTenths < 0).map((l) => l.rule)]).toEqual([k, []]);
    }
    expect((await t.db.getRepository(ScoreLineRow).findBy({ itemId: await itemId('unitLate'), rule: 'S6' })).length).toBe(1);
    // The ledger read again from the timeline (reassignment included) says the same.
    const r = await t.http().get('/api/scores/recompute?year=2026').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toMatchObject({ equal: true, missing: [], extra: [] });
  });

  it('P4 — the unit given the item by reassignment starts its own time: the deadline moves to the original 4 working days from the reassignment', async () => {
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n.reassigned });
    expect([formatShanghai(item.assignedAt!), formatShanghai(item.deadlineAt)]).toEqual(['2026-03-09 10:00', '2026-03-13 18:00']);
    const e = await t.db.getRepository(ItemEvent).findOneByOrFail({ itemId: item.id, type: 'reassigned' });
    expect(e.summary).toContain('办理期限由2026-03-06 18:00调整为2026-03-13 18:00');
  });

  it('B3 — the 台账: red only for the unit that is late; the never-assigned item warns yellow; the awaiting items are green', async () => {
    const r = await t.http().get('/api/ledger?pageSize=50').set(bearer(org.supervisor)).expect(200);
    const light = Object.fromEntries(r.body.items.map((i: { number: string; light: string }) => [i.number, i.light]));
    expect(Object.fromEntries(Object.entries(n).map(([k, v]) => [k, light[v]]))).toEqual({
      neverAssigned: 'yellow',
      leaderSlow: 'green',
      ownerSlow: 'green',
      unitLate: 'red',
      reassigned: 'green',
      extensionWaiting: 'green',
      extensionRefused: 'green',
    });
  });

  it('B4 — the statistics count the unit late once, and the two items waiting on the owner office and the leader as waiting', async () => {
    const s = (await t.http().get('/api/statistics?from=2026-03-01&to=2026-03-31').set(bearer(org.leader)).expect(200)).body;
    expect(s.totals).toMatchObject({ registered: 7, closed: 0, overdue: 1, awaiting: 4, keySupervision: 1 });
    expect(s.byUnit.map((u: { label: string; overdue: number; awaiting: number }) => [u.label, u.overdue, u.awaiting])).toEqual([
      ['市财政局', 1, 0],
      ['市发展改革委', 0, 4],
      ['市教育局', 0, 0],
    ]);
  });

  it('B4 — the statistics workbook says, item by item, whose time each item is on', async () => {
    const r = await t.http().get('/api/statistics/export.xlsx?from=2026-03-01&to=2026-03-31').set(bearer(org.leader)).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.getWorksheet('按事项')!;
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const rows = Array.from({ length: ws.actualRowCount - 2 }, (_, k) => (ws.getRow(k + 3).values as unknown[]).slice(1));
    const custody = Object.fromEntries(rows.map((row) => [row[header.indexOf('编号')], row[header.indexOf('时限情况')]]));
    expect(Object.fromEntries(Object.entries(n).map(([k, v]) => [k, custody[v]]))).toEqual({
      neverAssigned: '未交办',
      leaderSlow: '待分管领导审定，已等待18个工作日',
      ownerSlow: '待立项主体审核，已等待18个工作日',
      unitLate: '承办单位逾期未反馈',
      reassigned: '承办单位已按期反馈',
      extensionWaiting: '待立项主体审批延期，已等待18个工作日',
      extensionRefused: '待立项主体审核，已等待10个工作日',
    });
  });

  it('B1 — the 通报 criticises only 市财政局; the waiting items are listed as waiting on the owner office and the leader, with the working days waited', async () => {
    const b = (await post('/api/bulletins', org.supervisor, { kind: 'monthly', period: '2026-03' }).expect(201)).body;
    const criticism = b.draft.sections.find((s: { heading: string }) => s.heading === '三、批评');
    const tables = criticism.blocks.filter((x: { type: string }) => x.type === 'table').map((x: { table: { caption: string; rows: string[][] } }) => x.table);
    const criticised = tables.find((x: { caption: string }) => x.caption.includes('通报批评'));
    expect(criticised.rows.map((r: string[]) => [r[1], r[3], r[4], r[5]])).toEqual([
      [n.unitLate, '市财政局', '逾期办理', '截至期末逾期17个工作日未反馈'],
      [n.unitLate, '市财政局', '重点督办', '逾期3天转入重点督办'],
    ]);
    const awaiting = tables.find((x: { caption: string }) => x.caption.includes('待审'));
    expect(awaiting.rows.map((r: string[]) => [r[1], r[3], r[4], r[5]])).toEqual([
      [n.leaderSlow, '市发展改革委', '待分管领导审定，已等待18个工作日', '2026-03-05'],
      [n.ownerSlow, '市发展改革委', '待立项主体审核，已等待18个工作日', '2026-03-05'],
      [n.extensionWaiting, '市发展改革委', '待立项主体审批延期，已等待18个工作日', '2026-03-05'],
      [n.extensionRefused, '市发展改革委', '待立项主体审核，已等待10个工作日', '2026-03-17'],
    ]);
    const text = JSON.stringify(b.draft);
    expect(text).not.toContain(n.neverAssigned);
    expect(text).not.toContain(`${n.reassigned}`);
    expect(b.draft.highlights.overview).toContain('承办单位未按期反馈的未办结事项1件；已按期申请办结、待审核或审定事项4件');
    expect(text).toContain('承办单位已按期申请办结或申请延期，正待立项主体审核、审批或分管领导审定，不属于承办单位逾期，不予批评');
  });

  it('E1 — an extension refused after the deadline gives the unit to the end of the next working day; the timeline says so', async () => {
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n.extensionRefused });
    expect(formatShanghai(item.deadlineAt)).toBe('2026-03-17 18:00');
    const e = await t.db.getRepository(ItemEvent).findOneByOrFail({ itemId: item.id, type: 'extension_refused' });
    expect(e.summary).toBe('不同意延期：请按原定期限办结。审批时原期限已不足一个工作日，办理期限调整为 2026-03-17 18:00');
    // The unit is told in its group (composed as the platforms will show it).
    const m = await t.db.getRepository(OutboxMessage).findOneByOrFail({ itemId: item.id, kind: 'extension_decided' });
    const [delivery] = await t.get(OutboundComposer).compose(m, new Set(['dingtalk']));
    expect((delivery.outbound as { text: string }).text).toMatch(
      /^【延期审批】.*\n未同意延期：请按原定期限办结\n审批时原期限已不足一个工作日，办理期限调整为 2026-03-17 18:00，请在此前反馈办理情况或申请办结。$/,
    );
  });
});
