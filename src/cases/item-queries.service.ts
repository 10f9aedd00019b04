import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { readScope } from '../auth/read-scope';
import { Clock } from '../shared/clock';
import { notFound } from '../shared/errors';
import { CommandRunner } from './command-runner';
import { ItemEvent } from './item-event.entity';
import { ItemRequest } from './item-request.entity';
import { ItemUnit } from './item-unit.entity';
import { Item } from './item.entity';
import { Directory, eventView, itemView, ItemView } from './item.view';
import { OPEN_STATES, type Board, type ItemState, type Source } from '../shared/vocabulary';
import { Report } from './report.entity';
import { DirectoryCache } from '../org/directory-cache';

export interface ItemFilter {
  unitId?: number;
  source?: Source;
  board?: Board;
  state?: ItemState;
  overdue?: boolean;
  /** B3: one traffic light (LIGHT_SQL). */
  light?: 'green' | 'yellow' | 'red' | 'done';
  number?: string;
  /** Issue 15: a word of the title, or part of the number. */
  keyword?: string;
  registeredFrom?: Date;
  registeredTo?: Date;
  page?: number;
  pageSize?: number;
}

/** `!` escapes LIKE in both MySQL/MariaDB and SQLite (a backslash is not an escape in SQLite, and is one in MySQL strings). */
/** overdue.rules: the item was handed over to its unit (not 已立项, not 草稿). Parameter `:open` = OPEN_STATES. */
const ASSIGNED_SQL = "i.state IN (:...open) AND i.state <> 'registered' AND i.assigned_at IS NOT NULL";
/** overdue.rules standingAt(…) = 'late' on an open item — the red light and the 逾期 filter. Parameters `:open`, `:now`. */
export const UNIT_LATE_SQL = `${ASSIGNED_SQL} AND i.answered_at IS NULL AND i.deadline_at < :now`;
/** overdue.rules lightOf(), case by case. Parameters `:open`, `:now`, `:soon` (now + 24 h). */
export const LIGHT_SQL = `CASE WHEN i.state NOT IN (:...open) THEN 'done'
  WHEN ${UNIT_LATE_SQL} THEN 'red'
  WHEN ${ASSIGNED_SQL} AND i.answered_at IS NOT NULL THEN 'green'
  WHEN i.deadline_at <= :soon THEN 'yellow' ELSE 'green' END`;

export const LIKE_ESCAPE = '!';
export const likeLiteral = (text: string): string => text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);

