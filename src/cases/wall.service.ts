import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { Actor } from '../shared/actor';
import { toShanghaiIso } from '../shared/shanghai-time';
import { BOARDS } from '../shared/vocabulary';
import { ItemQueriesService } from './item-queries.service';
import { ItemUnit } from './item-unit.entity';
import { Report } from './report.entity';
import type { WallBoard, WallView } from './wall.view';

/** At most this many tasks on one wall (a printed A3 sheet holds far fewer). */
const MAX_TASKS = 300;

/**
 * 挂图作战 (issue 15): the key tasks (board 重点工作 and/or 重大改革, C1) as a wall chart — units × tasks, each cell how the
 * unit stands (主办/协办, signed, its last report) and the task's state and light (B3). Within the reader's scope (P4);
 * drafts are nobody's work yet and stay off.
 */
@Injectable()
export class WallService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
  ) {}

  async wall(board: WallBoard, actor: Actor): Promise<WallView> {
    const qb = this.queries.filtered(board === 'all' ? {} : { board }, actor).andWhere("i.state <> 'draft'");
    if (board === 'all') qb.andWhere('i.board IN (:...boards)', { boards: ['key_task', 'reform'] });
    const items = await qb.orderBy('i.number', 'ASC').take(MAX_TASKS).getMany();
    const views = await this.queries.views(items);
    const ids = items.map((i) => i.id);
    const [links, reports] = ids.length
      ? await Promise.all([
          this.db.getRepository(ItemUnit).findBy({ itemId: In(ids) }),
          this.db
            .getRepository(Report)
            .createQueryBuilder('r')
            .select('r.item_id', 'itemId')
            .addSelect('r.unit_id', 'unitId')
            .addSelect('MAX(r.submitted_at)', 'last')
            .where({ itemId: In(ids) })
            .groupBy('r.item_id')
            .addGroupBy('r.unit_id')
            .getRawMany<{ itemId: number; unitId: number; last: Date | string }>(),
        ])
      : [[], []];
    const last = new Map(reports.map((r) => [`${Number(r.itemId)}:${Number(r.unitId)}`, asDate(r.last)]));
    const lastOfItem = (itemId: number) =>
      reports
        .filter((r) => Number(r.itemId) === itemId)
        .map((r) => asDate(r.last))
        .sort((a, b) => b.getTime() - a.getTime())[0];
    const byId = new Map(items.map((i, k) => [i.id, views[k]]));
    const unitNames = new Map<number, string>();
    for (const v of views) for (const u of [v.leadUnit, ...v.coUnits]) if (u) unitNames.set(u.id, u.name);
    // Rows: the units, those leading the most tasks first, then by name.
    const leads = new Map<number, number>();
    for (const l of links) if (l.role === 'lead') leads.set(l.unitId, (leads.get(l.unitId) ?? 0) + 1);
    const units = [...unitNames.entries()]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => (leads.get(b.id) ?? 0) - (leads.get(a.id) ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
    return {
      board,
      title: board === 'all' ? '重点工作、重大改革挂图作战' : `${BOARDS[board]}挂图作战`,
      generatedAt: toShanghaiIso(this.queries.now())!,
      units,
      tasks: items.map((i, k) => {
        const v = views[k];
        return {
          number: v.number,
          title: v.title,
          boardLabel: v.boardLabel,
          state: v.state,
          stateLabel: v.stateLabel,
          light: v.light,
          deadline: v.deadline,
          lastReportAt: toShanghaiIso(lastOfItem(i.id)),
          leadUnitName: v.leadUnit?.name ?? null,
          keySupervision: v.keySupervision,
        };
      }),
      cells: links
        .filter((l) => byId.has(l.itemId))
        .map((l) => ({
          unitId: l.unitId,
          number: byId.get(l.itemId)!.number,
          role: l.role,
          signedAt: toShanghaiIso(l.signedAt),
          lastReportAt: toShanghaiIso(last.get(`${l.itemId}:${l.unitId}`)),
        })),
    };
  }
}

/** Raw aggregates come back as Date (mysql2) or as 'YYYY-MM-DD HH:MM:SS.SSS' UTC text (SQLite). */
function asDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);
}
