import { CalendarService } from '../../src/calendar/calendar.service';
import type { DeadlineSpec } from '../../src/cases/deadline.rules';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import type { EntityManager } from 'typeorm';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { lookaheadEnd, nextMark, ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ReminderPolicyService } from '../../src/reminders/reminder-policy.service';
import { policyFor, ReminderPolicy } from '../../src/reminders/reminder.policy';
import { Reminder } from '../../src/reminders/reminder.entity';
import { planReminders } from '../../src/reminders/schedule.rules';
import { Org, seedOrg } from '../support/fixtures';
import { countStatements } from '../support/statements';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const MONDAY_9 = new Date('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai
const at = (h: number) => new Date(MONDAY_9.getTime() + h * HOUR);

/**
 * Issue 17: an item's mark is the instant its plan next needs extending — its first reminder not stored, or a bounded
 * look-ahead — so a tick plans the items whose next reminder comes near, not a slice of the register every few hours.
 */
describe.each(['mariadb', 'sqlite'] as const)('planning by the next reminder on %s', (database) => {
  let t: TestApp;
  let org: Org;
  beforeEach(async () => {
    t = await startTestApp({ now: MONDAY_9, database });
    org = await seedOrg(t);
  });
  afterEach(() => t.close());

  async function open(title: string, deadline: DeadlineSpec): Promise<Item> {
    t.clock.set(MONDAY_9);
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'hotline', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    return t.db.getRepository(Item).findOneByOrFail({ id: item.id });
  }
  const mark = async (id: number) => (await t.db.getRepository(Item).findOneByOrFail({ id })).remindersPlannedUntil?.getTime() ?? null;
  /** One tick as the service runs it; returns how many items its planning read and planned. */
  async function tick(now: Date): Promise<number> {
    t.clock.set(now);
    const s = t.get(ReminderScheduler);
    await s.plan(now);
    const items = s.lastPlan.items;
    await s.dispatch(now);
    return items;
  }
  /** A policy version whose first reminder is 10 days (240 working hours) before the deadline (R1). */
  async function tenDaysBefore(item: Item): Promise<ReminderPolicy> {
    const s = t.get(ReminderScheduler);
    const p = policyFor(item, await s.policies());
    await t.get(ReminderPolicyService).save(p.id, { ...p, beforeDeadline: [{ hours: 240 }, { hours: 5 }] }, null);
    return policyFor(item, await s.policies());
  }
  async function expected(item: Item, policy: ReminderPolicy, until: Date) {
    return planReminders({
      item: { ...item, kind: undefined, lastReportAt: null },
      policy,
      calendar: await t.get(CalendarService).calendar(),
      from: MONDAY_9,
      until,
    });
  }

  /** Planning's look-up of the keys stored for the items it plans again (by item, on uq_reminder_item_key). */
  const STORED_KEYS = /^SELECT [`"]r[`"]\.[`"]reminder_key[`"] AS [`"]k[`"] FROM [`"]reminder[`"] [`"]r[`"] WHERE [`"]r[`"]\.[`"]item_id[`"] IN/;
  it('an item planned again from its mark adds its next reminders without looking up stored keys; one whose mark a command cleared is looked up, and nothing is stored twice', async () => {
    const near = await open('近期事项', { node: '1d' }); // Tuesday 18:00: reminders from Tuesday 13:00 on
    expect(await tick(at(0))).toBe(1);
    const nearMark = (await mark(near.id))!;
    // The tick that brings it back (its mark less than half a horizon ahead) plans from the mark: nothing it adds can
    // be stored already, so no key is looked up.
    const comeBack = new Date(nearMark - 6 * HOUR + 60_000);
    let statements = countStatements(t.db);
    expect(await tick(comeBack)).toBe(1);
    statements.stop();
    expect(statements.count(STORED_KEYS)).toBe(0);
    const stored = await t.db.getRepository(Reminder).countBy({ itemId: near.id });
    expect(stored).toBeGreaterThan(0);
    // A command clears the mark: planning starts again from (about) now, over reminders already stored — those are
    // looked up, and none is stored twice (the unique key would refuse it; the count says none was even tried).
    t.clock.set(comeBack);
    await t.get(ItemCommandsService).sign(near.number, org.leadContact.actor);
    statements = countStatements(t.db);
    expect(await tick(comeBack)).toBe(1);
    statements.stop();
    expect(statements.count(STORED_KEYS)).toBe(1);
    expect(await t.db.getRepository(Reminder).countBy({ itemId: near.id })).toBe(stored);
  });

  it('a tick reads the lead units of the items that store a reminder to their unit, and of no other (issue 17)', async () => {
    const far = await open('远期事项', { date: '2026-03-27' }); // nothing within the look-ahead
    const near = await open('近期事项', { node: '1d' }); // Tuesday 18:00: its first reminder (5 h before, to the unit) is Tuesday 13:00
    // Neither stores a reminder now: the tick plans both and reads no lead unit.
    let statements = countStatements(t.db);
    expect(await tick(at(0))).toBe(2);
    statements.stop();
    expect(statements.count(/FROM [`"]item_unit[`"]/)).toBe(0);
    expect(await t.db.getRepository(Reminder).countBy({ itemId: near.id })).toBe(0);
    // The tick that stores the near item's 13:00 reminder reads its lead unit (on MariaDB from ix_item_unit_item_role by
    // name: no dives into uq_item_unit), and the reminder goes to that unit.
    statements = countStatements(t.db);
    expect(await tick(new Date((await mark(near.id))! - 6 * HOUR + 60_000))).toBe(1);
    statements.stop();
    const leadUnits = statements.count(/FROM [`"]item_unit[`"]/);
    expect(leadUnits).toBe(1);
    expect(statements.count(/USE INDEX \(`?ix_item_unit_item_role`?\)/)).toBe(database === 'mariadb' ? 1 : 0);
    const stored = await t.db.getRepository(Reminder).findBy({ itemId: near.id, audience: 'unit' });
    expect(stored.length).toBeGreaterThan(0);
    for (const r of stored) expect(r.recipientKey).toBe(`unit:${org.units.lead}`);
    expect(await t.db.getRepository(Reminder).countBy({ itemId: far.id })).toBe(0);
  });

  it('an item whose next reminder is weeks away is left alone by the following ticks; one due soon is planned when it comes near; a command brings an item back at once', async () => {
    const far = await open('远期事项', { date: '2026-03-27' }); // 25 days: no weekly reminder (R2 needs a node over 28 days)
    const near = await open('近期事项', { node: '1d' }); // Tuesday 18:00: its first reminder (5 h before) is Tuesday 13:00
    expect(await tick(at(0))).toBe(2);
    // Nothing within the look-ahead: the mark is the bound. The near item's mark is its first reminder not stored.
    expect(await mark(far.id)).toBe(lookaheadEnd(far.id, at(0), at(12)).getTime());
    // Up to half a horizon (6 h) before it, by the id: items whose reminders share an instant come back over six hours.
    const nearMark = nextMark(near.id, at(28), at(0), at(12)).getTime();
    expect(await mark(near.id)).toBe(nearMark);
    expect(nearMark).toBeGreaterThan(at(22).getTime());
    expect(nearMark).toBeLessThanOrEqual(at(28).getTime());
    expect(await t.db.getRepository(Reminder).countBy({ itemId: near.id })).toBe(0);
    // Hour after hour, no tick reads either item until the near one's mark is less than half the horizon (6 h) away.
    let h = 1;
    for (; at(h).getTime() + 6 * HOUR <= nearMark; h++) expect(await tick(at(h))).toBe(0);
    expect(h).toBeGreaterThanOrEqual(16);
    expect(await tick(at(h))).toBe(1);
    const stored = await t.db.getRepository(Reminder).find({ where: { itemId: near.id }, order: { plannedAt: 'ASC' } });
    expect(stored.map((r) => [r.kind, r.plannedAt.getTime()])[0]).toEqual(['before_deadline', at(28).getTime()]);
    expect(await mark(far.id)).toBe(lookaheadEnd(far.id, at(0), at(12)).getTime());
    // A command on the far item clears its mark: the next tick plans it, and it alone.
    t.clock.set(at(24));
    await t.get(ItemCommandsService).sign(far.number, org.leadContact.actor);
    expect(await mark(far.id)).toBeNull();
    expect(await tick(at(24))).toBe(1);
    expect(await mark(far.id)).toBe(lookaheadEnd(far.id, at(24), at(36)).getTime());
    // Its reminder at 13:00 is sent at 13:00.
    await tick(at(28));
    expect(await t.db.getRepository(Reminder).findOneByOrFail({ id: stored[0].id })).toMatchObject({ status: 'sent', sentAt: at(28) });
  });

  it('a steady tick plans only the items whose next reminder comes near, however many are open', async () => {
    const quiet: Item[] = [];
    for (let i = 0; i < 12; i++) quiet.push(await open(`远期事项${i}`, { date: '2026-03-27' }));
    const soon = await open('近期事项', { node: '1d' });
    expect(await tick(at(0))).toBe(13);
    // One day of ticks every 10 minutes: 144 ticks plan the near item twice (its reminders at 13:00, then 18:00 …), the
    // twelve others never — where a mark of "12 h from now" planned every item every 6 hours.
    let planned = 0;
    for (let m = 10; m <= 24 * 60; m += 10) planned += await tick(new Date(MONDAY_9.getTime() + m * 60_000));
    expect(planned).toBeLessThanOrEqual(3);
    expect(planned).toBeGreaterThanOrEqual(1);
    for (const q of quiet) expect(await mark(q.id)).toBe(lookaheadEnd(q.id, at(0), at(12)).getTime());
    expect(await t.db.getRepository(Reminder).countBy({ itemId: soon.id, kind: 'before_deadline' })).toBe(1);
  });

  it('R1: a reminder 10 days before the deadline, 5 days from now, is stored once and sent at its instant, tick by tick', async () => {
    const item = await open('十日前提醒', { date: '2026-03-20' });
    const policy = await tenDaysBefore(item);
    const deadline = item.deadlineAt.getTime();
    const want = (await expected(item, policy, new Date(deadline))).filter((r) => r.dueAt.getTime() > MONDAY_9.getTime());
    expect(want.map((r) => r.kind)).toContain('before_deadline');
    const tenDays = want.find((r) => r.kind === 'before_deadline')!;
    expect(tenDays.dueAt.getTime()).toBeGreaterThan(at(4 * 24).getTime()); // days away: beyond any 12 h horizon
    let planned = 0;
    for (let h = 0; at(h).getTime() <= deadline; h++) planned += await tick(at(h));
    const got = await t.db.getRepository(Reminder).find({ where: { itemId: item.id }, order: { plannedAt: 'ASC' } });
    const before = got.filter((r) => r.plannedAt.getTime() < deadline);
    expect(before.map((r) => r.key)).toEqual(want.map((r) => r.key));
    for (const r of before) {
      expect(r.status).toBe('sent');
      // Hourly ticks: sent within the hour it was due (held out of the night and the weekend by R10).
      expect(r.sentAt!.getTime() - r.dueAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(r.sentAt!.getTime() - r.dueAt.getTime()).toBeLessThan(HOUR);
    }
    // 18 days of hourly ticks (≈440) planned the item a handful of times, not every 6 hours.
    expect(planned).toBeLessThanOrEqual(8);
  });

  it('R1: after downtime that jumps over the reminder 10 days before the deadline, the next tick sends it, late, once', async () => {
    const item = await open('停机后补发', { date: '2026-03-20' });
    const policy = await tenDaysBefore(item);
    const [tenDays] = (await expected(item, policy, item.deadlineAt)).filter((r) => r.kind === 'before_deadline');
    await tick(at(0));
    expect(await t.db.getRepository(Reminder).countBy({ itemId: item.id })).toBe(0);
    // The service is down from Monday until three days after that reminder's send instant (a working day).
    const back = new Date(tenDays.sendAt.getTime() + 72 * HOUR);
    await tick(back);
    const got = await t.db.getRepository(Reminder).find({ where: { itemId: item.id, kind: 'before_deadline' } });
    expect(got.map((r) => [r.key, r.status])).toEqual([[tenDays.key, 'sent']]);
    await tick(new Date(back.getTime() + HOUR));
    expect(await t.db.getRepository(Reminder).countBy({ itemId: item.id, kind: 'before_deadline' })).toBe(1);
  });

  it('a new policy version plans every open item again at the next tick, however far its mark', async () => {
    const a = await open('策略变更一', { date: '2026-03-27' });
    const b = await open('策略变更二', { date: '2026-03-27' });
    expect(await tick(at(0))).toBe(2);
    expect(await tick(at(1))).toBe(0);
    await tenDaysBefore(a);
    expect(await tick(at(2))).toBe(2);
    // The new version's reminder 10 days before 03-27 is within the look-ahead of neither yet: marks at the bound.
    expect(await mark(a.id)).toBe(lookaheadEnd(a.id, at(2), at(14)).getTime());
    expect(await mark(b.id)).toBe(lookaheadEnd(b.id, at(2), at(14)).getTime());
  });
  it('a batch marks only the items still at the version it read: one changed meanwhile keeps its cleared mark, and marking is not a change', async () => {
    const kept = await open('未变事项', { node: '1d' });
    const changed = await open('期间变更事项', { node: '1d' });
    await t.db.getRepository(Item).update({ id: changed.id }, { version: changed.version + 1 }); // a command after the read
    const scheduler = t.get(ReminderScheduler) as unknown as {
      markPlanned(em: EntityManager, batch: Item[], marks: Map<number, Date>, mysql: boolean): Promise<number>;
    };
    const marks = new Map([
      [kept.id, at(20)],
      [changed.id, at(21)],
    ]);
    const matched = await t.db.transaction((em) => scheduler.markPlanned(em, [kept, changed], marks, database === 'mariadb'));
    expect(matched).toBe(1);
    expect(await mark(kept.id)).toBe(at(20).getTime());
    expect(await mark(changed.id)).toBeNull();
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: kept.id })).updatedAt.getTime()).toBe(kept.updatedAt.getTime());
  });
  it('a planning lane begins at its own first id: the index bounds the never-planned items by id, not only by their mark (issue 17)', async () => {
    if (database !== 'mariadb') return; // the index and its plan are MySQL/MariaDB's (SQLite plans with one lane)
    // Open items never planned, as a register at its first start: three batches' worth, so the lanes start apart.
    await t.db.query(
      `INSERT INTO item (number, title, content, source, board, category, state, owner_id, leader_id, registered_at, deadline_at, deadline_spec)
       SELECT CONCAT('DB2026-8', LPAD(seq, 5, '0')), '压测事项', '内容', 'hotline', 'daily', 'decision', 'in_progress', ?, ?, ?, ?, '7d' FROM seq_1_to_3000`,
      [org.owner.id, org.leader.id, MONDAY_9, at(24 * 30)],
    );
    await t.db.query(`INSERT INTO item_unit (item_id, unit_id, role) SELECT id, ?, 'lead' FROM item WHERE number LIKE 'DB2026-8%'`, [org.units.lead]);
    const statements = countStatements(t.db);
    try {
      await t.get(ReminderScheduler).plan(MONDAY_9);
      const reads = statements.sent(/USE INDEX \(`?ix_item_plan`?\)/);
      expect(reads.length).toBeGreaterThan(2);
      // Each read, as it was sent, explained: the range on ix_item_plan uses the id (its third part) — a lane that starts
      // in the middle of the register seeks to its first item instead of walking the other lane's. FORCE, not USE: a
      // table of 3,000 rows may be read whole, whatever the hint; what is asked here is what the index can bound.
      for (const { query, parameters } of reads) {
        const forced = query.replace(/USE INDEX/, 'FORCE INDEX');
        const [{ EXPLAIN: plan }] = (await t.db.query(`EXPLAIN FORMAT=JSON ${forced}`, parameters)) as { EXPLAIN: string }[];
        type Access = { table?: { key?: string; used_key_parts?: string[] } };
        const block = (JSON.parse(plan) as { query_block: Access & { nested_loop?: Access[] } }).query_block;
        const table = (block.nested_loop?.[0] ?? block).table;
        expect([table?.key, table?.used_key_parts]).toEqual(['ix_item_plan', ['state', 'reminders_planned_until', 'id']]);
      }
    } finally {
      statements.stop();
    }
  });
});
