import { Injectable } from '@nestjs/common';
import { type Actor, hasRole } from '../shared/actor';
import { ItemQueriesService, LIGHT_SQL } from '../cases/item-queries.service';
import { ItemUnit } from '../cases/item-unit.entity';
import type { ItemView } from '../cases/item.view';
import { addDaysShanghai, HOUR_MS, shanghaiDate, toShanghaiIso } from '../shared/shanghai-time';
import { OPEN_STATES, SOURCES, isKeyOf, type ItemState } from '../shared/vocabulary';
import { timeNote } from './cards';
import { MyWorkService, rolesOf } from './my-work.service';
import type { DeskItem, DeskList, DeskView } from './desk.view';

/** How many of the reader's open items the desk reads (the lists show them all). */
const READ_LIMIT = 200;
/** The summary lists show this many of their items. */
const LIST_LIMIT = 10;
const SIGNABLE: readonly ItemState[] = ['assigned', 'in_progress'];
const UNDER_REVIEW: readonly ItemState[] = ['closure_requested', 'under_review'];
type Light = 'green' | 'yellow' | 'red' | 'done';

/**
 * 工作台 (issue 15): one answer for the whole desk — what waits on the reader by role (the /我的 entries: 签收, 反馈,
 * 评定, 审定, 延期; C5, E1, D1–D3), and the picture of what they may see (P4): lights, due this week, overdue, 重点督办,
 * by unit and by source.
 */
@Injectable()
export class DeskService {
  constructor(
    private readonly myWork: MyWorkService,
    private readonly queries: ItemQueriesService,
  ) {}

  async desk(actor: Actor): Promise<DeskView> {
    const now = this.queries.now();
    const today = shanghaiDate(now);
    const dow = new Date(now.getTime() + 8 * HOUR_MS).getUTCDay(); // in Shanghai; 0 = Sunday
    const weekEnd = addDaysShanghai(today, (8 - dow) % 7 || 7); // next Monday 00:00
    const [entries, registered, lights, dueThisWeek, overdue, keySupervision, byUnit, bySource] = await Promise.all([
      this.myWork.entriesFor(actor, READ_LIMIT),
      // The 督查室 hands over whatever is registered; an owner, what its office registered (the entries below).
      hasRole(actor, 'supervisor')
        ? this.queries.filtered({ state: 'registered' }, actor).orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC').take(READ_LIMIT).getMany()
        : Promise.resolve(null),
      this.lights(actor),
      this.list(
        this.queries
          .filtered({}, actor)
          .andWhere('i.state IN (:...open)', { open: OPEN_STATES })
          .andWhere('i.deadline_at >= :from AND i.deadline_at < :to', { from: now, to: weekEnd }),
        now,
      ),
      this.list(this.queries.filtered({ overdue: true }, actor), now),
      this.list(
        this.queries.filtered({}, actor).andWhere('i.key_supervision = :ks', { ks: true }).andWhere('i.state IN (:...open)', { open: OPEN_STATES }),
        now,
      ),
      this.byUnit(actor),
      this.bySource(actor),
    ]);
    const pick = (keep: (e: (typeof entries)[number]) => boolean, note: (e: (typeof entries)[number]) => string) =>
      entries.filter(keep).map((e) => deskItem(e.item, note(e)));
    const time = (v: ItemView) => timeNote(v, now);
    return {
      generatedAt: toShanghaiIso(now)!,
      weekEndsAt: toShanghaiIso(weekEnd)!,
      roles: rolesOf(actor),
      lights,
      toAssign: registered
        ? (await this.queries.views(registered)).map((v) => deskItem(v, '已立项，待交办'))
        : pick(
            (e) => e.asOwner && e.item.state === 'registered',
            () => '已立项，待交办',
          ),
      toSign: pick(
        (e) => !!e.unit && !e.unit.signed && SIGNABLE.includes(e.item.state),
        (e) => (e.unit!.role === 'lead' ? '待签收' : '待签收（协办）'),
      ),
      toReport: pick(
        (e) => e.unit?.role === 'lead' && e.unit.signed && e.item.state === 'in_progress',
        (e) => (e.item.light === 'red' ? `${time(e.item)}未反馈，请尽快反馈` : `请按期反馈进展${time(e.item) ? `（${time(e.item)}）` : ''}`),
      ),
      toRate: pick(
        (e) => e.asOwner && UNDER_REVIEW.includes(e.item.state),
        () => '办结申请待您评定',
      ),
      toApprove: pick(
        (e) => e.asLeader && e.item.state === 'pending_approval',
        () => '待您审定办结',
      ),
      extensions: pick(
        (e) => e.asOwner && e.extensionPending,
        () => '延期申请待您审批',
      ),
      dueThisWeek,
      overdue,
      keySupervision,
      byUnit,
      bySource,
    };
  }

