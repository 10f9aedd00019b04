import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { JobsService } from '../jobs/jobs.service';
import { Clock } from '../shared/clock';
import { YearEndService } from './year-end.service';

/** R7 年底清零, every DUBAN_REMINDER_TICK_MS (0 turns it off): acts only on the last working days of December, in office hours, once a day. */
@Injectable()
export class YearEndJob implements OnApplicationBootstrap {
  static readonly NAME = 'cases.year-end-check';

  constructor(
    private readonly jobs: JobsService,
    private readonly yearEnd: YearEndService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.jobs.addInterval(
      {
        name: YearEndJob.NAME,
        logger: 'cases',
        failedEvent: 'year_end_check_failed',
        run: async () => {
          await this.yearEnd.check(this.clock.now());
        },
      },
      this.config.reminderTickMs,
    );
  }
}
