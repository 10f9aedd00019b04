import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ScoringModule } from '../scoring/scoring.module';
import { CalendarModule } from '../calendar/calendar.module';
import { BulletinFactsService } from './bulletin-facts.service';
import { BulletinController, PublicBulletinController } from './bulletin.controller';
import { BulletinService } from './bulletin.service';
import { BulletinChartRenderer } from './bulletin-chart.renderer';
import { StatisticsController } from './statistics.controller';

/** Issue 7 §3–4: the monthly, quarterly and ad-hoc 通报, and the statistics for leaders (B4). */
@Module({
  imports: [OutboxModule, ScoringModule, CalendarModule],
  controllers: [BulletinController, PublicBulletinController, StatisticsController],
  providers: [BulletinService, BulletinFactsService, BulletinChartRenderer],
  exports: [BulletinService, BulletinFactsService],
})
export class BulletinModule {}
