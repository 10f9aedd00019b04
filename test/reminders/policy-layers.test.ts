import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/app.data-source';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { MIGRATIONS } from '../../src/database/migrations';
import { PolicyLayersSchema1764800200000 } from '../../src/database/migrations/1764800200000-PolicyLayersSchema';
import { ReminderPolicyService } from '../../src/reminders/reminder-policy.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import { policyFor } from '../../src/reminders/reminder.policy';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { SystemClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

const DAY = 86_400_000;

/** Issue 13 §4 on MariaDB: the effective policy of a key task from the 政府工作报告, as stored and as previewed. */
describe('policies that fit the item (R6, R7, R8, R10)', () => {
  it('R6+R7+R8 — a 政府工作报告 key task is planned 逐月反馈, 季度小结 and 4月10日… under one composed policy, named so in the rows and the preview', async () => {
    const t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00') });
    try {
      const org = await seedOrg(t);
      const item = await t.get(RegistrationService).register(
        {
          title: '政府工作报告：新建保障性住房',
          content: '全年完成保障性住房建设任务',
          source: 'work_report',
          board: 'key_task',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          deadline: { date: '2026-12-31' },
          deadlineReason: '全年任务',
        },
        org.supervisor.actor,
      );
      await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
      await t.get(ReminderScheduler).plan(t.clock.now(), 300 * DAY);
      const rows = await t.db.getRepository(Reminder).find({ where: { itemId: item.id } });
      expect([...new Set(rows.map((r) => `${r.policyId} v${r.policyVersion}`))]).toEqual(['key_task@1+work_report@2 v1']);
      const kinds = new Set(rows.map((r) => r.kind));
      for (const k of ['month_end_report', 'quarterly_summary', 'fixed_report']) expect(kinds).toContain(k);

      const preview = await t.http().post('/api/reminder-policies/preview').set(bearer(ADMIN_TOKEN)).send({ number: item.number, days: 45 }).expect(200);
      const april = preview.body.filter((r: { plannedAt: string }) => r.plannedAt.startsWith('2026-04'));
      expect(april.map((r: { plannedAt: string; rule: string; policy: string }) => [r.plannedAt, r.rule, r.policy])).toEqual([
        ['2026-04-10T09:00:00+08:00', 'R8', 'key_task@1+work_report@2'],
      ]);
      const march = preview.body.filter((r: { plannedAt: string }) => r.plannedAt.startsWith('2026-03-31'));
      expect(march.map((r: { rule: string }) => r.rule)).toEqual(['R7']);

      // The admin API takes an add-on: the 十件实事 dates as the seed has them, and refuses a bad one naming the field.
      const admin = bearer(ADMIN_TOKEN);
      const bad = await t
        .http()
        .put('/api/reminder-policies/livelihood')
        .set(admin)
        .send({ layer: 'add_on', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [32] } })
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'POLICY.INVALID', field: 'fixedReportDates' });
      expect(bad.body.message).toContain('每月几日');
      const extra = await t
        .http()
        .put('/api/reminder-policies/livelihood')
        .set(admin)
        .send({ layer: 'add_on', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [10] }, notifyAt: '09:00' })
        .expect(400);
      expect(extra.body.message).toContain('「日常提醒时刻」');
      const saved = await t
        .http()
        .put('/api/reminder-policies/livelihood')
        .set(admin)
        .send({ layer: 'add_on', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [10, 15, 25] } })
        .expect(200);
      expect(saved.body.version).toBe(3);
      const versions = await t.http().get('/api/reminder-policies/livelihood/versions').set(admin).expect(200);
      expect(versions.body.map((p: { version: number; layer?: string }) => [p.version, p.layer ?? 'base'])).toEqual([
        [1, 'base'],
        [2, 'add_on'],
        [3, 'add_on'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('R10 — a new default version reaches a database where an administrator had saved the old whole policy: appended after it, their own dates kept', async () => {
    const db = await createTestDatabase();
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(PolicyLayersSchema1764800200000));
    const old = await new DataSource({ ...dataSourceOptions(db.url), migrations: before }).initialize();
    await old.runMigrations({ transaction: 'each' });
    const whole = (id: string, dates: unknown) =>
      JSON.stringify({ id, version: 2, appliesTo: { sources: [id] }, beforeDeadline: [{ hours: 5 }], fixedReportDates: dates, notifyAt: '09:00' });
    // 十件实事 saved unchanged (only the 10th); 政府工作报告 saved with the administrator's own dates.
    await old.query('INSERT INTO reminder_policy (id, version, body, created_by_id) VALUES (?, 2, ?, 1), (?, 2, ?, 1)', [
      'livelihood',
      whole('livelihood', { monthly: [10] }),
      'work_report',
      whole('work_report', [{ months: [6, 12], day: 20 }]),
    ]);
    await old.destroy();
    const ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const policies = await new ReminderPolicyService(ds, new SystemClock()).current();
      const live = policies.find((p) => p.id === 'livelihood')!;
      expect(live).toEqual({ id: 'livelihood', version: 3, layer: 'add_on', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [10, 15] } });
      expect(policies.find((p) => p.id === 'work_report')).toMatchObject({ version: 3, layer: 'add_on', fixedReportDates: [{ months: [6, 12], day: 20 }] });
      const keyTask = policyFor({ board: 'key_task', source: 'work_report' }, policies);
      expect([keyTask.id, keyTask.quarterlySummary, keyTask.fixedReportDates]).toEqual(['key_task+work_report', true, [{ months: [6, 12], day: 20 }]]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
