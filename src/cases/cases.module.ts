import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarModule } from '../calendar/calendar.module';
import { SettingsModule } from '../settings/settings.module';
import { CommandRunner } from './command-runner';
import { ItemActionsService } from './item-actions.service';
import { ItemCommandsService } from './item-commands.service';
import { ItemQueriesService } from './item-queries.service';
import { ItemMessages } from './item.messages';
import { ItemsController } from './items.controller';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';
import { LedgerCountsCache } from './ledger-counts.cache';
import { NumberingService } from './numbering.service';
import { RegistrationService } from './registration.service';
import { TimelineWriter } from './timeline.writer';
import { JobsModule } from '../jobs/jobs.module';
import { OrgModule } from '../org/org.module';
import { CloseFinishedParentsJob } from './close-finished-parents.job';
import { ExtensionCutoffJob } from './extension-cutoff.job';
import { CardRefresher } from './card-refresher';
import { OrgRetirementGuard } from './org-retirement.guard';
import { YearEndJob } from './year-end.job';
import { YearEndService } from './year-end.service';
import { WallController } from './wall.controller';
import { WallService } from './wall.service';

@Module({
  imports: [OutboxModule, CalendarModule, SettingsModule, JobsModule, OrgModule],
  controllers: [ItemsController, LedgerController, WallController],
  providers: [
    CommandRunner,
    ItemMessages,
    ItemCommandsService,
    ItemQueriesService,
    ItemActionsService,
    LedgerService,
    LedgerCountsCache,
    NumberingService,
    RegistrationService,
    TimelineWriter,
    CloseFinishedParentsJob,
    ExtensionCutoffJob,
    CardRefresher,
    OrgRetirementGuard,
    YearEndService,
    YearEndJob,
    WallService,
  ],
  exports: [ItemCommandsService, ItemQueriesService, RegistrationService, TimelineWriter, YearEndService],
})
export class CasesModule {}
