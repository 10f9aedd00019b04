/**
 * The 激励积分 ledger (DOMAIN §5, S1–S11): the ledger lines each domain fact causes, quarterly and yearly totals,
 * ranking, and the S11 trigger for accountability (A1). Pure: no framework, no database, no clock — every instant
 * comes in with its fact, and the same facts and table always give the same lines (so the stored ledger can be
 * checked against `recompute`).
 *
 * Points are exact: every value becomes whole tenths (score.table.ts refuses anything finer), is added as an integer
 * and turned back into a number only on the way out — 0.1 + 0.2 never becomes 0.30000000000000004 in a total.
 * Quarters and years are read in Asia/Shanghai (UTC+8, no DST).
 */
import type { Rating, UnitRole } from '../shared/vocabulary';
import { shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import { DEFAULT_SCORE_TABLE, isTenths, ScoreRuleId, ScoreTable, ScoreTableLines } from './score.table';

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

interface Dated {
  at: Date;
  /** The timeline event (C6) or record that caused the fact: DOMAIN §5 "every point names the event that caused it". */
  eventId?: number;
}

/**
 * P4 "谁主办、谁反馈": reports, returns, ratings and 重点督办 concern the work the lead unit answers for, so those
 * facts name `leadUnitId` and only the lead unit is scored; S1, S4 and S9 score co-units too.
 */
export type ScoreFact =
  | (Dated & { type: 'included'; itemId: number; unitId: number; unitRole: UnitRole; passive?: boolean }) // S1
  | (Dated & { type: 'rated'; itemId: number; leadUnitId: number; rating: Rating }) // S2, S8
  /** Issue 14: the leader sent the item back (D3) — the owner's rating no longer stands, its S2/S8 line is undone. */
  | (Dated & { type: 'rating_voided'; itemId: number; leadUnitId: number; rating: Rating })
  | (Dated & { type: 'report_late'; itemId: number; leadUnitId: number }) // S5
  | (Dated & { type: 'key_supervision'; itemId: number; leadUnitId: number }) // S6
  | (Dated & { type: 'returned'; itemId: number; leadUnitId: number; nth: number }) // S7: nth return of this unit on this item
  | { type: 'quarter_closed'; unitId: number; quarter: Quarter; urgedNodes: number; eventId?: number } // S3
  | ManualFact;

/** Points the 督查室 enters by hand (S4, S9, S10): always with a reason. */
export type ManualFact = Dated & { type: 'manual'; reason: string } & (
    | { rule: 'S4'; unitId: number; unitRole: UnitRole; itemId: number | null }
    /** S9: one finding on an item. `causedByUnitId` (a co-unit) switches to the co-caused split; then `leadPoints` is required. */
    | { rule: 'S9'; itemId: number; leadUnitId: number; coUnitIds: number[]; causedByUnitId?: number; leadPoints?: number }
    | { rule: 'S10'; unitId: number; itemId: number | null; kind: 'obstruction' }
    | { rule: 'S10'; unitId: number; itemId: number | null; kind: 'late_material'; days: number }
  );

export interface ScoreLine {
  rule: ScoreRuleId;
  unitId: number;
  itemId: number | null;
  /** Signed points, always a whole number of tenths. */
  points: number;
  at: Date;
  /** One Chinese sentence a unit can read: '报告第2次被退回 −1.5' (the rule id is `rule`, never in the words). */
  explanation: string;
  tableVersion: number;
  eventId: number | null;
}

export interface ScoreProblem {
  code: string;
  field: string;
  message: string;
}

const ROLE: Record<UnitRole, string> = { lead: '主办单位', co: '协办单位' };

const tenths = (points: number) => Math.round(points * 10);

/** '+0.5', '−1.5', '0' (U+2212 minus, as printed in a 通报). */
export function formatPoints(points: number): string {
  const t = tenths(points);
  const abs = String(Math.abs(t) / 10);
  return t > 0 ? `+${abs}` : t < 0 ? `−${abs}` : '0';
}

function line(
  rule: ScoreRuleId,
  unitId: number,
  itemId: number | null,
  t: number,
  at: Date,
  what: string,
  table: ScoreTable,
  eventId?: number,
  reason?: string,
): ScoreLine {
  const points = t / 10;
  const why = reason ? `（${reason.trim()}）` : '';
  return {
    rule,
    unitId,
    itemId,
    points,
    at,
    explanation: `${what} ${formatPoints(points)}${why}`, // the rule is its own column (issue 14: no ids in words)
    tableVersion: table.version,
    eventId: eventId ?? null,
  };
}

const problem = (code: string, field: string, message: string): ScoreProblem => ({ code, field, message });
const isInstant = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());

