import { ReminderPolicyService } from '../../src/reminders/reminder-policy.service';
import type { TestApp } from './test-app';

/**
 * For tests that run on wall time (an OffsetClock, because the fakes' tokens and signatures run on it): every notice
 * obeys quiet hours and rest days (R10, issue 14), so such a test run at 23:00 or on a Sunday would wait for Monday
 * 08:00. They check what is said, not when; this switches the hold off with the policy's own setting (quiet hours
 * from 00:00 to 00:00 — none — and no quiet days). Quiet hours themselves are tested on a fixed clock
 * (test/cases/quiet-notices.test.ts, test/reminders/holiday-walk.test.ts).
 */
export async function awakeAllDay(t: TestApp): Promise<void> {
  const policies = t.get(ReminderPolicyService);
  const current = (await policies.current()).find((p) => p.id === 'default')!;
  const { id: _id, version: _version, ...body } = current;
  await policies.save('default', { ...body, quietHours: { start: '00:00', end: '00:00' }, quietDays: false }, null);
}
