import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { JobsService } from '../jobs/jobs.service';
import { Clock } from '../shared/clock';
import { ReminderScheduler } from './reminder-scheduler.service';

/** Planning gets at most this long per tick before the tick goes on to dispatch. */
const PLAN_BUDGET_MS = 20_000;

/** The reminder tick: plan, then dispatch, every DUBAN_REMINDER_TICK_MS (0 turns it off; tests drive the scheduler themselves). */
@Injectable()
export class ReminderJob implements OnApplicationBootstrap {
  static readonly NAME = 'reminders.tick';

  constructor(
    private readonly jobs: JobsService,
    private readonly scheduler: ReminderScheduler,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.jobs.addInterval(
      {
        name: ReminderJob.NAME,
        logger: 'reminders',
        failedEvent: 'reminder_tick_failed',
        run: async () => {
          const now = this.clock.now();
          await this.scheduler.plan(now, undefined, PLAN_BUDGET_MS);
          await this.scheduler.dispatch(now);
        },
      },
      this.config.reminderTickMs,
    );
  }
}
