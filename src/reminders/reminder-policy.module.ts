import { Global, Module } from '@nestjs/common';
import { ClueSummaries } from './clue-summaries';
import { RectificationDeadlines } from '../cases/rectification-deadline.port';
import { PolicyRectificationDeadlines } from './rectification-deadlines';
import { ReminderPolicyService } from './reminder-policy.service';
import { CalendarModule } from '../calendar/calendar.module';
import { QuietHold } from './quiet-hold';
import { QUIET_HOURS } from '../outbox/quiet-hours.port';

/**
 * The reminder policies (R10), provided once — one cache — for reminders and, through cases' RectificationDeadlines
 * port, for registering a 整改 order (R9), and the quiet hours every outbox message obeys (QUIET_HOURS, R10). Global so
 * that cases and the outbox, which must not import reminders, receive the ports.
 */
@Global()
@Module({
  imports: [CalendarModule],
  providers: [
    ClueSummaries,
    ReminderPolicyService,
    QuietHold,
    { provide: RectificationDeadlines, useClass: PolicyRectificationDeadlines },
    // R10 for every notice (issue 14): the outbox holds each message it is given with this same hold.
    { provide: QUIET_HOURS, useExisting: QuietHold },
  ],
  exports: [ReminderPolicyService, QuietHold, RectificationDeadlines, QUIET_HOURS, ClueSummaries],
})
export class ReminderPolicyModule {}
