/**
 * The 激励积分 scoring table (DOMAIN §5, S1–S11) as plain, JSON-serialisable, versioned data. Principle 7
 * ("policies are data"): DEFAULT_SCORE_TABLE is the seed row an administrator edits later, and every ledger line
 * records the version it was computed with, so a score can always say which table produced it. Pure.
 *
 * Points are signed: awards ≥ 0, deductions ≤ 0. Every value is a multiple of 0.1 — the ledger works in tenths
 * (score.rules.ts), so a table that needs finer steps is refused here rather than rounded silently there.
 */

export const SCORE_RULE_IDS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11'] as const;
export type ScoreRuleId = (typeof SCORE_RULE_IDS)[number];

/** One entry per rule id: what each rule is worth. */
export interface ScoreTableLines {
  /** S1: item included for the unit (lead or co), unless marked 被动纳入/推动不力. */
  S1: { perItem: number };
  /** S2: closure rated 优秀 / 良好 (合格 scores nothing; 不合格 is S8). */
  S2: { excellent: number; good: number };
  /** S3: a quarter in which none of the unit's time nodes needed urging. */
  S3: { perQuarter: number };
  /** S4: commended at city level or above, as lead unit / as co-unit. */
  S4: { lead: number; co: number };
  /** S5: each late report (only the lead unit reports, P4). */
  S5: { perLateReport: number };
  /** S6: each item entering 重点督办. */
  S6: { perItem: number };
  /** S7: the n-th return of a report, per unit per item: first + (n − 1) × step. */
  S7: { first: number; step: number };
  /** S8: each 不合格 rating. */
  S8: { perFail: number };
  /** S9: problem found by inspection. If a co-unit caused it: that co-unit `coCaused.co`, the lead a value the 督查室 gives in [leadMin, leadMax]. */
  S9: { lead: number; co: number; coCaused: { co: number; leadMin: number; leadMax: number } };
  /** S10: obstructing inspection, each time; late material, per day. */
  S10: { obstruction: number; lateMaterialPerDay: number };
  /** S11: below base and among the bottom `bottom` for `years` years running → accountability clue (A1). No points. */
  S11: { bottom: number; years: number };
}

export interface ScoreTable {
  id: string;
  version: number;
  /** Base score per unit per year. */
  base: number;
  lines: ScoreTableLines;
}

/** DOMAIN §5 (seed 001 积分 §9–§14). */
export const DEFAULT_SCORE_TABLE: ScoreTable = {
  id: 'default',
  version: 1,
  base: 100,
  lines: {
    S1: { perItem: 0.5 },
    S2: { excellent: 3, good: 1 },
    S3: { perQuarter: 5 },
    S4: { lead: 20, co: 10 },
    S5: { perLateReport: -0.5 },
    S6: { perItem: -5 },
    S7: { first: -0.5, step: -1 },
    S8: { perFail: -5 },
    S9: { lead: -5, co: -3, coCaused: { co: -5, leadMin: -3, leadMax: 0 } },
    S10: { obstruction: -5, lateMaterialPerDay: -1 },
    S11: { bottom: 2, years: 2 },
  },
};

export interface TableProblem {
  field: string;
  message: string;
}

type Sign = 'award' | 'deduction';

/** Each point field of the table: the rule it belongs to, its path under `lines` and its sign. */
const POINT_FIELDS: [ScoreRuleId, string, Sign][] = [
  ['S1', 'perItem', 'award'],
  ['S2', 'excellent', 'award'],
  ['S2', 'good', 'award'],
  ['S3', 'perQuarter', 'award'],
  ['S4', 'lead', 'award'],
  ['S4', 'co', 'award'],
  ['S5', 'perLateReport', 'deduction'],
  ['S6', 'perItem', 'deduction'],
  ['S7', 'first', 'deduction'],
  ['S7', 'step', 'deduction'],
  ['S8', 'perFail', 'deduction'],
  ['S9', 'lead', 'deduction'],
  ['S9', 'co', 'deduction'],
  ['S9', 'coCaused.co', 'deduction'],
  ['S9', 'coCaused.leadMin', 'deduction'],
  ['S9', 'coCaused.leadMax', 'deduction'],
  ['S10', 'obstruction', 'deduction'],
  ['S10', 'lateMaterialPerDay', 'deduction'],
];

/** True when x is a finite number that is a whole number of tenths (0.5 yes, 0.25 no). */
export function isTenths(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x * 10 - Math.round(x * 10)) < 1e-9;
}

const isPositiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1;

function get(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/**
 * Principle 7: an edited table is checked before it is saved. Returns every problem, each naming the field and,
 * where there is one, the rule; an empty list means the table can be used.
 */
export function scoreTableProblems(t: unknown): TableProblem[] {
  if (typeof t !== 'object' || t === null) return [{ field: 'table', message: '积分表须为对象。' }];
  const out: TableProblem[] = [];
  const q = t as Partial<ScoreTable>;
  if (typeof q.id !== 'string' || !/^[a-z0-9_]{1,32}$/.test(q.id)) out.push({ field: 'id', message: '「id」须为 1–32 位小写字母、数字或下划线。' });
  if (!isPositiveInt(q.version)) out.push({ field: 'version', message: '「version」须为正整数；每次修改积分表须递增版本号。' });
  if (!isTenths(q.base) || q.base <= 0) out.push({ field: 'base', message: '「base」（基础分）须为正数，且为 0.1 的整数倍。' });
  if (typeof q.lines !== 'object' || q.lines === null) return [...out, { field: 'lines', message: '「lines」须为对象，包含 S1–S11 各条规则。' }];
  const present = (id: ScoreRuleId) => typeof get(q.lines, [id]) === 'object' && get(q.lines, [id]) !== null;
  for (const id of SCORE_RULE_IDS) {
    if (!present(id)) out.push({ field: `lines.${id}`, message: `积分表缺少「lines.${id}」一条的分值，请补上后再保存。` });
  }
  for (const [id, path, sign] of POINT_FIELDS) {
    if (!present(id)) continue; // already reported as missing
    const v = get(q.lines, [id, ...path.split('.')]);
    const ok = isTenths(v) && (sign === 'award' ? v >= 0 : v <= 0);
    if (!ok) {
      const what = sign === 'award' ? '不小于 0 的数（加分）' : '不大于 0 的数（扣分）';
      out.push({ field: `lines.${id}.${path}`, message: `积分表「lines.${id}.${path}」须为${what}，且为 0.1 的整数倍。` });
    }
  }
  const cc = present('S9') ? q.lines.S9!.coCaused : undefined;
  if (cc && isTenths(cc.leadMin) && isTenths(cc.leadMax) && cc.leadMin > cc.leadMax) {
    out.push({ field: 'lines.S9.coCaused', message: '协办单位原因造成问题时，主办单位扣分的下限（leadMin）不能高于上限（leadMax），例如 −3 到 0。' });
  }
  const s11 = q.lines.S11;
  if (present('S11')) {
    if (!isPositiveInt(s11!.bottom)) out.push({ field: 'lines.S11.bottom', message: '积分表「lines.S11.bottom」（倒数名次）须为正整数。' });
    if (!isPositiveInt(s11!.years)) out.push({ field: 'lines.S11.years', message: '积分表「lines.S11.years」（连续年数）须为正整数。' });
  }
  return out;
}