/** Reads: items, lists, timelines — each within the reader's scope (P4). No writes here. */
@Injectable()
export class ItemQueriesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly runner: CommandRunner,
    private readonly names: DirectoryCache,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** One item as `actor` may see it (P4: outside the read scope it does not exist). */
  async get(numberInput: string, actor: Actor): Promise<ItemView & { reports: unknown[]; requests: unknown[]; children: string[] }> {
    const item = await this.loadFor(numberInput, actor);
    const [view] = await this.views([item]);
    const reports = await this.db.getRepository(Report).find({ where: { itemId: item.id }, order: { id: 'ASC' } });
    const requests = await this.db.getRepository(ItemRequest).find({ where: { itemId: item.id }, order: { id: 'ASC' } });
    const children = await this.scoped(this.db.getRepository(Item).createQueryBuilder('i'), actor)
      .select(['i.id', 'i.number'])
      .andWhere('i.parent_id = :parentId', { parentId: item.id })
      .orderBy('i.id', 'ASC')
      .getMany();
    return { ...view, reports, requests, children: children.map((c) => c.number) };
  }

  /** Unscoped: for the service's own work and for routes that only the 督查室 or an admin reach. */
  async load(numberInput: string): Promise<Item> {
    const number = this.runner.normalizeNumber(numberInput);
    const item = await this.db.getRepository(Item).findOneBy({ number });
    if (!item) throw this.notFound(number);
    return item;
  }

  /** P4: an item outside `actor`'s read scope gets the very answer a number that does not exist gets. */
  async loadFor(numberInput: string, actor: Actor): Promise<Item> {
    const number = this.runner.normalizeNumber(numberInput);
    const item = await this.scoped(this.db.getRepository(Item).createQueryBuilder('i'), actor).andWhere('i.number = :number', { number }).getOne();
    if (!item) throw this.notFound(number);
    return item;
  }

  /** P4: may `actor` see this item? */
  async canSee(item: Item, actor: Actor): Promise<boolean> {
    return (await this.scoped(this.db.getRepository(Item).createQueryBuilder('i'), actor).andWhere('i.id = :id', { id: item.id }).getCount()) > 0;
  }

  private notFound(number: string) {
    return notFound('CASE.NOT_FOUND', `没有编号为「${number}」的督办事项。`);
  }

  /** P4 (src/auth/read-scope.ts) as SQL: every read of items goes through here. */
  scoped(qb: SelectQueryBuilder<Item>, actor: Actor): SelectQueryBuilder<Item> {
    const scope = readScope(actor);
    if (scope.all) return qb;
    return qb.andWhere(
      new Brackets((w) => {
        w.where('(i.owner_id = :scopePerson OR i.leader_id = :scopePerson)', { scopePerson: scope.personId ?? -1 });
        if (scope.unitIds.length)
          w.orWhere('i.id IN (SELECT su.item_id FROM item_unit su WHERE su.unit_id IN (:...scopeUnits))', { scopeUnits: scope.unitIds });
      }),
    );
  }

  async list(f: ItemFilter, actor: Actor): Promise<{ total: number; page: number; pageSize: number; items: ItemView[] }> {
    const page = Math.max(1, f.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, f.pageSize ?? 50));
    const qb = this.filtered(f, actor)
      .orderBy('i.deadline_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { total, page, pageSize, items: await this.views(rows) };
  }

  /** B3 and the list share one filter, always within `actor`'s read scope (P4). */
  filtered(f: ItemFilter, actor: Actor): SelectQueryBuilder<Item> {
    const qb = this.scoped(this.db.getRepository(Item).createQueryBuilder('i'), actor);
    if (f.unitId !== undefined) qb.andWhere('i.id IN (SELECT iu.item_id FROM item_unit iu WHERE iu.unit_id = :unitId)', { unitId: f.unitId });
    if (f.source) qb.andWhere('i.source = :source', { source: f.source });
    if (f.board) qb.andWhere('i.board = :board', { board: f.board });
    if (f.state) qb.andWhere('i.state = :state', { state: f.state });
    // A part of a number, matched as text: LIKE's own characters (% _ and the escape) stand for themselves.
    if (f.number) qb.andWhere(`i.number LIKE :number ESCAPE '${LIKE_ESCAPE}'`, { number: `%${likeLiteral(f.number.normalize('NFKC').trim().toUpperCase())}%` });
    const keyword = f.keyword?.normalize('NFKC').trim();
    if (keyword) {
      qb.andWhere(`(i.title LIKE :kw ESCAPE '${LIKE_ESCAPE}' OR i.number LIKE :kwn ESCAPE '${LIKE_ESCAPE}')`, {
        kw: `%${likeLiteral(keyword)}%`,
        kwn: `%${likeLiteral(keyword.toUpperCase())}%`,
      });
    }
    if (f.registeredFrom) qb.andWhere('i.registered_at >= :rf', { rf: f.registeredFrom });
    if (f.registeredTo) qb.andWhere('i.registered_at < :rt', { rt: f.registeredTo });
    if (f.light) {
      const now = this.clock.now();
      qb.andWhere(`(${LIGHT_SQL}) = :light`, { light: f.light, now, soon: new Date(now.getTime() + 24 * 3600_000), open: OPEN_STATES });
    }
    if (f.overdue !== undefined) {
      // A1, B3: overdue = the unit is late now (overdue.rules standingAt 'late' on an open item) — the red light.
      const late = `(${UNIT_LATE_SQL})`;
      qb.andWhere(f.overdue ? late : `NOT ${late}`, { now: this.clock.now(), open: OPEN_STATES });
    }
    return qb;
  }

  /** C6: everything the 一事一卷 file shows. */
  async dossier(numberInput: string, actor: Actor) {
    const item = await this.loadFor(numberInput, actor);
    const [view] = await this.views([item]);
    const [events, reports, requests] = await Promise.all([
      this.db.getRepository(ItemEvent).find({ where: { itemId: item.id }, order: { id: 'ASC' } }),
      this.db.getRepository(Report).find({ where: { itemId: item.id }, order: { id: 'ASC' } }),
      this.db.getRepository(ItemRequest).find({ where: { itemId: item.id }, order: { id: 'ASC' } }),
    ]);
    return { item: view, events: events.map(eventView), reports, requests };
  }

  /** /我的: open items of the person's units, or that they own or lead, soonest deadline first. */
  async openFor(actor: Actor, limit: number): Promise<ItemView[]> {
    return this.views(await this.openItemsFor(actor, limit));
  }

  /**
   * The open items a person works on: their units' (lead or co), those they lead, and those their office registered
   * (P4 谁立项、谁督办: any owner-role person of the owner office), soonest deadline first.
   */
  async openItemsFor(actor: Actor, limit: number): Promise<Item[]> {
    const units = unitsOf(actor);
    const office = actor.grants.some((g) => g.role === 'owner') && actor.officeId ? actor.officeId : null;
    const qb = this.db
      .getRepository(Item)
      .createQueryBuilder('i')
      .where('i.state IN (:...open)', { open: OPEN_STATES })
      .andWhere(
        new Brackets((w) => {
          w.where('i.owner_id = :p OR i.leader_id = :p', { p: actor.personId ?? -1 });
          if (office !== null) w.orWhere('i.owner_unit_id = :office', { office });
          if (units.length) w.orWhere('i.id IN (SELECT iu.item_id FROM item_unit iu WHERE iu.unit_id IN (:...units))', { units });
        }),
      )
      .orderBy('i.deadline_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .take(limit);
    return qb.getMany();
  }

  async timeline(numberInput: string, actor: Actor) {
    const item = await this.loadFor(numberInput, actor);
    const events = await this.db.getRepository(ItemEvent).find({ where: { itemId: item.id }, order: { id: 'ASC' } });
    return { number: item.number, events: events.map(eventView) };
  }

  /** Views for many items with a fixed number of queries (no N+1). */
  async views(items: Item[]): Promise<ItemView[]> {
    if (items.length === 0) return [];
    // The co-units in the order they were given (by id): without an order MariaDB and SQLite each chose their own.
    const links = await this.db.getRepository(ItemUnit).find({ where: { itemId: In(items.map((i) => i.id)) }, order: { id: 'ASC' } });
    return this.viewsOf(items, links);
  }

  /**
   * Views for items whose unit links are at hand, and their parents' numbers when those are too (issue 17: the 台账
   * reads them with its page). The names of units and people come from the DirectoryCache.
   */
  async viewsOf(items: Item[], links: ItemUnit[], parentNumbers?: Map<number, string>): Promise<ItemView[]> {
    if (items.length === 0) return [];
    const dir = await this.directory(items, links, parentNumbers);
    const byItem = new Map<number, ItemUnit[]>();
    for (const l of links) {
      const list = byItem.get(l.itemId);
      if (list) list.push(l);
      else byItem.set(l.itemId, [l]);
    }
    const now = this.clock.now();
    return items.map((i) => itemView(i, byItem.get(i.id) ?? [], dir, now));
  }

  private async directory(items: Item[], links: ItemUnit[], parentNumbers?: Map<number, string>): Promise<Directory> {
    const unitIds = [...new Set([...links.map((l) => l.unitId), ...items.map((i) => i.ownerUnitId).filter((u): u is number => u !== null)])];
    const personIds = [...new Set(items.flatMap((i) => [i.ownerId, i.leaderId]))];
    const parentIds = parentNumbers ? [] : [...new Set(items.map((i) => i.parentId).filter((p): p is number => p !== null))];
    // Issue 17: unit and person names from the DirectoryCache (a rename shows at once here, within a few seconds on another instance).
    const [units, people, parents] = await Promise.all([
      this.names.units(unitIds),
      this.names.people(personIds),
      parentIds.length ? this.db.getRepository(Item).find({ where: { id: In(parentIds) }, select: { id: true, number: true } }) : [],
    ]);
    return { units, people, numbers: parentNumbers ?? new Map(parents.map((p) => [p.id, p.number])) };
  }
}
