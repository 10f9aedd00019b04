import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { inTransaction } from '../database/transaction';
import { supervisionTargets } from '../org/message-targets';
import { Person } from '../org/person.entity';
import { Unit } from '../org/unit.entity';
import { MessageKinds } from '../outbox/message-kinds';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { OutboxWriter } from '../outbox/outbox.writer';
import { SettingsService } from '../settings/settings.service';
import { formatShanghai, shanghaiInstant, toShanghaiIso } from '../shared/shanghai-time';
import { OPEN_STATES, STATE_LABELS } from '../shared/vocabulary';
import { ItemUnit } from './item-unit.entity';
import { Item } from './item.entity';
import { officeYearEndText, OpenKeyItem, ownerYearEndText, YEAR_END_BOARDS, yearEndCheckDay, yearEndCheckDays } from './year-end.rules';

export interface YearEndItem extends OpenKeyItem {
  id: number;
  board: string;
  state: string;
  stateLabel: string;
  ownerId: number;
  deadlineAt: string | null;
}

/**
 * 年底清零 (R7; year-end.rules.ts): on each of the last N working days of December, once office hours have begun, every
 * owner with key tasks or reforms still open is told which (one message naming them all) and the 督查室 gets the summary
 * — at most once a day: the outbox dedupe key names the day and the recipient, and keys already queued are skipped.
 */
@Injectable()
export class YearEndService implements OnModuleInit {
  private readonly log = new Logger('cases');

  constructor(
    private readonly db: DataSource,
    private readonly calendar: CalendarService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxWriter,
    private readonly kinds: MessageKinds,
  ) {}

  onModuleInit(): void {
    // Read as the items are NOW: an item closed between the check and the sending is left out.
    this.kinds.text('year_end_owner', async (msg) => ownerYearEndText(Number(msg.payload.year), await this.stillOpen(msg.payload.itemIds as number[])));
    this.kinds.text('year_end_summary', async (msg) =>
      officeYearEndText(Number(msg.payload.year), String(msg.payload.date), await this.stillOpen(msg.payload.itemIds as number[])),
    );
  }

  /** The key tasks and reforms open now that were registered by the end of `year`, with their owner and lead unit. */
  async openItems(year: number, em: EntityManager = this.db.manager): Promise<YearEndItem[]> {
    const items = await em
      .createQueryBuilder(Item, 'i')
      .where('i.board IN (:...boards)', { boards: YEAR_END_BOARDS })
      .andWhere('i.state IN (:...open)', { open: OPEN_STATES })
      .andWhere('i.registered_at < :end', { end: shanghaiInstant(`${year + 1}-01-01`) })
      .orderBy('i.owner_id', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
    return this.describe(em, items);
  }

  /** What the check day is for `now`, and what it would list: the read side of the job, for the console. */
  async overview(year: number): Promise<{ year: number; checkDays: string[]; open: number; items: YearEndItem[] }> {
    const [cal, policy] = await Promise.all([this.calendar.calendar(), this.settings.deadlinePolicy()]);
    const items = await this.openItems(year);
    return { year, checkDays: yearEndCheckDays(year, policy.yearEndCheckWorkingDays, cal), open: items.length, items };
  }

  /** One run of the job: on a check day in office hours, the owners' messages and the 督查室's summary, once a day. Returns how many were queued. */
  async check(now: Date): Promise<number> {
    const [cal, policy] = await Promise.all([this.calendar.calendar(), this.settings.deadlinePolicy()]);
    const date = yearEndCheckDay(now, policy.yearEndCheckWorkingDays, policy.dayEnd, cal);
    if (!date) return 0;
    const year = Number(date.slice(0, 4));
    return inTransaction(this.db, async (em) => {
      const items = await this.openItems(year, em);
      if (items.length === 0) return 0;
      const messages = [];
      for (const ownerId of [...new Set(items.map((i) => i.ownerId))]) {
        const mine = items.filter((i) => i.ownerId === ownerId).map((i) => i.id);
        messages.push({
          kind: 'year_end_owner',
          target: `person:${ownerId}` as const,
          payload: { year, date, itemIds: mine },
          dedupeKey: `yearend:${date}:person:${ownerId}`,
        });
      }
      for (const t of await supervisionTargets(em)) {
        messages.push({
          kind: 'year_end_summary',
          target: t.target,
          platform: t.platform ?? null,
          payload: { year, date, itemIds: items.map((i) => i.id) },
          dedupeKey: `yearend:${date}:${t.target}`,
        });
      }
      const queued = new Set(
        (await em.find(OutboxMessage, { where: { dedupeKey: In(messages.map((m) => m.dedupeKey)) }, select: { dedupeKey: true } })).map((m) => m.dedupeKey),
      );
      const fresh = messages.filter((m) => !queued.has(m.dedupeKey)).map((m) => ({ ...m, dueAt: now }));
      await this.outbox.enqueue(em, fresh);
      if (fresh.length) this.log.log(JSON.stringify({ event: 'year_end_check', date, open: items.length, messages: fresh.length }));
      return fresh.length;
    });
  }

  private async stillOpen(ids: number[]): Promise<YearEndItem[]> {
    if (!ids?.length) return [];
    const items = await this.db.getRepository(Item).find({ where: { id: In(ids), state: In([...OPEN_STATES]) }, order: { id: 'ASC' } });
    return this.describe(this.db.manager, items);
  }

  private async describe(em: EntityManager, items: Item[]): Promise<YearEndItem[]> {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    const leads = await em.find(ItemUnit, { where: { itemId: In(ids), role: 'lead' } });
    const units = leads.length ? await em.findBy(Unit, { id: In([...new Set(leads.map((l) => l.unitId))]) }) : [];
    const owners = await em.findBy(Person, { id: In([...new Set(items.map((i) => i.ownerId))]) });
    return items.map((i) => {
      const unitId = leads.find((l) => l.itemId === i.id)?.unitId;
      return {
        id: i.id,
        number: i.number,
        title: i.title,
        board: i.board,
        state: i.state,
        stateLabel: STATE_LABELS[i.state],
        leadUnit: units.find((u) => u.id === unitId)?.name ?? '',
        ownerId: i.ownerId,
        owner: owners.find((p) => p.id === i.ownerId)?.name ?? '',
        deadline: formatShanghai(i.deadlineAt),
        deadlineAt: toShanghaiIso(i.deadlineAt),
      };
    });
  }
}
