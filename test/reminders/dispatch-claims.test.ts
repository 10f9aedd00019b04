import { ItemUnit } from '../../src/cases/item-unit.entity';
import { Item } from '../../src/cases/item.entity';
import { ChatGroup } from '../../src/org/chat-group.entity';
import { Person } from '../../src/org/person.entity';
import { Unit } from '../../src/org/unit.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import { countStatements } from '../support/statements';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const NOW = new Date('2026-03-04T02:00:00Z'); // Wednesday 10:00 in Shanghai
const DUE = new Date(NOW.getTime() + 60_000);

/**
 * Units with one group each and `perUnit[u]` open items for unit u, each with exactly one reminder (R1, 5 h before its
 * deadline) falling due at DUE once planned over 2 h. Returns the groups' outbox targets, by unit.
 */
async function seed(t: TestApp, perUnit: number[]): Promise<string[]> {
  const db = t.db;
  const [owner, leader] = await db.getRepository(Person).save([{ name: '督查室' }, { name: '分管领导' }]);
  const targets: string[] = [];
  let n = 0;
  for (const [u, count] of perUnit.entries()) {
    const unit = await db.getRepository(Unit).save({ code: `DC${u}`, name: `认领单位${u}` });
    const group = await db
      .getRepository(ChatGroup)
      .save({ platform: 'dingtalk', externalId: `dc-cid-${u}`, name: `认领单位${u}督办群`, unitId: unit.id, purpose: 'unit' });
    targets.push(`group:${group.id}`);
    const items = Array.from({ length: count }, () => {
      n++;
      return {
        number: `DC2026-${String(n).padStart(5, '0')}`,
        title: `认领压测事项${n}`,
        content: '内容',
        source: 'hotline' as const,
        board: 'daily' as const,
        category: 'decision' as const,
        state: 'in_progress' as const,
        ownerId: owner.id,
        leaderId: leader.id,
        registeredAt: new Date('2026-03-01T02:00:00Z'),
        deadlineAt: new Date(DUE.getTime() + 5 * HOUR),
        deadlineSpec: '7d',
      };
    });
    for (let i = 0; i < items.length; i += 500) {
      const ids = (await db.getRepository(Item).insert(items.slice(i, i + 500))).identifiers.map((x) => Number(x.id));
      await db.getRepository(ItemUnit).insert(ids.map((itemId) => ({ itemId, unitId: unit.id, role: 'lead' as const })));
    }
  }
  await t.get(ReminderScheduler).plan(NOW, 2 * HOUR);
  expect(await db.getRepository(Reminder).countBy({ status: 'pending', dueAt: DUE })).toBe(n);
  return targets;
}

const linesOf = async (t: TestApp, target: string) =>
  (await t.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest', target: target as never }, order: { id: 'ASC' } })).map(
    (m) => (m.payload.reminders as unknown[]).length,
  );

describe('dispatch claims (issue 17: claims sent whole, R10 one digest per recipient)', () => {
  jest.setTimeout(180_000);

  describe('on MariaDB', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp({ now: NOW });
    });
    afterEach(() => t.close());

    it('a full claim that ends where its last recipient ends is sent whole, in one transaction, and no empty claim follows', async () => {
      const [a, b] = await seed(t, [1000, 1000]); // 2,000: exactly one claim
      t.clock.set(DUE);
      const statements = countStatements(t.db);
      expect(await t.get(ReminderScheduler).dispatch(DUE)).toBe(2000);
      // One claim (one named lock) — not a claim of 1,000 (the last recipient held back for nothing), then one of
      // 1,000, then an empty one.
      expect(statements.count(/GET_LOCK/)).toBe(1);
      expect(statements.count(/^START TRANSACTION/)).toBe(2); // the claim's, and the dispatching hook's before it
      // Its statements do not grow with its reminders: the reads are per claim (the hook's 3; then the lock, the claim,
      // the look past it, the items, their facts, the groups, today's messages, the digests, the commit — 14), and
      // what was sent is marked 500 at a time.
      const marks = statements.count(/^UPDATE `reminder` SET `status`/);
      expect(marks).toBe(4);
      expect(statements.all() - marks).toBeLessThanOrEqual(17);
      // R10: each group gets its 1,000 lines in messages of at most 500.
      expect(await linesOf(t, a)).toEqual([500, 500]);
      expect(await linesOf(t, b)).toEqual([500, 500]);
      expect(await t.db.getRepository(Reminder).countBy({ status: 'pending' })).toBe(0);
    });

    it('the next claim begins while the one before is still sending (it held nothing back), and both are sent whole', async () => {
      const [a, b, c, d] = await seed(t, [1000, 1000, 1000, 1000]); // two full claims, each ending where a recipient ends
      t.clock.set(DUE);
      const statements = countStatements(t.db);
      expect(await t.get(ReminderScheduler).dispatch(DUE)).toBe(4000);
      // The second claim's named lock is taken before the first claim's COMMIT: node re-checks one while MariaDB writes the other.
      const order = statements.trips().map((q) => q[0]);
      const secondLock = order.map((q, i) => (/GET_LOCK/.test(q) ? i : -1)).filter((i) => i >= 0)[1];
      const firstClaimCommit = order.findIndex((q, i) => i > order.findIndex((x) => /GET_LOCK/.test(x)) && q === 'COMMIT');
      expect(secondLock).toBeGreaterThan(0);
      expect(secondLock).toBeLessThan(firstClaimCommit);
      for (const target of [a, b, c, d]) expect(await linesOf(t, target)).toEqual([500, 500]);
      expect(await t.db.getRepository(Reminder).countBy({ status: 'sent' })).toBe(4000);
    });

    it('R10: a recipient whose reminders a full claim cuts is left whole for the next claim — one digest, not two halves', async () => {
      const [a, b] = await seed(t, [1700, 600]); // the first claim of 2,000 ends inside b's 600
      t.clock.set(DUE);
      const statements = countStatements(t.db);
      expect(await t.get(ReminderScheduler).dispatch(DUE)).toBe(2300);
      expect(statements.count(/GET_LOCK/)).toBe(2);
      expect(await linesOf(t, a)).toEqual([500, 500, 500, 200]);
      // Split between two claims it would be two messages of 300.
      expect(await linesOf(t, b)).toEqual([500, 100]);
      expect(await t.db.getRepository(Reminder).countBy({ status: 'sent' })).toBe(2300);
    });
  });

  it('on SQLite (the embedded database): due reminders are claimed, re-checked and sent as digests', async () => {
    const t = await startTestApp({ now: NOW, database: 'sqlite' });
    try {
      const [a, b] = await seed(t, [3, 2]);
      t.clock.set(DUE);
      expect(await t.get(ReminderScheduler).dispatch(DUE)).toBe(5);
      expect(await linesOf(t, a)).toEqual([3]);
      expect(await linesOf(t, b)).toEqual([2]);
      const sent = await t.db.getRepository(Reminder).find({ where: { status: 'sent' } });
      expect(sent).toHaveLength(5);
      expect(sent.every((r) => r.sentAt?.getTime() === DUE.getTime())).toBe(true);
      // Nothing more at the same instant.
      expect(await t.get(ReminderScheduler).dispatch(DUE)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