/** The quarter an instant falls in, on the Shanghai calendar: 2026-03-31T16:00:00Z is 00:00 on 1 April → Q2. */
export function quarterOf(at: Date): Quarter {
  const [year, month] = shanghaiDate(at).split('-').map(Number);
  return { year, quarter: (Math.floor((month - 1) / 3) + 1) as Quarter['quarter'] };
}

/** 00:00 Shanghai on the first day of the quarter. */
export function quarterStart(q: Quarter): Date {
  return shanghaiInstant(`${q.year}-${String(q.quarter * 3 - 2).padStart(2, '0')}-01`);
}

/** 00:00 Shanghai on the first day of the next quarter (exclusive end). */
export function quarterEnd(q: Quarter): Date {
  return q.quarter === 4 ? quarterStart({ year: q.year + 1, quarter: 1 }) : quarterStart({ year: q.year, quarter: (q.quarter + 1) as Quarter['quarter'] });
}

/**
 * S3: +5 for a quarter in which none of the unit's time nodes needed urging. The caller counts the urged nodes and
 * decides which units are assessed (those with at least one time node in the quarter). The line is dated at the
 * quarter's last millisecond so it counts in the quarter it rewards.
 */
export function quarterlyBonus(
  unitId: number,
  quarter: Quarter,
  urgedNodes: number,
  table: ScoreTable = DEFAULT_SCORE_TABLE,
  eventId?: number,
): ScoreLine | null {
  if (!Number.isInteger(urgedNodes) || urgedNodes < 0) throw new RangeError('urgedNodes must be a non-negative integer');
  if (urgedNodes > 0) return null;
  const at = new Date(quarterEnd(quarter).getTime() - 1);
  return line('S3', unitId, null, tenths(table.lines.S3.perQuarter), at, `${quarter.year}年第${quarter.quarter}季度所有时间节点均未被催办`, table, eventId);
}

/** S7: the n-th return costs first + (n − 1) × step: −0.5, −1.5, −2.5, … */
export function returnPenalty(nth: number, s7: ScoreTableLines['S7']): number {
  return (tenths(s7.first) + (nth - 1) * tenths(s7.step)) / 10;
}

export type ReturnedFact = Extract<ScoreFact, { type: 'returned' }>;

/**
 * S7 counts returns per unit per item: numbers a history of returns 1, 2, 3… for each (lead unit, item) pair, in
 * time order (equal instants keep their input order), e.g. to rebuild the facts from the timeline for `recompute`.
 */
export function numberReturns(returns: readonly Omit<ReturnedFact, 'type' | 'nth'>[]): ReturnedFact[] {
  const seen = new Map<string, number>();
  return [...returns]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((r) => {
      const key = `${r.leadUnitId}:${r.itemId}`;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      return { ...r, type: 'returned', nth };
    });
}

/** Input a caller could get wrong; refused with a coded problem, never thrown. */
function factProblem(fact: ScoreFact): ScoreProblem | null {
  if (fact.type === 'quarter_closed') {
    if (!Number.isInteger(fact.urgedNodes) || fact.urgedNodes < 0) return problem('SCORE.BAD_URGED', 'urgedNodes', '被催办的时间节点数须为非负整数。');
    return null;
  }
  if (!isInstant(fact.at)) return problem('SCORE.BAD_TIME', 'at', '积分事实须有有效的发生时间。');
  if (fact.type === 'returned' && (!Number.isInteger(fact.nth) || fact.nth < 1)) {
    return problem('SCORE.BAD_NTH', 'nth', `退回次数须为正整数（给定 ${fact.nth}）。`);
  }
  if (fact.type === 'manual' && !fact.reason?.trim())
    return problem('SCORE.REASON_REQUIRED', 'reason', '手工记分须写明事由，例如表彰文件名称或督查发现的问题。');
  return null;
}

