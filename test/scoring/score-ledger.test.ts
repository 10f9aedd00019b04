import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { OrgService } from '../../src/org/org.service';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { ScoringService } from '../../src/scoring/scoring.service';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const at = (date: string, time = '09:00') => shanghaiInstant(date, time);

/**
 * Issue 7, done-when: a quarter of events for several units, every ledger line checked against S1–S11, the
 * recompute from the timeline equal to the ledger, and the ranking right — ties included.
 */
describe('激励积分 ledger over a quarter (S1–S10, ranking, recompute)', () => {
  let t: TestApp;
  let org: Org;
  let swj: number; // a fourth unit, to tie with 教育局
  const n: Record<string, string> = {};

  const cmd = () => t.get(ItemCommandsService);
  const lines = async (unitId: number) =>
    (await t.db.getRepository(ScoreLineRow).find({ where: { unitId }, order: { id: 'ASC' } })).map(
      (l) => `${l.rule} ${l.pointsTenths / 10}${l.itemId ? ` ${l.itemId}` : ''}`,
    );
  const idOf = async (number: string) => (await t.db.query('SELECT id FROM item WHERE number = ?', [number]))[0].id as number;

  async function tickUntil(until: Date) {
    const s = t.get(ReminderScheduler);
    for (let x = t.clock.now().getTime(); x <= until.getTime(); x += HOUR) {
      t.clock.set(new Date(x));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-01-05') });
    org = await seedOrg(t);
    swj = (await t.get(OrgService).createUnit({ code: 'SWJ', name: '市商务局' })).id;
    const reg = t.get(RegistrationService);
    const register = async (key: string, leadUnitId: number, coUnitIds: number[], node: '1d' | '7d') => {
      const item = await reg.register(
        {
          title: `积分事项${key}`,
          content: '内容',
          source: 'meeting',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId,
          coUnitIds,
          deadline: { node },
        },
        org.supervisor.actor,
      );
      n[key] = item.number;
      await cmd().assign(item.number, org.owner.actor);
    };

    // A: 发改委 leads, 财政局 helps; on time, rated 优秀, signed off.
    t.clock.set(at('2026-01-05'));
    await register('A', org.units.lead, [org.units.co], '7d');
    await cmd().sign(n.A, org.leadContact.actor);
    t.clock.set(at('2026-01-08'));
    await cmd().report(n.A, org.leadContact.actor, '已完成');
    await cmd().requestClosure(n.A, org.leadContact.actor, { summary: '全部完成' });
    await cmd().startReview(n.A, org.owner.actor);
    await cmd().rate(n.A, org.owner.actor, 'excellent');
    await cmd().signOff(n.A, org.leader.actor);

    // B: 财政局 leads, 发改委 helps; a 1-day node left to run 3 days overdue (重点督办), then two late reports, both
    // returned, then a closure rated 不合格.
    t.clock.set(at('2026-01-12'));
    await register('B', org.units.co, [org.units.lead], '1d');
    await cmd().sign(n.B, org.coContact.actor);
    await tickUntil(at('2026-01-16', '19:00')); // deadline Tue 13 Jan 18:00 (C3: day end); 重点督办 at Fri 16 Jan 18:00
    t.clock.set(at('2026-01-16', '20:00'));
    await cmd().report(n.B, org.coContact.actor, '迟报的进展');
    await cmd().returnWork(n.B, org.owner.actor, '材料不全');
    t.clock.set(at('2026-01-16', '21:00'));
    await cmd().report(n.B, org.coContact.actor, '补充材料');
    await cmd().returnWork(n.B, org.owner.actor, '仍不全');
    t.clock.set(at('2026-01-19'));
    await cmd().report(n.B, org.coContact.actor, '第三次报送');
    await cmd().requestClosure(n.B, org.coContact.actor, { summary: '申请办结' });
    await cmd().startReview(n.B, org.owner.actor);
    await cmd().rate(n.B, org.owner.actor, 'fail', '问题未解决');

    // C and D: 教育局 and 商务局, each one 7-day item reported on time and rated 良好 — a tie.
    t.clock.set(at('2026-02-02'));
    for (const [key, unit, contact] of [
      ['C', org.units.other, org.otherContact],
      ['D', swj, null],
    ] as const) {
      await register(key, unit, [], '7d');
      if (contact) {
        await cmd().sign(n[key], contact.actor);
        await cmd().report(n[key], contact.actor, '按时完成');
        await cmd().requestClosure(n[key], contact.actor, { summary: '完成' });
      }
    }
  });
  afterAll(() => t?.close());

  it('S1, S2: inclusion for lead and co-units (+0.5 each); 优秀 +3 for the lead unit only', async () => {
    const a = await idOf(n.A);
    expect((await lines(org.units.lead)).filter((l) => l.endsWith(` ${a}`))).toEqual([`S1 0.5 ${a}`, `S2 3 ${a}`]);
    expect((await lines(org.units.co)).filter((l) => l.endsWith(` ${a}`))).toEqual([`S1 0.5 ${a}`]);
  });

  it('S6, S5, S7, S8: 重点督办 −5; one late report −0.5 (the second report in the same node adds nothing); returns −0.5 then −1.5; 不合格 −5 — all on the lead unit', async () => {
    const b = await idOf(n.B);
    expect((await lines(org.units.co)).filter((l) => l.endsWith(` ${b}`))).toEqual([
      `S1 0.5 ${b}`,
      `S6 -5 ${b}`,
      `S5 -0.5 ${b}`,
      `S7 -0.5 ${b}`,
      `S7 -1.5 ${b}`,
      `S8 -5 ${b}`,
    ]);
    // The co-unit (发改委) is included (+0.5) and nothing else: P4, only the lead unit answers for the work.
    expect((await lines(org.units.lead)).filter((l) => l.endsWith(` ${b}`))).toEqual([`S1 0.5 ${b}`]);
  });

  it("S4, S9, S10: the 督查室's entries need a reason and name it; S9 co-caused splits −5 / the lead value given", async () => {
    const http = t.http();
    const noReason = await http.post('/api/scores/manual').set(bearer(org.supervisor)).send({ rule: 'S4', unitId: org.units.other, reason: '' }).expect(400);
    expect(noReason.body).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('「理由」') });
    await http.post('/api/scores/manual').set(bearer(org.leadContact)).send({ rule: 'S4', unitId: org.units.lead, reason: '自己表扬自己' }).expect(403);
    t.clock.set(at('2026-03-02'));
    await http
      .post('/api/scores/manual')
      .set(bearer(org.supervisor))
      .send({ rule: 'S4', unitId: org.units.lead, unitRole: 'lead', reason: '获省级表彰' })
      .expect(201);
    const s9 = await http
      .post('/api/scores/manual')
      .set(bearer(org.supervisor))
      .send({ rule: 'S9', itemNumber: n.A, causedByUnitId: org.units.co, leadPoints: -1, reason: '实地督查发现台账缺失' })
      .expect(201);
    expect(s9.body.map((l: { rule: string; unitId: number; points: number }) => [l.unitId, l.points])).toEqual([
      [org.units.co, -5],
      [org.units.lead, -1],
    ]);
    const outOfRange = await http
      .post('/api/scores/manual')
      .set(bearer(org.supervisor))
      .send({ rule: 'S9', itemNumber: n.A, causedByUnitId: org.units.co, leadPoints: -4, reason: '越界' })
      .expect(400);
    expect(outOfRange.body.code).toBe('SCORE.S9_LEAD_OUT_OF_RANGE');
    await http
      .post('/api/scores/manual')
      .set(bearer(org.supervisor))
      .send({ rule: 'S10', unitId: org.units.co, kind: 'late_material', days: 2, reason: '迟报督查材料2天' })
      .expect(201);
    const explained = await http.get(`/api/scores/units/${org.units.co}`).set(bearer(org.coContact)).expect(200);
    expect(explained.body.lines.map((l: { explanation: string }) => l.explanation)).toContain('迟报材料2天 −2（迟报督查材料2天）');
  });

  it('S3: closing Q1 gives +5 to units whose time nodes needed no urging — not to 财政局, whose node was urged', async () => {
    t.clock.set(at('2026-04-01'));
    const r = await t.http().post('/api/scores/quarters/2026/1/close').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toEqual({ assessed: 4, awarded: 3 });
    await t.http().post('/api/scores/quarters/2026/1/close').set(bearer(org.supervisor)).expect(200); // again: nothing twice
    for (const unit of [org.units.lead, org.units.other, swj]) expect((await lines(unit)).filter((l) => l.startsWith('S3'))).toEqual(['S3 5']);
    expect((await lines(org.units.co)).filter((l) => l.startsWith('S3'))).toEqual([]);
  });

  it('totals and ranking: base 100 + lines; 教育局 and 商务局 tie and share a rank, the next rank is skipped', async () => {
    const r = await t.http().get('/api/scores?year=2026').set(bearer(org.leader)).expect(200);
    const table = r.body.units.map((u: { unitName: string; total: number; rank: number }) => [u.rank, u.unitName, u.total]);
    // 发改委 100 + 0.5 + 3 + 0.5 (B, co) + 20 (S4) − 1 (S9) + 5 (S3) = 128
    // 教育局 / 商务局 100 + 0.5 + 5 = 105.5 each
    // 财政局 100 + 0.5 (A, co) + 0.5 − 5 − 0.5 − 0.5 − 1.5 − 5 (B) − 5 (S9) − 2 (S10) = 81.5
    expect(table).toEqual([
      [1, '市发展改革委', 128],
      [2, '市教育局', 105.5],
      [2, '市商务局', 105.5],
      [4, '市财政局', 81.5],
    ]);
  });

  it('the recompute from the timeline equals the ledger, line for line', async () => {
    const r = await t.http().get('/api/scores/recompute?year=2026').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toMatchObject({ equal: true, missing: [], extra: [] });
    expect(r.body.ledgerLines).toBeGreaterThan(10);
    // And it notices a line that has no event behind it.
    await t.db.query("UPDATE score_line SET points_tenths = points_tenths - 10 WHERE rule = 'S2'");
    const broken = await t.http().get('/api/scores/recompute?year=2026').set(bearer(org.supervisor)).expect(200);
    expect(broken.body.equal).toBe(false);
    expect(broken.body.extra).toHaveLength(1);
    await t.db.query("UPDATE score_line SET points_tenths = points_tenths + 10 WHERE rule = 'S2'");
  });

  it('/积分 in chat: my unit with its lines; another unit only for the 督查室 and leaders (P2)', async () => {
    t.clock.set(at('2026-04-02'));
    const s = t.get(ScoringService);
    const mine = await s.explainText(org.coContact.actor, undefined);
    expect(mine.split('\n')[0]).toBe('【激励积分】市财政局 2026年度：81.5 分（基准 100，第 4 名 / 共 4 个单位）');
    expect(mine).toContain('办理结果评定为不合格 −5');
    expect(mine).not.toMatch(/\bS\d+ /);
    expect(await s.explainText(org.coContact.actor, '市发展改革委')).toBe('承办单位只能查看本单位的积分；其他单位的积分由督查室和领导查看。');
    expect((await s.explainText(org.leader.actor, '市发展改革委')).split('\n')[0]).toContain('128 分');
    expect(await s.explainText(org.leader.actor, '不存在的局')).toContain('没有名为「不存在的局」的单位');
  });
});

