import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityMetadata, type SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Actor } from '../shared/actor';
import { toShanghaiIso } from '../shared/shanghai-time';
import { ItemFilter, ItemQueriesService, LIGHT_SQL } from './item-queries.service';
import type { ItemView } from './item.view';
import { OPEN_STATES } from '../shared/vocabulary';
import type { LedgerRow } from './ledger.render';
import { Report } from './report.entity';
import { Unit } from '../org/unit.entity';
import { readScope } from '../auth/read-scope';
import { hydrate } from '../database/plain-sql';
import { Item } from './item.entity';
import { ItemUnit } from './item-unit.entity';
import { LedgerCountsCache, type LightCounts } from './ledger-counts.cache';

const CHUNK = 1000;

/** B3: the 台账 — the item list with traffic lights and the time of the latest report, within the reader's scope (P4). */
@Injectable()
export class LedgerService {
  private shape?: { sql: [string, string]; im: EntityMetadata; um: EntityMetadata; iCols: ColumnMetadata[]; uCols: ColumnMetadata[]; uId: string };

  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly counts: LedgerCountsCache,
  ) {}

  async page(f: ItemFilter, actor: Actor) {
    const page = Math.max(1, f.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 50));
    // Issue 17: no COUNT of its own — every item of the filter has exactly one light, so the total is their sum.
    const [items, lights] = await Promise.all([this.pageRows(f, actor, (page - 1) * pageSize, pageSize), this.lightCounts(f, actor)]);
    const total = lights.green + lights.yellow + lights.red + lights.done;
    return { total, page, pageSize, lights, items };
  }

  /**
   * The page's rows in the 台账's order (deadline, then id). Issue 17: one statement for the page's items, their units,
   * their parents' numbers and their latest reports (pageSource chooses the items); the names from the DirectoryCache.
   */
  private async pageRows(f: ItemFilter, actor: Actor, offset: number, size: number): Promise<(ItemView & { lastReportAt: string | null })[]> {
    const source = this.pageSource(f, actor, offset, size);
    const { sql: around, im, um, iCols, uCols, uId } = this.pageShape();
    const sql = `${around[0]}(${source.sql})${around[1]}`;
    const raw = (await this.db.query(sql, source.params)) as Record<string, unknown>[];
    const uKey = `u_${uId}`;
    const items: Item[] = [];
    const links: ItemUnit[] = [];
    const parents = new Map<number, string>();
    const last = new Map<number, string | null>();
    for (const r of raw) {
      const id = Number(r.i_id);
      if (!last.has(id)) {
        const item = hydrate<Item>(this.db.manager, im, iCols, 'i_', r);
        items.push(item);
        if (item.parentId !== null && r.parent_number != null) parents.set(item.parentId, String(r.parent_number));
        last.set(id, r.last_report_at == null ? null : toShanghaiIso(asDate(r.last_report_at as Date | string)));
      }
      if (r[uKey] != null) links.push(hydrate<ItemUnit>(this.db.manager, um, uCols, 'u_', r));
    }
    // The 台账's order (deadline, then id), and an item's units in the order they were given (ItemQueriesService.views).
    items.sort((a, b) => a.deadlineAt.getTime() - b.deadlineAt.getTime() || a.id - b.id);
    links.sort((a, b) => a.id - b.id);
    const views = await this.queries.viewsOf(items, links, parents);
    return views.map((v, i) => ({ ...v, lastReportAt: last.get(items[i].id) ?? null }));
  }

  /** The page statement before and after its source, built once from the entities' metadata. */
  private pageShape() {
    if (this.shape) return this.shape;
    const im = this.db.getMetadata(Item);
    const um = this.db.getMetadata(ItemUnit);
    const q = (name: string) => this.db.driver.escape(name);
    const iCols = im.columns.filter((c) => c.isSelect);
    const uCols = um.columns.filter((c) => c.isSelect);
    const sql =
      `SELECT ${[
        ...iCols.map((c) => `i.${q(c.databaseName)} AS ${q(`i_${c.databaseName}`)}`),
        ...uCols.map((c) => `u.${q(c.databaseName)} AS ${q(`u_${c.databaseName}`)}`),
      ].join(', ')}, par.number AS parent_number,` +
      ` (SELECT MAX(r.submitted_at) FROM report r WHERE r.item_id = i.id) AS last_report_at` +
      ` FROM (?source) p JOIN item i ON i.id = p.id` +
      ` LEFT JOIN item_unit u ON u.item_id = i.id LEFT JOIN item par ON par.id = i.parent_id`;
    // No ORDER BY: MariaDB would sort the joined rows, long texts and all, in a temporary table; at most a page of them
    // is put in order by pageRows instead.
    const at = sql.indexOf('(?source)');
    return (this.shape = { sql: [sql.slice(0, at), sql.slice(at + '(?source)'.length)], im, um, iCols, uCols, uId: um.primaryColumns[0].databaseName });
  }

  /**
   * The page's items in the 台账's order as SQL selecting their `id` and `deadline_at`: the first rows of
   * ix_item_deadline that pass the filter.
   */
  private pageSource(f: ItemFilter, actor: Actor, offset: number, size: number): { sql: string; params: unknown[] } {
    const ordered = (qb: SelectQueryBuilder<Item>) =>
      qb.select('i.id', 'id').addSelect('i.deadline_at', 'deadline_at').orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC');
    if (f.light !== 'yellow') {
      const [sql, params] = ordered(this.queries.filtered(f, actor)).offset(offset).limit(size).getQueryAndParameters();
      return { sql, params: params as unknown[] };
    }
    // B3 yellow (issue 17): the deadline within 24 h from now — or already past on an item not yet handed over (已立项:
    // no unit can be late on it). Walking the deadline index from its start for these would pass every item past its
    // deadline (the red and the done: most of a register), so the page is read from its two parts, each a range of an
    // index: the items still 已立项 past their deadline (ix_item_state_deadline), and the deadlines from now on
    // (ix_item_deadline; the light itself stops at now + 24 h) — the first offset + size of each, then the page of the
    // two together in deadline order, in one statement. An open item leaves 已立项 only by 交办, which sets assigned_at
    // (C5), so no other item past its deadline is yellow. `:now` is the instant filtered() judged the light by.
    const [past, pastParams] = ordered(this.queries.filtered(f, actor).andWhere("i.state = 'registered'").andWhere('i.deadline_at < :now'))
      .limit(offset + size)
      .getQueryAndParameters();
    const [soon, soonParams] = ordered(this.queries.filtered(f, actor).andWhere('i.deadline_at >= :now'))
      .limit(offset + size)
      .getQueryAndParameters();
    // Each part as a derived table: SQLite takes no ORDER BY or LIMIT on a member of a UNION itself.
    const both = `SELECT y.id AS id, y.deadline_at AS deadline_at FROM (SELECT * FROM (${past}) a UNION ALL SELECT * FROM (${soon}) b) y`;
    return { sql: `${both} ORDER BY y.deadline_at ASC, y.id ASC LIMIT ${size} OFFSET ${offset}`, params: [...pastParams, ...soonParams] as unknown[] };
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
