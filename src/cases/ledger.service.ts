import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { Actor } from '../shared/actor';
import { toShanghaiIso } from '../shared/shanghai-time';
import type { Item } from './item.entity';
import { ItemFilter, ItemQueriesService, LIGHT_SQL } from './item-queries.service';
import type { ItemView } from './item.view';
import { OPEN_STATES } from '../shared/vocabulary';
import type { LedgerRow } from './ledger.render';
import { Report } from './report.entity';
import { Unit } from '../org/unit.entity';

const CHUNK = 1000;

/** B3: the 台账 — the item list with traffic lights and the time of the latest report, within the reader's scope (P4). */
@Injectable()
export class LedgerService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
  ) {}

  async page(f: ItemFilter, actor: Actor) {
    const page = Math.max(1, f.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 50));
    const base = this.queries.filtered(f, actor);
    const [items, total, lightRows] = await Promise.all([
      base
        .clone()
        .orderBy('i.deadline_at', 'ASC')
        .addOrderBy('i.id', 'ASC')
        .skip((page - 1) * pageSize)
        .take(pageSize)
        .getMany(),
      base.clone().getCount(),
      this.lightCounts(f, actor),
    ]);
    return { total, page, pageSize, lights: lightRows, items: await this.rows(items) };
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
      views.push(...(await this.queries.views(chunk)));
      for (const [id, at] of await this.lastReports(chunk.map((x) => x.id))) last.set(id, at);
    }
    return views.map((v, i) => ({ ...v, lastReportAt: last.get(items[i].id) ?? null }));
  }

  /** Counts of green/yellow/red/done over the whole filter, not just the page. */
  private async lightCounts(f: ItemFilter, actor: Actor): Promise<Record<'green' | 'yellow' | 'red' | 'done', number>> {
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
