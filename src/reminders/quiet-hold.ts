import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import type { QuietHours } from '../outbox/quiet-hours.port';
import { DEFAULT_POLICIES, isAddOn, ReminderPolicy } from './reminder.policy';
import { ReminderPolicyService } from './reminder-policy.service';
import { holdForQuiet } from './schedule.rules';

/**
 * R10 for every notice, not only reminders (issue 14: clue notices reached the 督查室 at 02:22): a notice written at
 * `at` goes out at the same hold reminders use — quiet hours and quiet days of the default policy — so one written in
 * the night or on a rest day is due the next working morning at 08:00.
 */
@Injectable()
export class QuietHold implements QuietHours {
  constructor(
    private readonly calendar: CalendarService,
    private readonly policies: ReminderPolicyService,
  ) {}

  async sendAt(at: Date, em?: EntityManager): Promise<Date> {
    const [cal, rows] = await Promise.all([this.calendar.calendar(em), this.policies.current()]);
    const policy = (rows.find((p) => p.id === 'default' && !isAddOn(p)) ?? DEFAULT_POLICIES[0]) as ReminderPolicy;
    return holdForQuiet(at, policy, cal).sendAt;
  }
}
