import { Module } from '@nestjs/common';
import { ScoringController } from './scoring.controller';
import { ScoreLedger } from './score-ledger';
import { ScoringService } from './scoring.service';

/** Issue 7 §1: the 激励积分 ledger (written with each timeline event by ScoreLedger, a subscriber of 'item.event-recorded'; read and explained here). */
@Module({
  controllers: [ScoringController],
  providers: [ScoringService, ScoreLedger],
  exports: [ScoringService],
})
export class ScoringModule {}
