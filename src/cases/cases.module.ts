import { ReminderPolicyService } from '../reminders/reminder-policy.service';
import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarModule } from '../calendar/calendar.module';
import { SettingsModule } from '../settings/settings.module';
import { CommandRunner } from './command-runner';
import { ItemCommandsService } from './item-commands.service';
import { ItemQueriesService } from './item-queries.service';
import { ItemMessages } from './item.messages';
import { ItemsController } from './items.controller';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';
import { NumberingService } from './numbering.service';
import { RegistrationService } from './registration.service';
import { TimelineWriter } from './timeline.writer';

@Module({
  imports: [OutboxModule, CalendarModule, SettingsModule],
  controllers: [ItemsController, LedgerController],
  providers: [CommandRunner, ItemMessages, ItemCommandsService, ItemQueriesService, LedgerService, NumberingService, RegistrationService, TimelineWriter, ReminderPolicyService],
  exports: [ItemCommandsService, ItemQueriesService, RegistrationService],
})
export class CasesModule {}
