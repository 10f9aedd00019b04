import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ScoringModule } from '../scoring/scoring.module';
import { JobsModule } from '../jobs/jobs.module';
import { AccountabilityJob } from './accountability.job';
import { AccountabilityController } from './accountability.controller';
import { AccountabilityService } from './accountability.service';

/** Issue 7 §2: 责任追究 — clues and their procedure. */
@Module({
  imports: [OutboxModule, ScoringModule, JobsModule],
  controllers: [AccountabilityController],
  providers: [AccountabilityService, AccountabilityJob],
  exports: [AccountabilityService],
})
export class AccountabilityModule {}