/** S1–S10: the ledger lines one fact causes ([] when it causes none), or why the fact is refused. */
export function linesForEvent(fact: ScoreFact, table: ScoreTable): ScoreLine[] | ScoreProblem {
  const bad = factProblem(fact);
  if (bad) return bad;
  const L = table.lines;
  switch (fact.type) {
    case 'included':
      // S1: not for an item marked 被动纳入/推动不力.
      if (fact.passive) return [];
      return [line('S1', fact.unitId, fact.itemId, tenths(L.S1.perItem), fact.at, `纳入督办事项（${ROLE[fact.unitRole]}）`, table, fact.eventId)];
    case 'rated': {
      const by: Partial<Record<Rating, [ScoreRuleId, number]>> = { excellent: ['S2', L.S2.excellent], good: ['S2', L.S2.good], fail: ['S8', L.S8.perFail] };
      const hit = by[fact.rating];
      if (!hit) return []; // 合格 scores nothing
      const label = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' }[fact.rating];
      return [line(hit[0], fact.leadUnitId, fact.itemId, tenths(hit[1]), fact.at, `办理结果评定为${label}`, table, fact.eventId)];
    }
    case 'rating_voided': {
      const by: Partial<Record<Rating, [ScoreRuleId, number]>> = { excellent: ['S2', L.S2.excellent], good: ['S2', L.S2.good], fail: ['S8', L.S8.perFail] };
      const hit = by[fact.rating];
      if (!hit) return [];
      const label = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' }[fact.rating];
      return [line(hit[0], fact.leadUnitId, fact.itemId, -tenths(hit[1]), fact.at, `分管领导退回，原评定${label}不再计分`, table, fact.eventId)];
    }
    case 'report_late':
      return [line('S5', fact.leadUnitId, fact.itemId, tenths(L.S5.perLateReport), fact.at, '逾期报送反馈', table, fact.eventId)];
    case 'key_supervision':
      return [line('S6', fact.leadUnitId, fact.itemId, tenths(L.S6.perItem), fact.at, '事项转入重点督办', table, fact.eventId)];
    case 'returned':
      return [line('S7', fact.leadUnitId, fact.itemId, tenths(returnPenalty(fact.nth, L.S7)), fact.at, `报告第${fact.nth}次被退回`, table, fact.eventId)];
    case 'quarter_closed': {
      const bonus = quarterlyBonus(fact.unitId, fact.quarter, fact.urgedNodes, table, fact.eventId);
      return bonus ? [bonus] : [];
    }
    case 'manual':
      return manualLines(fact, table);
  }
}

function manualLines(f: ManualFact, table: ScoreTable): ScoreLine[] | ScoreProblem {
  const L = table.lines;
  const mk = (rule: ScoreRuleId, unitId: number, itemId: number | null, points: number, what: string) =>
    line(rule, unitId, itemId, tenths(points), f.at, what, table, f.eventId, f.reason);
  switch (f.rule) {
    case 'S4':
      return [mk('S4', f.unitId, f.itemId, f.unitRole === 'lead' ? L.S4.lead : L.S4.co, `获市级及以上表彰（${ROLE[f.unitRole]}）`)];
    case 'S9':
      return inspectionLines(f, L.S9, mk);
    case 'S10':
      if (f.kind === 'obstruction') return [mk('S10', f.unitId, f.itemId, L.S10.obstruction, '阻挠、妨碍督查')];
      if (!Number.isInteger(f.days) || f.days < 1) return problem('SCORE.BAD_DAYS', 'days', `迟报天数须为正整数（给定 ${f.days}）。`);
      return [mk('S10', f.unitId, f.itemId, (f.days * tenths(L.S10.lateMaterialPerDay)) / 10, `迟报材料${f.days}天`)];
  }
}

/**
 * S9: normally the lead unit −5 and every co-unit −3. When a co-unit caused the problem, that co-unit −5 and the lead
 * unit the value the 督查室 gives in [leadMin, leadMax] (a 0 is recorded as a line too: the decision is part of the
 * record); the other co-units, who did not cause it, are not scored.
 */
