import { SchedulerRegistry } from '@nestjs/schedule';
import { Clue } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12: each module owns its periodic jobs in @nestjs/schedule's registry. The reminder tick plans and dispatches
 * reminders only; accountability's scans (A1, S11) and the C4 repair are jobs of their own, on the same interval.
 */
describe('periodic jobs, one per module (issue 12)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('DUBAN_REMINDER_TICK_MS=0 starts no job', async () => {
    t = await startTestApp({ database: 'sqlite' });
    expect(t.get(SchedulerRegistry).getIntervals()).toEqual([]);
  });

  it('the registry lists each module’s job by name; with the reminder tick gone, the A1 scan still opens its clue', async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00'), env: { DUBAN_REMINDER_TICK_MS: '200' } });
    expect(t.get(SchedulerRegistry).getIntervals().sort()).toEqual([
      'accountability.scan',
      'cases.close-finished-parents',
      'cases.extension-cutoff',
      'cases.year-end-check',
      'reminders.tick',
    ]);
    t.get(JobsService).remove('reminders.tick');
    expect(t.get(SchedulerRegistry).getIntervals().sort()).toEqual([
      'accountability.scan',
      'cases.close-finished-parents',
      'cases.extension-cutoff',
      'cases.year-end-check',
    ]);

    const org = await seedOrg(t);
    const item = await t.get(RegistrationService).register(
      {
        title: '逾期未办',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { node: '1d' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    // A1: deadline Tue 03-03 18:00 (C3: day end); more than 2 days later the accountability job opens a clue by itself.
    t.clock.set(shanghaiInstant('2026-03-05', '18:01'));
    const clues = () => t!.db.getRepository(Clue).countBy({ itemId: item.id });
    for (let i = 0; (await clues()) === 0; i++) {
      if (i > 100) throw new Error('the accountability job opened no clue within 10 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await clues()).toBe(1);
    // …and the reminder tick, removed, planned nothing. (Issue 14: the clue's own notices wait as reminders of that moment —
    // the reminders' digest carries them, R10 — for the unit and the 督查室.)
    const rows = await t.db.getRepository(Reminder).find();
    expect(rows.filter((r) => r.kind !== 'clue_opened')).toEqual([]);
    expect(rows.map((r) => [r.kind, r.audience]).sort()).toEqual([
      ['clue_opened', 'supervision_office'],
      ['clue_opened', 'unit'],
    ]);
  });
});
