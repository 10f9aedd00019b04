import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarModule } from '../calendar/calendar.module';
import { ReminderMessages } from './reminder.messages';
import { ReminderScheduler } from './reminder-scheduler.service';
import { RemindersController } from './reminders.controller';
import { CasesModule } from '../cases/cases.module';
import { JobsModule } from '../jobs/jobs.module';
import { ReminderJob } from './reminder.job';
import { ReminderPolicyModule } from './reminder-policy.module';

@Module({
  imports: [OutboxModule, CalendarModule, CasesModule, JobsModule, ReminderPolicyModule],
  controllers: [RemindersController],
  providers: [ReminderScheduler, ReminderMessages, ReminderJob],
  exports: [ReminderScheduler],
})
export class RemindersModule {}
