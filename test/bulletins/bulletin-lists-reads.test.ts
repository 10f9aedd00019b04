import { DataSource } from 'typeorm';
import { BulletinFactsService, sqlInstant } from '../../src/bulletins/bulletin-facts.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { ItemRequest } from '../../src/cases/item-request.entity';
import { ItemUnit } from '../../src/cases/item-unit.entity';
import { Item } from '../../src/cases/item.entity';
import { OrgService } from '../../src/org/org.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17: the 通报's late and awaiting items are read once each (counted, and the first LIST_MAX listed by deadline,
 * then id, with their numbers read after), and the lists name the unit from the units read, not by a join to unit. The
 * facts must be what the reads that were replaced gave — those reads are kept here, word for word, as the reference —
 * with more items than a list holds and many on the same deadline, on MariaDB and SQLite (B1, B2).
 */
describe.each(['mariadb', 'sqlite'] as const)('B1, B2 — the 通报 lists and counts read once on %s are those of the former reads', (database) => {
  let t: TestApp;
  let db: DataSource;
  const at = (day: string, time = '18:00') => shanghaiInstant(day, time);
  const march = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;

  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-04-02', '09:00'), database });
    db = t.db;
    const org = t.get(OrgService);
    const units = [
      (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id,
      (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id,
      (await org.createUnit({ code: 'JYJ', name: '市教育局' })).id,
    ];
    let seq = 0;
    const items: Partial<Item>[] = [];
    const leads: Partial<ItemUnit>[] = [];
    const requests: Partial<ItemRequest>[] = [];
    const item = (over: Partial<Item>, unit: number) => {
      seq++;
      items.push({
        number: `DB2026-${String(seq).padStart(6, '0')}`,
        title: `督办事项${seq}`,
        content: '内容',
        source: seq % 2 ? 'meeting' : 'hotline',
        board: 'daily',
        category: 'decision',
        state: 'in_progress',
        ownerId: 1,
        leaderId: 2,
        registeredAt: at('2026-02-02', '09:00'),
        assignedAt: at('2026-02-03', '09:00'),
        deadlineSpec: '30d',
        deadlineAt: at(march(1)),
        ...over,
      });
      leads.push({ itemId: seq, unitId: unit, role: 'lead' });
      return seq;
    };
    // 170 late (no answer, or one after the deadline), on five deadlines; a draft and a decomposed one not counted.
    for (let k = 1; k <= 170; k++) {
      const deadlineAt = at(march(1 + ((k * 7) % 5)));
      item({ deadlineAt, answeredAt: k % 2 ? null : new Date(deadlineAt.getTime() + 86_400_000) }, units[k % 3]);
    }
    item({ state: 'draft' }, units[0]);
    item({ decomposed: true }, units[1]);
    // 130 awaiting: answered in time by a closure request (pending, or approved = rated), or by an undecided extension.
    for (let k = 1; k <= 130; k++) {
      const deadlineAt = at(march(2 + ((k * 3) % 4)));
      const answeredAt = new Date(deadlineAt.getTime() - 86_400_000);
      const id = item({ deadlineAt, answeredAt }, units[(k + 1) % 3]);
      const kind = k % 3 === 2 ? 'extension' : 'closure';
      const decidedAt = k % 3 === 1 ? new Date(answeredAt.getTime() + 3_600_000) : null;
      requests.push({ itemId: id, kind, status: decidedAt ? 'approved' : 'pending', requestedById: 3, requestedAt: answeredAt, text: '申请', decidedAt });
    }
    // 120 closed on time in March and rated 优秀 or 良好, on six closing instants.
    for (let k = 1; k <= 120; k++) {
      const closedAt = at(march(1 + ((k * 5) % 6)), '10:00');
      item(
        { state: 'closed', deadlineAt: at(march(28)), answeredAt: new Date(closedAt.getTime() - 3_600_000), closedAt, rating: k % 4 ? 'good' : 'excellent' },
        units[(k + 2) % 3],
      );
    }
    for (let i = 0; i < items.length; i += 100) await db.getRepository(Item).insert(items.slice(i, i + 100));
    for (let i = 0; i < leads.length; i += 100) await db.getRepository(ItemUnit).insert(leads.slice(i, i + 100));
    await db.getRepository(ItemRequest).insert(requests);
    // 130 returns in March, on five instants, of the items above.
    const returns: Partial<ItemEvent>[] = [];
    for (let k = 1; k <= 130; k++)
      returns.push({
        itemId: 1 + ((k * 37) % seq),
        type: 'returned',
        actorName: '督查室',
        channel: 'api',
        at: at(march(10 + (k % 5)), '11:00'),
        summary: '退回',
        data: { returnNo: 1 + (k % 2) },
      });
    await db.getRepository(ItemEvent).save(returns, { chunk: 100 });
  });
  afterAll(() => t?.close());

  it('the same late, awaiting, praised and returned items in the same order, the same counts by unit', async () => {
    const facts = t.get(BulletinFactsService);
    const period = facts.period('monthly', '2026-03');
    const f = await facts.collect('monthly', period, { year: 2026, number: 3 }, '市人民政府督查室');
    const to = sqlInstant(db, period.to);
    const from = sqlInstant(db, period.from);

    // The former reads (bulletin-facts.service.ts before issue 17's change), as they were.
    const OPEN = '(i.closed_at IS NULL OR i.closed_at >= ?) AND i.deadline_at < ? AND i.assigned_at IS NOT NULL AND i.assigned_at < ? ';
    const LATE = `${OPEN}AND (i.answered_at IS NULL OR i.answered_at > i.deadline_at) `;
    const EXT = `EXISTS (SELECT 1 FROM item_request x WHERE x.item_id = i.id AND x.kind = 'extension' AND x.requested_at < ? AND (x.status = 'pending' OR x.decided_at >= ?))`;
    const AWAITING = `${OPEN}AND i.answered_at <= i.deadline_at AND (EXISTS (SELECT 1 FROM item_request q WHERE q.item_id = i.id AND q.kind = 'closure' AND q.status IN ('pending', 'approved') AND q.requested_at < ?) OR ${EXT}) `;
    const lead = 'JOIN item_unit iu ON iu.item_id = i.id AND iu.role = ? ';
    const live = "i.state <> 'draft' AND i.decomposed = ? ";
    const q = (sql: string, params: unknown[]) => db.query(sql, params) as Promise<Record<string, unknown>[]>;
    const late = await q(
      `SELECT i.number AS number, i.title AS title, u.name AS unitName, i.deadline_at AS deadlineAt, i.answered_at AS answeredAt FROM item i ${lead}JOIN unit u ON u.id = iu.unit_id WHERE ${live}AND ${LATE}ORDER BY i.deadline_at, i.id LIMIT 100`,
      ['lead', 0, to, to, to],
    );
    const awaiting = await q(
      `SELECT i.number AS number, i.title AS title, u.name AS unitName, i.answered_at AS askedAt,
         (SELECT MAX(a.decided_at) FROM item_request a WHERE a.item_id = i.id AND a.kind = 'closure' AND a.status = 'approved' AND a.requested_at < ? AND a.decided_at < ?) AS ratedAt,
         (SELECT COUNT(*) FROM item_request c WHERE c.item_id = i.id AND c.kind = 'closure' AND c.status IN ('pending', 'approved') AND c.requested_at < ?) AS asked
       FROM item i ${lead}JOIN unit u ON u.id = iu.unit_id WHERE ${live}AND ${AWAITING}ORDER BY i.deadline_at, i.id LIMIT 100`,
      [to, to, to, 'lead', 0, to, to, to, to, to, to],
    );
    const praise = await q(
      `SELECT i.number AS number, i.title AS title, u.name AS unitName, i.rating AS rating, i.closed_at AS closedAt FROM item i ${lead}JOIN unit u ON u.id = iu.unit_id WHERE ${live}AND i.closed_at >= ? AND i.closed_at < ? AND COALESCE(i.answered_at, i.closed_at) <= i.deadline_at AND i.rating IN (?, ?) ORDER BY CASE WHEN i.rating = ? THEN 0 ELSE 1 END, i.closed_at, i.id LIMIT 100`,
      ['lead', 0, from, to, 'excellent', 'good', 'excellent'],
    );
    const returned = await q(
      `SELECT i.number AS number, i.title AS title, u.name AS unitName, e.type AS type, e.summary AS summary, e.data AS data FROM item_event e JOIN item i ON i.id = e.item_id ${lead}JOIN unit u ON u.id = iu.unit_id WHERE e.at >= ? AND e.at < ? AND e.type = ? AND (e.data LIKE ? OR e.data IS NULL) ORDER BY e.at, e.id LIMIT 100`,
      ['lead', from, to, 'returned', '%'],
    );
    const counts = async (where: string, params: unknown[]) =>
      Object.fromEntries(
        (
          await q(
            `SELECT u.name AS unitName, COUNT(*) AS n FROM item i ${lead}JOIN unit u ON u.id = iu.unit_id WHERE ${live}AND ${where}GROUP BY u.name ORDER BY u.name`,
            ['lead', 0, ...params],
          )
        ).map((r) => [String(r.unitName), Number(r.n)]),
      );

    expect(late).toHaveLength(100);
    expect(f.criticism.filter((c) => c.reason === 'late').map((c) => [c.number, c.title, c.unitName])).toEqual(
      late.map((r) => [r.number, r.title, r.unitName]),
    );
    expect(awaiting).toHaveLength(100);
    expect((f.awaiting ?? []).map((a) => [a.number, a.title, a.unitName, a.askedAt.toISOString(), a.stage])).toEqual(
      awaiting.map((r) => [
        r.number,
        r.title,
        r.unitName,
        new Date(r.askedAt instanceof Date ? r.askedAt : `${String(r.askedAt).replace(' ', 'T')}Z`).toISOString(),
        r.ratedAt !== null && r.ratedAt !== undefined ? 'approval' : Number(r.asked) > 0 ? 'review' : 'extension',
      ]),
    );
    expect(praise).toHaveLength(100);
    expect(f.praise.map((p) => [p.number, p.title, p.unitName, p.rating])).toEqual(praise.map((r) => [r.number, r.title, r.unitName, r.rating]));

    expect(returned).toHaveLength(100);
    expect(f.criticism.filter((c) => c.reason === 'returned').map((c) => [c.number, c.title, c.unitName])).toEqual(
      returned.map((r) => [r.number, r.title, r.unitName]),
    );

    const byName = (field: 'overdue' | 'awaiting') => Object.fromEntries(f.byUnit.filter((u) => u[field] > 0).map((u) => [u.unitName, u[field]]));
    expect(byName('overdue')).toEqual(await counts(LATE, [to, to, to]));
    expect(byName('awaiting')).toEqual(await counts(AWAITING, [to, to, to, to, to, to]));
    expect(f.totals.overdue).toBe(170);
    expect(f.totals.awaiting).toBe(130);
  });
});
