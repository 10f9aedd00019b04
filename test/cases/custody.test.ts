import { Clue } from '../../src/accountability/clue.entity';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

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
    for (const k of ['leaderSlow', 'ownerSlow']) await handOver(k, org.leadContact);
    for (const k of ['unitLate', 'reassigned']) await handOver(k, org.coContact);

    // Thursday 03-05: 市发展改革委 asks for closure of both its items, on time; the owner rates one 良好 at once.
    await runJobs(shanghaiInstant('2026-03-05', '10:00'));
    for (const k of ['leaderSlow', 'ownerSlow']) ok(await post(`/api/items/${n[k]}/closure-request`, org.leadContact, { summary: '已全部完成' }));
    ok(await post(`/api/items/${n.leaderSlow}/rate`, org.owner, { rating: 'good' }));

    // Monday 03-09 10:00, a working day after the deadline: the 督查室 moves 中小学校舍安全排查 from 市财政局 (which
    // never answered) to 市教育局. The new unit answers on Thursday 03-12.
    await runJobs(shanghaiInstant('2026-03-09', '10:00'));
    ok(await post(`/api/items/${n.reassigned}/reassign`, org.supervisor, { leadUnitId: org.units.other, coUnitIds: [], reason: '职能调整，改由市教育局主办' }));
    ok(await post(`/api/items/${n.reassigned}/sign`, org.otherContact));
    await runJobs(shanghaiInstant('2026-03-12', '10:00'));
    ok(await post(`/api/items/${n.reassigned}/reports`, org.otherContact, { content: '已完成全部校舍排查' }));

    // The leader does not sign off, the owner does not review: 31 days later, April 6th (and the jobs ran all along).
    await runJobs(shanghaiInstant('2026-04-06', '10:00'));
  }, 240_000);
  afterAll(() => t?.close());

  const itemId = async (k: string) => (await t.db.getRepository(Item).findOneByOrFail({ number: n[k] })).id;

  it('A1 — clues open only against the unit that held the item late: not for an item never handed over, not while the owner or the leader sits on it, not against the unit given it late', async () => {
    const clues = await t.db.getRepository(Clue).find({ where: { trigger: 'overdue' } });
    const byNumber = await Promise.all(clues.map(async (c) => (await t.db.getRepository(Item).findOneByOrFail({ id: c.itemId! })).number));
    expect(byNumber).toEqual([n.unitLate]);
  });

  it('R5, S5, S6 — no 重点督办 and no points lost for time the unit did not hold', async () => {
    for (const k of ['neverAssigned', 'leaderSlow', 'ownerSlow', 'reassigned']) {
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
    });
  });

  it('B4 — the statistics count the unit late once, and the two items waiting on the owner office and the leader as waiting', async () => {
    const s = (await t.http().get('/api/statistics?from=2026-03-01&to=2026-03-31').set(bearer(org.leader)).expect(200)).body;
    expect(s.totals).toMatchObject({ registered: 5, closed: 0, overdue: 1, awaiting: 2, keySupervision: 1 });
    expect(s.byUnit.map((u: { label: string; overdue: number; awaiting: number }) => [u.label, u.overdue, u.awaiting])).toEqual([
      ['市财政局', 1, 0],
      ['市发展改革委', 0, 2],
      ['市教育局', 0, 0],
    ]);
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
    ]);
    const text = JSON.stringify(b.draft);
    expect(text).not.toContain(n.neverAssigned);
    expect(text).not.toContain(`${n.reassigned}`);
    expect(b.draft.highlights.overview).toContain('承办单位未按期反馈的未办结事项1件；已按期申请办结、待审核或审定事项2件');
  });
});
