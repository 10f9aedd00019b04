import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { inTransaction } from '../../src/database/transaction';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 17 (the tick touches only what is due): the A1 overdue scan runs inside every reminder dispatch (issue 14, R10
 * with A1). It looked at 30 days of deadlines on every tick, because a scan inside a caller's transaction never moved
 * its window on — at 10^6 open items that was most of a steady tick. The window now moves once that transaction has
 * committed, and not when it rolls back (a clue must not be missed).
 */
describe('A1 overdue scan inside the reminders dispatch: only the deadlines crossed since the last committed scan', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    org = await seedOrg(t);
  });
  afterAll(() => t?.close());

  async function overdueItem(title: string): Promise<string> {
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline: { node: '1d' } },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    return item.number;
  }

  it('A1 — a committed scan inside a transaction moves the window on; a rolled-back one does not, and its clue opens at the next scan', async () => {
    const s = t.get(AccountabilityService);
    for (const title of ['扫描一', '扫描二', '扫描三']) await overdueItem(title);
    // Deadline Tue 03-03 18:00; 2 working days later Thu 03-05 18:00.
    const at = shanghaiInstant('2026-03-05', '18:00');
    // Rolled back: the clues it opened are gone, and the next scan must look at those deadlines again.
    await expect(
      inTransaction(t.db, async (em) => {
        expect(await s.scanOverdue(at, em)).toBe(3);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await t.db.getRepository(Clue).count()).toBe(0);
    expect(await inTransaction(t.db, (em) => s.scanOverdue(at, em))).toBe(3);
    expect(s.lastScan.items).toBe(3);
    // Committed: the next scans, a minute and an hour later, read none of those items again.
    expect(await inTransaction(t.db, (em) => s.scanOverdue(shanghaiInstant('2026-03-05', '18:01'), em))).toBe(0);
    expect(s.lastScan.items).toBe(0);
    await t.get(ReminderScheduler).dispatch(shanghaiInstant('2026-03-05', '19:00'));
    expect(s.lastScan.items).toBe(0);
    expect(await t.db.getRepository(Clue).count()).toBe(3);
  });
});
