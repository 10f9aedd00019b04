import { withoutScoreRuleId } from '../shared/rule-id-text';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { mayReadUnit } from '../auth/read-scope';
import { ItemEvent } from '../cases/item-event.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import type { UnitRole } from '../shared/vocabulary';
import { Clock } from '../shared/clock';
import { forbidden, invalid, notFound } from '../shared/errors';
import { formatShanghai, shanghaiInstant, shanghaiYear } from '../shared/shanghai-time';
import { inTransaction } from '../database/transaction';
import { Unit } from '../org/unit.entity';
import { Reminder } from '../reminders/reminder.entity';
import { EventDispatcher } from '../events/event-dispatcher';
import type { ObstructionRecorded } from './scoring.events';
import { scoreFactsFromTimeline } from './score-facts.rules';
import { eventLineKey, forgetScoreTables, insertLines, scoreTables, tableAt } from './score-ledger';
import { ScoreLineRow, ScoreTableRow } from './score-line.entity';
import {
  formatPoints,
  ledgerDiff,
  linesForEvent,
  ManualFact,
  quarterEnd,
  quarterlyBonus,
  quarterStart,
  QuarterSum,
  rank,
  ScoreLine,
  totalsFromSums,
} from './score.rules';
import { DEFAULT_SCORE_TABLE, ScoreTable, scoreTableProblems } from './score.table';

/** Reminders that mean a unit's time node "needed urging" (S3). */
const URGES = ['after_deadline', 'overdue_urge', 'month_end_urge', 'leader_escalation', 'key_supervision'];
/** Timeline events that mean the same when the office did it by hand (R5): a 催办, or 重点督办 set by the 督查室. */
const URGED_BY_HAND = ['urged', 'key_supervision'];

export interface ManualEntry {
  rule: 'S4' | 'S9' | 'S10';
  reason: string;
  at?: Date;
  unitId?: number;
  itemNumber?: string;
  /** S4: the unit's part in the commended work. */
  unitRole?: UnitRole;
  /** S9: the co-unit that caused the problem, and the lead unit's points the 督查室 gives (0 … −3). */
  causedByUnitId?: number;
  leadPoints?: number;
  /** S10 */
  kind?: 'obstruction' | 'late_material';
  days?: number;
}

const toLine = (r: ScoreLineRow): ScoreLine => ({
  rule: r.rule as ScoreLine['rule'],
  unitId: r.unitId,
  itemId: r.itemId,
  points: r.pointsTenths / 10,
  at: r.at,
  explanation: r.explanation,
  tableVersion: r.tableVersion,
  eventId: r.eventId,
});

/**
 * Issue 7 §1: the 激励积分 ledger — totals per quarter and year, the ranking (ties share a rank), a unit's lines
 * ("why"), the 督查室's manual entries (S4, S9, S10), the quarterly S3 bonus, the versioned table, and a recompute
 * from the timeline that must equal the ledger.
 */
