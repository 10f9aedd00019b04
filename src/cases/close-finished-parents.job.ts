import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { JobsService } from '../jobs/jobs.service';
import { ItemCommandsService } from './item-commands.service';

/** C4 repair, every DUBAN_REMINDER_TICK_MS (0 turns it off): a parent whose children are all closed, but which is still open, is closed now. */
@Injectable()
export class CloseFinishedParentsJob implements OnApplicationBootstrap {
  static readonly NAME = 'cases.close-finished-parents';

  constructor(
    private readonly jobs: JobsService,
    private readonly items: ItemCommandsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.jobs.addInterval(
      {
        name: CloseFinishedParentsJob.NAME,
        logger: 'cases',
        failedEvent: 'close_finished_parents_failed',
        run: async () => {
          await this.items.closeFinishedParents();
        },
      },
      this.config.reminderTickMs,
    );
  }
}
