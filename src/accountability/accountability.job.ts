import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { JobsService } from '../jobs/jobs.service';
import { Clock } from '../shared/clock';
import { AccountabilityService } from './accountability.service';

/** Accountability's own scans, every DUBAN_REMINDER_TICK_MS (0 turns them off), as they ran with the reminder tick before. */
@Injectable()
export class AccountabilityJob implements OnApplicationBootstrap {
  static readonly NAME = 'accountability.scan';

  constructor(
    private readonly jobs: JobsService,
    private readonly accountability: AccountabilityService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.jobs.addInterval(
      {
        name: AccountabilityJob.NAME,
        logger: 'accountability',
        failedEvent: 'accountability_scan_failed',
        run: async () => {
          const now = this.clock.now();
          // A1: items overdue more than 2 days open an accountability clue.
          await this.accountability.scanOverdue(now);
          // S11: in January, the year just closed (once a day).
          await this.accountability.scanRanking(now);
        },
      },
      this.config.reminderTickMs,
    );
  }
}
