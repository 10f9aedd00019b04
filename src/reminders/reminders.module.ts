import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarModule } from '../calendar/calendar.module';
import { TimelineWriter } from '../cases/timeline.writer';
import { Clock } from '../shared/clock';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ReminderMessages } from './reminder.messages';
import { ReminderScheduler } from './reminder-scheduler.service';
import { ReminderPolicyService } from './reminder-policy.service';
import { RemindersController } from './reminders.controller';
import { CasesModule } from '../cases/cases.module';
import { AccountabilityModule } from '../accountability/accountability.module';
import { AccountabilityService } from '../accountability/accountability.service';
import { ItemCommandsService } from '../cases/item-commands.service';
import { OutageLog } from '../database/outage';

/** Planning gets at most this long per tick before the tick goes on to dispatch. */
const PLAN_BUDGET_MS = 20_000;

/** The tick: plan, then dispatch, every DUBAN_REMINDER_TICK_MS (0 turns it off; tests drive the scheduler themselves). */
@Injectable()
export class ReminderTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('reminders');
  /** A database outage fails every tick the same way: logged once, then every 30 s, then once when it is back. */
  private readonly outage = new OutageLog(this.log, 'reminders');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly scheduler: ReminderScheduler,
    private readonly accountability: AccountabilityService,
    private readonly items: ItemCommandsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return; // a slow tick is not overtaken by the next one
      this.running = (async () => {
        try {
          const now = this.clock.now();
          await this.scheduler.plan(now, undefined, PLAN_BUDGET_MS);
          await this.scheduler.dispatch(now);
          // A1: items overdue more than 2 days open an accountability clue.
          await this.accountability.scanOverdue(now);
          // S11: in January, the year just closed (once a day).
          await this.accountability.scanRanking(now);
          // C4 repair: a parent whose children are all closed, but which is still open, is closed now.
          await this.items.closeFinishedParents();
          this.outage.succeeded();
        } catch (e) {
          if (!this.outage.failed(e)) this.log.error(JSON.stringify({ event: 'reminder_tick_failed', error: e instanceof Error ? e.message : String(e) }));
        } finally {
          this.running = null;
        }
      })();
    }, this.config.reminderTickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

@Module({
  imports: [OutboxModule, CalendarModule, CasesModule, AccountabilityModule],
  controllers: [RemindersController],
  providers: [ReminderScheduler, ReminderMessages, ReminderTicker, TimelineWriter, ReminderPolicyService],
  exports: [ReminderScheduler],
})
export class RemindersModule {}
