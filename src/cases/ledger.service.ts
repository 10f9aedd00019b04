import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../shared/actor';
import { toShanghaiIso } from '../shared/shanghai-time';
import type { Item } from './item.entity';
import { ItemFilter, ItemQueriesService, LIGHT_SQL } from './item-queries.service';
import type { ItemView } from './item.view';
import { OPEN_STATES } from '../shared/vocabulary';
import type { LedgerRow } from './ledger.render';
import { Report } from './report.entity';
import { Unit } from '../org/unit.entity';
import { readScope } from '../auth/read-scope';
import { LedgerCountsCache, type LightCounts } from './ledger-counts.cache';

const CHUNK = 1000;

/** B3: the 台账 — the item list with traffic lights and the time of the latest report, within the reader's scope (P4). */
@Injectable()
export class LedgerService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly counts: LedgerCountsCache,
  ) {}

  async page(f: ItemFilter, actor: Actor) {
    const page = Math.max(1, f.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 50));
    // Issue 17: no COUNT of its own — every item of the filter has exactly one light, so the total is their sum.
    const [items, lights] = await Promise.all([this.pageItems(f, actor, (page - 1) * pageSize, pageSize), this.lightCounts(f, actor)]);
    const total = lights.green + lights.yellow + lights.red + lights.done;
    return { total, page, pageSize, lights, items: await this.rows(items) };
  }

  /** The page's items in the 台账's order (deadline, then id): the first rows of ix_item_deadline that pass the filter. */
  private async pageItems(f: ItemFilter, actor: Actor, offset: number, size: number): Promise<Item[]> {
    const ordered = (qb: SelectQueryBuilder<Item>) => qb.orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC');
    if (f.light !== 'yellow') return ordered(this.queries.filtered(f, actor)).skip(offset).take(size).getMany();
    // B3 yellow (issue 17): the deadline within 24 h from now — or already past on an item not yet handed over (已立项:
    // no unit can be late on it). Walking the deadline index from its start for these would pass every item past its
    // deadline (the red and the done: most of a register), so the page is read as its two parts, each a range of an
    // index: first the items still 已立项 past their deadline (ix_item_state_deadline), which come first in deadline
    // order, then the deadlines from now on (ix_item_deadline; the light itself stops at now + 24 h). An open item leaves
    // 已立项 only by 交办, which sets assigned_at (C5), so no other item past its deadline is yellow. `:now` is the
    // instant filtered() judged the light by.
    const overdueUnassigned = () => this.queries.filtered(f, actor).andWhere("i.state = 'registered'").andWhere('i.deadline_at < :now');
    const first = await ordered(overdueUnassigned()).skip(offset).take(size).getMany();
    if (first.length === size) return first;
    // Fewer than the page: the second part starts at 0 — or, when the page lies wholly after the first part, past what is left of the offset.
    const skip = first.length > 0 ? 0 : Math.max(0, offset - (await overdueUnassigned().getCount()));
    const rest = await ordered(this.queries.filtered(f, actor).andWhere('i.deadline_at >= :now'))
      .skip(skip)
      .take(size - first.length)
      .getMany();
    return [...first, ...rest];
  }

  /** A unit's name for the export's filter line (null when there is none by that number). */
  async unitName(id: number): Promise<string | null> {
    return (await this.db.getRepository(Unit).findOneBy({ id }))?.name ?? null;
  }

  /** Every matching item, for the spreadsheet. */
  async all(f: ItemFilter, actor: Actor): Promise<LedgerRow[]> {
    const items = await this.queries.filtered(f, actor).orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC').getMany();
    return (await this.rows(items)).map(({ lastReportAt, ...item }) => ({ item: item as ItemView, lastReportAt }));
  }

  private async rows(items: Item[]): Promise<(ItemView & { lastReportAt: string | null })[]> {
    const views: ItemView[] = [];
    const last = new Map<number, string | null>();
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      const [chunkViews, reports] = await Promise.all([this.queries.views(chunk), this.lastReports(chunk.map((x) => x.id))]);
      views.push(...chunkViews);
      for (const [id, at] of reports) last.set(id, at);
    }
    return views.map((v, i) => ({ ...v, lastReportAt: last.get(items[i].id) ?? null }));
  }

  /** Counts of green/yellow/red/done over the whole filter, not just the page; kept a few seconds (LedgerCountsCache). */
  private lightCounts(f: ItemFilter, actor: Actor): Promise<LightCounts> {
    // The page does not change the counts; the read scope does (P4).
    const filter = Object.entries(f)
      .filter(([k, v]) => v !== undefined && k !== 'page' && k !== 'pageSize')
      .sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([readScope(actor), filter]);
    return this.counts.get(key, () => this.countLights(f, actor));
  }

  private async countLights(f: ItemFilter, actor: Actor): Promise<LightCounts> {
    const now = this.queries.now();
    const soon = new Date(now.getTime() + 24 * 3600_000);
    const raw = await this.queries
      .filtered(f, actor)
      .select(LIGHT_SQL, 'light')
      .addSelect('COUNT(*)', 'n')
      .setParameters({ now, soon, open: OPEN_STATES })
      .groupBy('light')
      .getRawMany<{ light: 'green' | 'yellow' | 'red' | 'done'; n: string | number }>();
    const counts = { green: 0, yellow: 0, red: 0, done: 0 };
    for (const r of raw) counts[r.light] = Number(r.n);
    return counts;
  }

  private async lastReports(itemIds: number[]): Promise<Map<number, string | null>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.db
      .getRepository(Report)
      .createQueryBuilder('r')
      .select('r.item_id', 'itemId')
      .addSelect('MAX(r.submitted_at)', 'last')
      .where({ itemId: In(itemIds) })
      .groupBy('r.item_id')
      .getRawMany<{ itemId: number; last: Date | string }>();
    return new Map(rows.map((r) => [Number(r.itemId), toShanghaiIso(asDate(r.last))]));
  }
}

/** Raw aggregates come back as Date (mysql2) or as 'YYYY-MM-DD HH:MM:SS.SSS' UTC text (SQLite). */
function asDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);
}