@Injectable()
export class ScoringService {
  private readonly log = new Logger('scoring');

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly events: EventDispatcher,
  ) {}

  async table(): Promise<ScoreTable> {
    const versions = await scoreTables(this.db.manager);
    return versions[versions.length - 1].table;
  }

  async tableVersions(): Promise<ScoreTable[]> {
    return (await scoreTables(this.db.manager)).map((v) => v.table);
  }

  /** A new version of the table; it applies to events from now on (lines already written keep theirs). */
  async saveTable(body: unknown, byPersonId: number | null): Promise<ScoreTable> {
    const current = await this.table();
    const candidate = { ...(body as object), id: current.id, version: current.version + 1 };
    const problems = scoreTableProblems(candidate);
    if (problems.length)
      throw invalid('SCORE.TABLE_INVALID', `积分规则表有误：${problems.map((p) => p.message).join('；')}`, { field: problems[0].field, problems });
    // In force from now by the service's clock (the version that scores an event is the latest saved before it).
    await this.db
      .getRepository(ScoreTableRow)
      .insert({ id: candidate.id, version: candidate.version, body: candidate as ScoreTable, createdById: byPersonId, createdAt: this.clock.now() });
    forgetScoreTables();
    return candidate as ScoreTable;
  }

  private async lines(year: number, unitId?: number): Promise<ScoreLineRow[]> {
    return this.db.getRepository(ScoreLineRow).find({ where: { year, ...(unitId === undefined ? {} : { unitId }) }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** S11 ranking material: every unit's total for the year (base + its lines), ranked; ties share a rank. */
  async ranking(year: number) {
    const table = tableAt(await scoreTables(this.db.manager), shanghaiInstant(`${year}-12-31`, '23:59'));
    const units = await this.db.getRepository(Unit).find({ select: { id: true, name: true }, order: { id: 'ASC' } });
    // Issue 17: summed per unit and quarter in SQL, from ix_score_line_year_unit_quarter alone — not every line of the
    // year read into memory. insertLines stores each line's year and quarter as quarterOf(at) gives them, so the sums equal totals().
    const sums = (
      (await this.db.query('SELECT unit_id AS unitId, quarter, SUM(points_tenths) AS tenths FROM score_line WHERE year = ? GROUP BY unit_id, quarter', [
        year,
      ])) as { unitId: unknown; quarter: unknown; tenths: unknown }[]
    ).map((r) => ({ unitId: Number(r.unitId), quarter: Number(r.quarter) as QuarterSum['quarter'], tenths: Number(r.tenths) }));
    const ranked = rank(
      totalsFromSums(
        sums,
        year,
        table.base,
        units.map((u) => u.id),
      ),
    );
    const names = new Map(units.map((u) => [u.id, u.name]));
    return { year, base: table.base, units: ranked.map((r) => ({ ...r, unitName: names.get(r.unitId) ?? `#${r.unitId}` })) };
  }

  /** "Why": a unit's total, quarters, rank and every line that made it. Contacts see their own unit only (P2). */
  async explain(unitId: number, year: number, actor: Actor) {
    this.mayRead(actor, unitId);
    const unit = await this.db.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit) throw notFound('UNIT.NOT_FOUND', `没有编号为 ${unitId} 的单位。`);
    const ranking = await this.ranking(year);
    const mine = ranking.units.find((u) => u.unitId === unitId)!;
    const rows = await this.lines(year, unitId);
    const numbers = await this.itemNumbers(rows.map((r) => r.itemId));
    return {
      unit: { id: unit.id, name: unit.name },
      year,
      base: ranking.base,
      total: mine.total,
      rank: mine.rank,
      of: ranking.units.length,
      quarters: mine.quarters,
      lines: rows.map((r) => ({
        at: formatShanghai(r.at),
        rule: r.rule,
        points: r.pointsTenths / 10,
        explanation: withoutScoreRuleId(r.explanation),
        itemNumber: r.itemId === null ? null : (numbers.get(r.itemId) ?? null),
        source: r.source,
        reason: r.reason,
      })),
    };
  }

  /** `/积分` and `/积分 单位名`: the same explanation, short enough for a chat message. */
  async explainText(actor: Actor, unitQuery: string | undefined): Promise<string> {
    const year = shanghaiYear(this.clock.now());
    let unitId: number;
    if (unitQuery) {
      const q = unitQuery.trim();
      const unit = (await this.db.getRepository(Unit).findOneBy({ name: q })) ?? (await this.db.getRepository(Unit).findOneBy({ code: q.toUpperCase() }));
      if (!unit) return `没有名为「${q}」的单位，请写单位全称或代码，例如 /积分 市发展改革委。`;
      unitId = unit.id;
    } else {
      const mine = unitsOf(actor);
      if (mine.length === 0) return '您不是任何承办单位的联络员或负责人；督查室和领导请写 /积分 单位名。';
      unitId = mine[0];
    }
    let e;
    try {
      e = await this.explain(unitId, year, actor);
    } catch (err) {
      if (err instanceof Error && 'kind' in err && (err as { kind: string }).kind === 'forbidden') return err.message;
      throw err;
    }
    const q = e.quarters.map((p, i) => `${'一二三四'[i]}季度 ${formatPoints(p)}`).join('　');
    const recent = e.lines.slice(-10).reverse();
    return [
      `【激励积分】${e.unit.name} ${year}年度：${formatPoints(e.total).replace(/^\+/, '')} 分（基准 ${e.base}，第 ${e.rank} 名 / 共 ${e.of} 个单位）`,
      q,
      recent.length ? `最近${recent.length}条明细：` : '本年度尚无加减分记录。',
      ...recent.map((l) => `${l.at.slice(5, 10)} ${withoutScoreRuleId(l.explanation)}${l.itemNumber ? ` ${l.itemNumber}` : ''}`),
      e.lines.length > recent.length ? `共 ${e.lines.length} 条，完整明细见 GET /api/scores/units/${e.unit.id}?year=${year}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }

  private mayRead(actor: Actor, unitId: number): void {
    if (mayReadUnit(actor, unitId)) return; // P4: the one read-scope rule
    throw forbidden('SCORE.NOT_YOUR_UNIT', '承办单位只能查看本单位的积分；其他单位的积分由督查室和领导查看。');
  }

  /** S4, S9, S10: the 督查室 enters points by hand, always with a reason; the lines name who and why. */
  async manual(entry: ManualEntry, actor: Actor) {
    if (!entry.reason?.trim()) throw invalid('SCORE.REASON_REQUIRED', '手工加减分须写明理由。', { field: 'reason' });
    const at = entry.at ?? this.clock.now();
    const item = entry.itemNumber ? await this.db.getRepository(Item).findOneBy({ number: entry.itemNumber.trim().toUpperCase() }) : null;
    if (entry.itemNumber && !item) throw notFound('CASE.NOT_FOUND', `没有编号为「${entry.itemNumber}」的督办事项。`);
    const units = item ? await this.db.getRepository(ItemUnit).findBy({ itemId: item.id }) : [];
    let fact: ManualFact;
    if (entry.rule === 'S9') {
      const lead = units.find((u) => u.role === 'lead');
      if (!item || !lead) throw invalid('SCORE.ITEM_REQUIRED', '督查发现的问题须指明事项编号。', { field: 'itemNumber' });
      fact = {
        type: 'manual',
        rule: 'S9',
        at,
        reason: entry.reason,
        itemId: item.id,
        leadUnitId: lead.unitId,
        coUnitIds: units.filter((u) => u.role === 'co').map((u) => u.unitId),
        causedByUnitId: entry.causedByUnitId,
        leadPoints: entry.leadPoints,
      };
    } else {
      if (entry.unitId === undefined || !(await this.db.getRepository(Unit).existsBy({ id: entry.unitId })))
        throw invalid('SCORE.UNIT_REQUIRED', '请指明要记分的单位。', { field: 'unitId' });
      fact =
        entry.rule === 'S4'
          ? { type: 'manual', rule: 'S4', at, reason: entry.reason, unitId: entry.unitId, unitRole: entry.unitRole ?? 'lead', itemId: item?.id ?? null }
          : entry.kind === 'late_material'
            ? {
                type: 'manual',
                rule: 'S10',
                at,
                reason: entry.reason,
                unitId: entry.unitId,
                itemId: item?.id ?? null,
                kind: 'late_material',
                days: entry.days ?? 0,
              }
            : { type: 'manual', rule: 'S10', at, reason: entry.reason, unitId: entry.unitId, itemId: item?.id ?? null, kind: 'obstruction' };
    }
    const table = tableAt(await scoreTables(this.db.manager), at);
    const lines = linesForEvent(fact, table);
    if (!Array.isArray(lines)) throw invalid(lines.code, lines.message, { field: lines.field });
    const entryId = randomUUID();
    await inTransaction(this.db, async (em) => {
      await insertLines(
        em,
        lines.map((line, i) => ({
          line,
          key: `m:${entryId}:${i}`,
          source: 'manual' as const,
          table,
          reason: entry.reason.trim(),
          createdById: actor.personId,
        })),
      );
      // A1: refusing or obstructing the 督查 also opens an accountability clue (it does not punish by itself).
      // Published in this transaction: accountability's subscriber opens the clue, and a failure there undoes the lines.
      if (fact.rule === 'S10' && fact.kind === 'obstruction') {
        const recorded: ObstructionRecorded = { incidentId: entryId, unitId: fact.unitId, itemId: fact.itemId, description: entry.reason, actor, at };
        await this.events.publish(em, 'scoring.obstruction-recorded', recorded);
      }
    });
    this.log.log(JSON.stringify({ event: 'score_manual', rule: entry.rule, lines: lines.length, by: actor.name }));
    return lines.map((l) => ({ ...l, at: formatShanghai(l.at) }));
  }

  /**
   * S3 at the close of a quarter: +5 for every unit that had time nodes in it (as lead unit: an item whose deadline
   * fell in the quarter) and none of them needed urging (no urge, leader escalation or 重点督办 reminder was sent for
   * them in the quarter, and the office urged none of them by hand — R5: a 催办 or 重点督办 on the timeline). Idempotent: closing a quarter again adds nothing.
   */
  async closeQuarter(year: number, quarter: 1 | 2 | 3 | 4): Promise<{ assessed: number; awarded: number }> {
    const q = { year, quarter };
    const from = quarterStart(q);
    const to = quarterEnd(q);
    if (to.getTime() > this.clock.now().getTime()) throw invalid('SCORE.QUARTER_OPEN', `${year}年第${quarter}季度尚未结束，不能结算。`, { field: 'quarter' });
    const nodes = await this.db
      .createQueryBuilder(ItemUnit, 'iu')
      .innerJoin(Item, 'i', 'i.id = iu.item_id')
      .select(['iu.unit_id AS unitId', 'i.id AS itemId'])
      .where("iu.role = 'lead' AND i.deadline_at >= :from AND i.deadline_at <= :to AND i.state <> 'draft'", { from, to })
      .getRawMany<{ unitId: number; itemId: number }>();
    const itemIds = [...new Set(nodes.map((n) => Number(n.itemId)))];
    const urged = new Set<number>();
    for (let i = 0; i < itemIds.length; i += 1000) {
      const rows = await this.db
        .getRepository(Reminder)
        .find({ where: { itemId: In(itemIds.slice(i, i + 1000)), status: 'sent', kind: In(URGES) }, select: { itemId: true, sentAt: true } });
      for (const r of rows) if (r.sentAt && r.sentAt >= from && r.sentAt <= to) urged.add(r.itemId);
      const byHand = await this.db
        .getRepository(ItemEvent)
        .find({ where: { itemId: In(itemIds.slice(i, i + 1000)), type: In(URGED_BY_HAND) }, select: { itemId: true, at: true } });
      for (const e of byHand) if (e.at >= from && e.at <= to) urged.add(e.itemId);
    }
    const byUnit = new Map<number, number>();
    for (const n of nodes) byUnit.set(Number(n.unitId), (byUnit.get(Number(n.unitId)) ?? 0) + (urged.has(Number(n.itemId)) ? 1 : 0));
    const table = tableAt(await scoreTables(this.db.manager), to);
    const rows = [...byUnit.entries()].flatMap(([unitId, urgedNodes]) => {
      const line = quarterlyBonus(unitId, q, urgedNodes, table);
      return line ? [{ line, key: `q:${year}Q${quarter}:${unitId}`, source: 'quarter' as const, table }] : [];
    });
    await inTransaction(this.db, (em) => insertLines(em, rows));
    return { assessed: byUnit.size, awarded: rows.length };
  }

  /**
   * Issue 7 §1: the ledger's timeline lines for a year, recomputed from the timeline. Manual and quarterly lines are
   * entries in their own right (their facts are the entries) and are not part of the comparison.
   */
  async recompute(year: number) {
    const from = shanghaiInstant(`${year}-01-01`);
    const to = shanghaiInstant(`${year + 1}-01-01`);
    const versions = await scoreTables(this.db.manager);
    const recomputed: ScoreLine[] = [];
    let lastId = 0;
    for (;;) {
      const ids = (
        await this.db
          .getRepository(ItemEvent)
          .createQueryBuilder('e')
          .select('DISTINCT e.item_id', 'itemId')
          .where('e.at >= :from AND e.at < :to AND e.item_id > :lastId', { from, to, lastId })
          .orderBy('e.item_id', 'ASC')
          .limit(500)
          .getRawMany<{ itemId: number }>()
      ).map((r) => Number(r.itemId));
      if (ids.length === 0) break;
      lastId = ids[ids.length - 1];
      const events = await this.db
        .getRepository(ItemEvent)
        .find({ where: { itemId: In(ids) }, select: { id: true, itemId: true, type: true, at: true, data: true }, order: { id: 'ASC' } });
      const units = await this.db.getRepository(ItemUnit).find({ where: { itemId: In(ids) }, select: { itemId: true, unitId: true, role: true } });
      for (const id of ids) {
        for (const fact of scoreFactsFromTimeline(
          id,
          events.filter((e) => e.itemId === id),
          units.filter((u) => u.itemId === id),
        )) {
          if (!('at' in fact) || fact.at < from || fact.at >= to) continue;
          const lines = linesForEvent(fact, tableAt(versions, fact.at));
          if (Array.isArray(lines)) recomputed.push(...lines);
        }
      }
    }
    const ledger = (await this.db.getRepository(ScoreLineRow).find({ where: { year, source: 'event' }, order: { id: 'ASC' } })).map(toLine);
    const diff = ledgerDiff(ledger, recomputed);
    const view = (l: ScoreLine) => ({
      key: eventLineKey(l),
      rule: l.rule,
      unitId: l.unitId,
      itemId: l.itemId,
      points: l.points,
      at: formatShanghai(l.at),
      explanation: l.explanation,
    });
    return {
      year,
      equal: diff.missing.length === 0 && diff.extra.length === 0,
      ledgerLines: ledger.length,
      recomputedLines: recomputed.length,
      missing: diff.missing.map(view),
      extra: diff.extra.map(view),
    };
  }

  private async itemNumbers(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
    if (wanted.length === 0) return new Map();
    const items = await this.db.getRepository(Item).find({ where: { id: In(wanted) }, select: { id: true, number: true } });
    return new Map(items.map((i) => [i.id, i.number]));
  }
}

export { DEFAULT_SCORE_TABLE };