function inspectionLines(
  f: Extract<ManualFact, { rule: 'S9' }>,
  s9: ScoreTableLines['S9'],
  mk: (rule: ScoreRuleId, unitId: number, itemId: number | null, points: number, what: string) => ScoreLine,
): ScoreLine[] | ScoreProblem {
  if (f.causedByUnitId === undefined) {
    if (f.leadPoints !== undefined) {
      return problem('SCORE.S9_LEAD_POINTS_UNEXPECTED', 'leadPoints', '只有因协办单位原因造成的问题，才由督查室给定主办单位的扣分。');
    }
    return [
      mk('S9', f.leadUnitId, f.itemId, s9.lead, '督查发现问题（主办单位）'),
      ...f.coUnitIds.map((u) => mk('S9', u, f.itemId, s9.co, '督查发现问题（协办单位）')),
    ];
  }
  if (!f.coUnitIds.includes(f.causedByUnitId)) {
    return problem('SCORE.S9_CAUSE_NOT_CO', 'causedByUnitId', '造成问题的单位须是本事项的协办单位。');
  }
  const { leadMin, leadMax, co } = s9.coCaused;
  const v = f.leadPoints;
  if (v === undefined || !isTenths(v) || tenths(v) < tenths(leadMin) || tenths(v) > tenths(leadMax)) {
    return problem(
      'SCORE.S9_LEAD_OUT_OF_RANGE',
      'leadPoints',
      `因协办单位原因造成的问题，主办单位扣分须在 ${formatPoints(leadMax)} 到 ${formatPoints(leadMin)} 之间、精确到 0.1 分（给定 ${v ?? '空'}）。`,
    );
  }
  return [
    mk('S9', f.causedByUnitId, f.itemId, co, '督查发现问题，系本单位原因（协办单位）'),
    mk('S9', f.leadUnitId, f.itemId, v, '督查发现问题，系协办单位原因（主办单位）'),
  ];
}

/** Every line every fact causes, in fact order; refused facts are listed, never dropped silently. */
export function recompute(facts: readonly ScoreFact[], table: ScoreTable): { lines: ScoreLine[]; problems: { index: number; problem: ScoreProblem }[] } {
  const lines: ScoreLine[] = [];
  const problems: { index: number; problem: ScoreProblem }[] = [];
  facts.forEach((fact, index) => {
    const r = linesForEvent(fact, table);
    if ('code' in r) problems.push({ index, problem: r });
    else lines.push(...r);
  });
  return { lines, problems };
}

/** What makes two ledger lines the same (the explanation is derived text and left out). */
export const lineKey = (l: ScoreLine) => [l.rule, l.unitId, l.itemId ?? '-', l.at.toISOString(), tenths(l.points), l.tableVersion, l.eventId ?? '-'].join('|');

/** Ledger vs recompute, as multisets: lines the ledger lacks, and lines it has that no fact explains. */
export function ledgerDiff(ledger: readonly ScoreLine[], recomputed: readonly ScoreLine[]): { missing: ScoreLine[]; extra: ScoreLine[] } {
  const pending = new Map<string, ScoreLine[]>();
  for (const l of ledger) pending.set(lineKey(l), [...(pending.get(lineKey(l)) ?? []), l]);
  const missing: ScoreLine[] = [];
  for (const l of recomputed) {
    const same = pending.get(lineKey(l));
    if (same?.length) same.pop();
    else missing.push(l);
  }
  return { missing, extra: [...pending.values()].flat() };
}

export interface UnitTotal {
  unitId: number;
  year: number;
  base: number;
  /** Sum of the year's lines. */
  points: number;
  /** base + points. */
  total: number;
  /** Sum of each quarter's lines (Q1..Q4), without the base. */
  quarters: [number, number, number, number];
}

/** Yearly score per unit ("base 100 per unit per year; scored each quarter"), sorted by unitId. `units` adds units with no lines. */
export function totals(lines: readonly ScoreLine[], year: number, base: number, units: readonly number[] = []): UnitTotal[] {
  const sums: QuarterSum[] = [];
  for (const l of lines) {
    const q = quarterOf(l.at);
    if (q.year === year) sums.push({ unitId: l.unitId, quarter: q.quarter, tenths: tenths(l.points) });
  }
  return totalsFromSums(sums, year, base, units);
}

