import { ApiError } from '../../api';

/** What GET /api/scores answers: every unit's total for the year (base + its lines), ranked; ties share a rank. */
export interface RankedUnit {
  unitId: number;
  unitName: string;
  year: number;
  base: number;
  points: number;
  total: number;
  quarters: [number, number, number, number];
  rank: number;
}
export interface Ranking {
  year: number;
  base: number;
  units: RankedUnit[];
}

/** GET /api/scores/units/:id — a unit's year and every line that made it. */
export interface UnitExplanation {
  unit: { id: number; name: string };
  year: number;
  base: number;
  total: number;
  rank: number;
  of: number;
  quarters: [number, number, number, number];
  lines: { at: string; rule: string; points: number; explanation: string; itemNumber: string | null; source: string; reason: string | null }[];
}

/** The 分值表 as the API keeps it (rule keys are for programs; the page shows words). */
export interface ScoreTable {
  id: string;
  version: number;
  base: number;
  lines: {
    S1: { perItem: number };
    S2: { excellent: number; good: number };
    S3: { perQuarter: number };
    S4: { lead: number; co: number };
    S5: { perLateReport: number };
    S6: { perItem: number };
    S7: { first: number; step: number };
    S8: { perFail: number };
    S9: { lead: number; co: number; coCaused: { co: number; leadMin: number; leadMax: number } };
    S10: { obstruction: number; lateMaterialPerDay: number };
    S11: { bottom: number; years: number };
  };
}

/** +20, −3, 0: points as a person reads them (a true minus sign). */
export function signed(p: number): string {
  if (p > 0) return `+${p}`;
  if (p < 0) return `−${Math.abs(p)}`;
  return '0';
}

/** The table, line by line, in the words of the 积分办法. */
export function tableRows(t: ScoreTable): { what: string; points: string }[] {
  const L = t.lines;
  return [
    { what: '每个单位每年基准分', points: `${t.base} 分` },
    { what: '纳入督办事项（每项，主办、协办单位）', points: signed(L.S1.perItem) },
    { what: '办结评定为优秀', points: signed(L.S2.excellent) },
    { what: '办结评定为良好', points: signed(L.S2.good) },
    { what: '季度内时限节点均无需催办（每季度）', points: signed(L.S3.perQuarter) },
    { what: '获市级及以上表彰（主办单位）', points: signed(L.S4.lead) },
    { what: '获市级及以上表彰（协办单位）', points: signed(L.S4.co) },
    { what: '逾期报送反馈（每次）', points: signed(L.S5.perLateReport) },
    { what: '事项转入重点督办（每项）', points: signed(L.S6.perItem) },
    { what: '报告被退回：第1次', points: signed(L.S7.first) },
    { what: '报告被退回：此后每多退回1次再多扣', points: signed(L.S7.step) },
    { what: '办结评定为不合格（每次）', points: signed(L.S8.perFail) },
    { what: '督查发现问题（主办单位）', points: signed(L.S9.lead) },
    { what: '督查发现问题（协办单位）', points: signed(L.S9.co) },
    { what: '督查发现问题，系协办单位原因：该协办单位', points: signed(L.S9.coCaused.co) },
    {
      what: '督查发现问题，系协办单位原因：主办单位（由督查室酌定）',
      points: `${signed(L.S9.coCaused.leadMax)} 至 ${signed(L.S9.coCaused.leadMin)}`,
    },
    { what: '阻挠、妨碍督查（每次）', points: signed(L.S10.obstruction) },
    { what: '迟报材料（每天）', points: signed(L.S10.lateMaterialPerDay) },
    {
      what: `连续${L.S11.years}年积分低于基准分且排名倒数后${L.S11.bottom}位`,
      points: '移交问题线索，启动责任追究',
    },
  ];
}

/**
 * Units to highlight: below the base and among the bottom `bottom` (fewer than `bottom` units score lower) — two
 * such years running open an accountability clue.
 */
export function lowest(scores: { unitId: number; score: number }[], base: number, bottom: number): Set<number> {
  return new Set(scores.filter((u) => u.score < base && scores.filter((o) => o.score < u.score).length < bottom).map((u) => u.unitId));
}

/**
 * The form field an API refusal is about: `problems[].field` from input validation, else the field the service's
 * refusal names (its code; the body's `field` is not kept by api()).
 */
const FIELD_BY_CODE: Record<string, string> = {
  'SCORE.S9_LEAD_OUT_OF_RANGE': 'leadPoints',
  'SCORE.S9_LEAD_POINTS_UNEXPECTED': 'leadPoints',
  'SCORE.S9_CAUSE_NOT_CO': 'causedByUnitId',
  'SCORE.ITEM_REQUIRED': 'itemNumber',
  'CASE.NOT_FOUND': 'itemNumber',
  'SCORE.UNIT_REQUIRED': 'unitId',
  'UNIT.NOT_FOUND': 'unitId',
  'SCORE.REASON_REQUIRED': 'reason',
};

export function fieldErrors(e: unknown, known: readonly string[]): { name: string; errors: string[] }[] {
  if (!(e instanceof ApiError)) return [];
  const byField = new Map<string, string[]>();
  for (const p of e.problems ?? []) {
    if (p.field && known.includes(p.field)) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message ?? e.message]);
  }
  const f = FIELD_BY_CODE[e.code];
  if (byField.size === 0 && f && known.includes(f)) byField.set(f, [e.message]);
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
