import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ScoringModule } from '../scoring/scoring.module';
import { AccountabilityController } from './accountability.controller';
import { AccountabilityService } from './accountability.service';

/** Issue 7 §2: 责任追究 — clues and their procedure. */
@Module({
  imports: [OutboxModule, ScoringModule],
  controllers: [AccountabilityController],
  providers: [AccountabilityService],
  exports: [AccountabilityService],
})
export class AccountabilityModule {}