/** The points of a unit's lines in one quarter of the year, in tenths (what the database sums). */
export interface QuarterSum {
  unitId: number;
  quarter: Quarter['quarter'];
  tenths: number;
}

/**
 * The same totals from sums per unit and quarter — issue 17: the ranking sums the year's lines in SQL instead of
 * reading every line. Any number of sums for the same unit and quarter add up.
 */
export function totalsFromSums(sums: readonly QuarterSum[], year: number, base: number, units: readonly number[] = []): UnitTotal[] {
  const byUnit = new Map<number, number[]>(units.map((u) => [u, [0, 0, 0, 0]]));
  for (const s of sums) {
    const q = byUnit.get(s.unitId) ?? [0, 0, 0, 0];
    q[s.quarter - 1] += s.tenths;
    byUnit.set(s.unitId, q);
  }
  return [...byUnit.entries()]
    .sort(([a], [b]) => a - b)
    .map(([unitId, q]) => {
      const sum = q[0] + q[1] + q[2] + q[3];
      return { unitId, year, base, points: sum / 10, total: (tenths(base) + sum) / 10, quarters: q.map((t) => t / 10) as UnitTotal['quarters'] };
    });
}

export interface RankedUnit extends UnitTotal {
  rank: number;
}

/** Year-end ranking: highest total first; equal totals share a rank (1, 2, 2, 4), listed by unitId. */
export function rank(unitTotals: readonly UnitTotal[]): RankedUnit[] {
  const sorted = [...unitTotals].sort((a, b) => tenths(b.total) - tenths(a.total) || a.unitId - b.unitId);
  const out: RankedUnit[] = [];
  sorted.forEach((t, i) => {
    const prev = out[i - 1];
    out.push({ ...t, rank: prev && tenths(prev.total) === tenths(t.total) ? prev.rank : i + 1 });
  });
  return out;
}

export interface S11Candidate {
  unitId: number;
  /** The consecutive years, oldest first. */
  years: number[];
  explanation: string;
}

/**
 * "In the bottom N" = fewer than N units scored strictly lower. A tie at the boundary therefore brings in every tied
 * unit: totals 97, 98, 98, 100 with N = 2 → 97 and both 98s. We would rather open one clue too many (A1: a clue
 * punishes nobody by itself) than pick between tied units by an arbitrary order.
 */
function inBottom(ranking: readonly RankedUnit[], u: RankedUnit, n: number): boolean {
  return ranking.filter((o) => tenths(o.total) < tenths(u.total)).length < n;
}

/**
 * S11 → A1: units below base AND in the bottom `bottom` in each of `years` consecutive years. One candidate per
 * window of years (three bad years in a row give two candidates), by unitId; the caller opens one 线索 per new window.
 */
export function s11Candidates(
  rankingsByYear: Readonly<Record<number, readonly RankedUnit[]>>,
  base: number,
  rule: ScoreTableLines['S11'] = DEFAULT_SCORE_TABLE.lines.S11,
): S11Candidate[] {
  const out: S11Candidate[] = [];
  const lastYears = Object.keys(rankingsByYear)
    .map(Number)
    .sort((a, b) => a - b);
  for (const last of lastYears) {
    const years = Array.from({ length: rule.years }, (_, i) => last - rule.years + 1 + i);
    if (!years.every((y) => rankingsByYear[y])) continue;
    for (const u of [...rankingsByYear[last]].sort((a, b) => a.unitId - b.unitId)) {
      const rows = years.map((y) => rankingsByYear[y].find((r) => r.unitId === u.unitId));
      const failing = rows.every((r, i) => r && tenths(r.total) < tenths(base) && inBottom(rankingsByYear[years[i]], r, rule.bottom));
      if (!failing) continue;
      const detail = rows.map((r, i) => `${years[i]}年${r!.total}分、第${r!.rank}名/共${rankingsByYear[years[i]].length}名`).join('；');
      out.push({
        unitId: u.unitId,
        years,
        explanation: `连续${rule.years}年得分低于基础分${base}且位列倒数${rule.bottom}名以内（${detail}），移交责任追究线索`,
      });
    }
  }
  return out;
}
