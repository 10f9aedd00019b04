import { Global, Module } from '@nestjs/common';
import { RectificationDeadlines } from '../cases/rectification-deadline.port';
import { PolicyRectificationDeadlines } from './rectification-deadlines';
import { ReminderPolicyService } from './reminder-policy.service';
import { CalendarModule } from '../calendar/calendar.module';
import { QuietHold } from './quiet-hold';

/**
 * The reminder policies (R10), provided once — one cache — for reminders and, through cases' RectificationDeadlines
 * port, for registering a 整改 order (R9). Global so that cases, which must not import reminders, receives the port.
 */
@Global()
@Module({
  imports: [CalendarModule],
  providers: [ReminderPolicyService, QuietHold, { provide: RectificationDeadlines, useClass: PolicyRectificationDeadlines }],
  exports: [ReminderPolicyService, QuietHold, RectificationDeadlines],
})
export class ReminderPolicyModule {}