describe('the scoring table as versioned data', () => {
  it('a bad table is refused naming the field; a saved version scores what happens from then on, lines keep their version', async () => {
    const t = await startTestApp({ now: at('2026-05-04') });
    try {
      const org = await seedOrg(t);
      const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      const table = (await t.http().get('/api/score-table').set(admin).expect(200)).body;
      expect(table).toMatchObject({ version: 1, base: 100, lines: { S1: { perItem: 0.5 } } });
      const bad = await t
        .http()
        .put('/api/score-table')
        .set(admin)
        .send({ ...table, lines: { ...table.lines, S1: { perItem: -0.5 } } })
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'SCORE.TABLE_INVALID' });
      await t.http().put('/api/score-table').set(bearer(org.supervisor)).send(table).expect(403);
      const reg = t.get(RegistrationService);
      const register = async (title: string) => {
        const item = await reg.register(
          { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline: { node: '7d' } },
          org.supervisor.actor,
        );
        await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
      };
      await register('旧规则下纳入');
      t.clock.set(at('2026-05-05'));
      const saved = (
        await t
          .http()
          .put('/api/score-table')
          .set(admin)
          .send({ ...table, lines: { ...table.lines, S1: { perItem: 1 } } })
          .expect(200)
      ).body;
      expect(saved.version).toBe(2);
      t.clock.set(at('2026-05-06'));
      await register('新规则下纳入');
      const rows = await t.db.getRepository(ScoreLineRow).find({ where: { rule: 'S1' }, order: { id: 'ASC' } });
      expect(rows.map((r) => [r.pointsTenths, r.tableVersion])).toEqual([
        [5, 1],
        [10, 2],
      ]);
      // The recompute uses the version in force at each event, so it still agrees.
      expect((await t.http().get('/api/scores/recompute?year=2026').set(admin).expect(200)).body.equal).toBe(true);
    } finally {
      await t.close();
    }
  });
});
