import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { CalendarService } from '../calendar/calendar.service';
import { inTransaction } from '../database/transaction';
import { JobsService } from '../jobs/jobs.service';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { OutboxWriter } from '../outbox/outbox.writer';
import { SettingsService } from '../settings/settings.service';
import { Clock } from '../shared/clock';
import { shanghaiDate } from '../shared/shanghai-time';
import { lastExtensionDay } from './deadline.rules';
import { Item } from './item.entity';

const DAY_MS = 86_400_000;
/** Far enough ahead to hold any cut-off: the minimum days before (working days, over the longest holiday). */
const HORIZON_DAYS = 40;

/**
 * E1 (issue 14): the cards offer 申请延期 only until the last day one may ask (deadline.rules lastExtensionDay). A card
 * sent earlier still showed the button after that day until something else changed the item; every
 * DUBAN_REMINDER_TICK_MS (0 turns it off), the cards of each item whose cut-off has passed are refreshed — once per
 * deadline (the outbox row's dedupe key names the deadline: an approved extension gives a new cut-off).
 */
@Injectable()
export class ExtensionCutoffJob implements OnApplicationBootstrap {
  static readonly NAME = 'cases.extension-cutoff';

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
    private readonly outbox: OutboxWriter,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderTickMs <= 0) return;
    this.jobs.addInterval(
      {
        name: ExtensionCutoffJob.NAME,
        logger: 'cases',
        failedEvent: 'extension_cutoff_failed',
        run: async () => {
          await this.run();
        },
      },
      this.config.reminderTickMs,
    );
  }

  /** Queues the refreshes that are due; returns how many items' cards were queued. */
  async run(): Promise<number> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const policy = await this.settings.deadlinePolicy();
    const calendar = await this.calendar.calendar();
    const items = await this.db
      .getRepository(Item)
      .createQueryBuilder('i')
      .select(['i.id', 'i.number', 'i.deadlineAt'])
      .where('i.state IN (:...open)', { open: ['assigned', 'in_progress'] })
      .andWhere('i.assigned_at IS NOT NULL')
      .andWhere('i.deadline_at > :now AND i.deadline_at <= :horizon', { now, horizon: new Date(now.getTime() + HORIZON_DAYS * DAY_MS) })
      // Only items with an assignment card (the card that offers 申请延期) delivered or on its way: there is nothing to
      // redraw on the others. Issue 17: 10,000 such items queued 10,000 refreshes ahead of the reminders — unseen while
      // save() took longer than a tick to write them.
      .andWhere(
        "(i.id IN (SELECT c.item_id FROM card_instance c WHERE c.kind = 'assignment') OR i.id IN (SELECT o.item_id FROM outbox_message o WHERE o.status = 'pending' AND o.kind = 'assignment_card'))",
      )
      .getMany();
    const due = items
      .filter((i) => today > lastExtensionDay(i.deadlineAt, calendar, policy))
      .map((i) => ({ item: i, key: `e1-cutoff:${i.id}:${i.deadlineAt.toISOString()}` }));
    if (due.length === 0) return 0;
    const done = new Set<string>();
    for (let k = 0; k < due.length; k += 500) {
      const rows = await this.db
        .getRepository(OutboxMessage)
        .find({ where: { dedupeKey: In(due.slice(k, k + 500).map((d) => d.key)) }, select: { dedupeKey: true } });
      for (const r of rows) done.add(r.dedupeKey);
    }
    const todo = due.filter((d) => !done.has(d.key));
    if (todo.length === 0) return 0;
    await inTransaction(this.db, (em) =>
      this.outbox.enqueue(
        em,
        todo.map(({ item, key }) => ({
          kind: 'card_refresh',
          target: `cards:${item.id}` as const,
          platform: null,
          itemId: item.id,
          payload: { itemNumber: item.number, reason: 'extension_cutoff' },
          dedupeKey: key,
          dueAt: now,
          hold: false, // a silent redraw: 申请延期 leaves the cards when E1 no longer allows it, day or night
        })),
      ),
    );
    return todo.length;
  }
}