  private async list(qb: ReturnType<ItemQueriesService['filtered']>, now: Date): Promise<DeskList> {
    const [items, total] = await qb.orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC').take(LIST_LIMIT).getManyAndCount();
    const views = await this.queries.views(items);
    return { total, items: views.map((v) => deskItem(v, v.light === 'red' ? `${timeNote(v, now)}未反馈` : timeNote(v, now) || v.stateLabel)) };
  }

  private lightParams() {
    const now = this.queries.now();
    return { now, soon: new Date(now.getTime() + 24 * 3600_000), open: OPEN_STATES };
  }

  private async lights(actor: Actor): Promise<Record<Light, number>> {
    const raw = await this.queries
      .filtered({}, actor)
      .andWhere("i.state <> 'draft'")
      .select(LIGHT_SQL, 'light')
      .addSelect('COUNT(*)', 'n')
      .setParameters(this.lightParams())
      .groupBy('light')
      .getRawMany<{ light: Light; n: string | number }>();
    const counts = { green: 0, yellow: 0, red: 0, done: 0 };
    for (const r of raw) counts[r.light] = Number(r.n);
    return counts;
  }

  /** By lead unit and light, the units with the most red first. */
  private async byUnit(actor: Actor): Promise<DeskView['byUnit']> {
    const raw = await this.queries
      .filtered({}, actor)
      .andWhere("i.state <> 'draft'")
      .innerJoin(ItemUnit, 'lu', "lu.item_id = i.id AND lu.role = 'lead'")
      .innerJoin('unit', 'u', 'u.id = lu.unit_id')
      .select('lu.unit_id', 'unitId')
      .addSelect('u.name', 'unitName')
      .addSelect(LIGHT_SQL, 'light')
      .addSelect('COUNT(*)', 'n')
      .setParameters(this.lightParams())
      .groupBy('lu.unit_id')
      .addGroupBy('u.name')
      .addGroupBy('light')
      .getRawMany<{ unitId: number; unitName: string; light: Light; n: string | number }>();
    const units = new Map<number, DeskView['byUnit'][number]>();
    for (const r of raw) {
      const id = Number(r.unitId);
      const u = units.get(id) ?? { unitId: id, unitName: r.unitName, red: 0, yellow: 0, green: 0, done: 0 };
      u[r.light] += Number(r.n);
      units.set(id, u);
    }
    return [...units.values()].sort(
      (a, b) =>
        b.red - a.red || b.yellow - a.yellow || b.red + b.yellow + b.green - (a.red + a.yellow + a.green) || a.unitName.localeCompare(b.unitName, 'zh-CN'),
    );
  }

  private async bySource(actor: Actor): Promise<DeskView['bySource']> {
    const raw = await this.queries
      .filtered({}, actor)
      .andWhere("i.state <> 'draft'")
      .select('i.source', 'source')
      .addSelect('COUNT(*)', 'n')
      .groupBy('i.source')
      .getRawMany<{ source: string; n: string | number }>();
    return raw
      .map((r) => ({ source: r.source, label: isKeyOf(SOURCES, r.source) ? SOURCES[r.source] : r.source, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count);
  }
}

function deskItem(v: ItemView, note: string): DeskItem {
  return {
    number: v.number,
    title: v.title,
    state: v.state,
    stateLabel: v.stateLabel,
    light: v.light,
    deadline: v.deadline,
    leadUnitName: v.leadUnit?.name ?? null,
    keySupervision: v.keySupervision,
    note,
  };
}
