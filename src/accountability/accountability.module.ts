import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ScoringModule } from '../scoring/scoring.module';
import { JobsModule } from '../jobs/jobs.module';
import { CalendarModule } from '../calendar/calendar.module';
import { AccountabilityJob } from './accountability.job';
import { AccountabilityController } from './accountability.controller';
import { AccountabilityService } from './accountability.service';
import { ClueOpener } from './clue-opener';

/** Issue 7 §2: 责任追究 — clues and their procedure; ClueOpener subscribes to the timeline and to S10 obstructions (A1). */
@Module({
  imports: [OutboxModule, ScoringModule, JobsModule, CalendarModule],
  controllers: [AccountabilityController],
  providers: [AccountabilityService, ClueOpener, AccountabilityJob],
  exports: [AccountabilityService],
})
export class AccountabilityModule {}
