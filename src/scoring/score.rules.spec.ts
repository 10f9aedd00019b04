/**
 * The 激励积分 ledger (DOMAIN §5, S1–S11) against score.rules.ts. Points, explanations and instants are written out
 * by hand; Shanghai wall-clock times are turned into instants with an explicit +08:00 offset.
 */
import {
  ledgerDiff,
  linesForEvent,
  ManualFact,
  numberReturns,
  quarterEnd,
  quarterlyBonus,
  quarterOf,
  quarterStart,
  rank,
  RankedUnit,
  recompute,
  s11Candidates,
  ScoreFact,
  ScoreLine,
  ScoreProblem,
  totals,
  totalsFromSums,
  UnitTotal,
} from './score.rules';
import { DEFAULT_SCORE_TABLE, ScoreTable } from './score.table';

const T = DEFAULT_SCORE_TABLE;
/** Shanghai wall clock → instant. */
const sh = (local: string) => new Date(`${local}:00+08:00`);
const AT = sh('2026-03-02T09:00');
const LEAD = 11;
const CO = 12;
const CO2 = 13;
const ITEM = 42;

function ok(r: ScoreLine[] | ScoreProblem): ScoreLine[] {
  if ('code' in r) throw new Error(`expected lines, got ${r.code}: ${r.message}`);
  return r;
}
function refused(r: ScoreLine[] | ScoreProblem): ScoreProblem {
  if (!('code' in r)) throw new Error(`expected a problem, got ${JSON.stringify(r)}`);
  return r;
}
/** [rule, unitId, itemId, points, explanation]: one exact comparison per line. */
const rows = (r: ScoreLine[] | ScoreProblem) => ok(r).map((l) => [l.rule, l.unitId, l.itemId, l.points, l.explanation]);
/** Omit over each member of a union (plain Omit would keep only the keys all members share). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const manual = (f: OmitEach<ManualFact, 'type' | 'at' | 'reason'> & { reason?: string; at?: Date }) =>
  ({ type: 'manual', at: AT, reason: '市委督查组暗访发现', ...f }) as ManualFact;

describe('linesForEvent: which unit a fact scores and how much (S1, S2, S5–S8)', () => {
  it.each<[string, ScoreFact, (string | number | null)[][]]>([
    [
      'S1: lead unit included +0.5',
      { type: 'included', itemId: ITEM, unitId: LEAD, unitRole: 'lead', at: AT },
      [['S1', LEAD, ITEM, 0.5, '纳入督办事项（主办单位） +0.5']],
    ],
    [
      'S1: co-unit included +0.5 as well',
      { type: 'included', itemId: ITEM, unitId: CO, unitRole: 'co', at: AT },
      [['S1', CO, ITEM, 0.5, '纳入督办事项（协办单位） +0.5']],
    ],
    ['S1: 被动纳入/推动不力 gives nothing', { type: 'included', itemId: ITEM, unitId: LEAD, unitRole: 'lead', at: AT, passive: true }, []],
    [
      'S2: 优秀 +3 to the lead unit (P4)',
      { type: 'rated', itemId: ITEM, leadUnitId: LEAD, rating: 'excellent', at: AT },
      [['S2', LEAD, ITEM, 3, '办理结果评定为优秀 +3']],
    ],
    ['S2: 良好 +1', { type: 'rated', itemId: ITEM, leadUnitId: LEAD, rating: 'good', at: AT }, [['S2', LEAD, ITEM, 1, '办理结果评定为良好 +1']]],
    ['S2: 合格 scores nothing', { type: 'rated', itemId: ITEM, leadUnitId: LEAD, rating: 'pass', at: AT }, []],
    ['S8: 不合格 −5', { type: 'rated', itemId: ITEM, leadUnitId: LEAD, rating: 'fail', at: AT }, [['S8', LEAD, ITEM, -5, '办理结果评定为不合格 −5']]],
    [
      'S5: a late report −0.5 to the lead unit (P4: only it reports)',
      { type: 'report_late', itemId: ITEM, leadUnitId: LEAD, at: AT },
      [['S5', LEAD, ITEM, -0.5, '逾期报送反馈 −0.5']],
    ],
    ['S6: entering 重点督办 −5', { type: 'key_supervision', itemId: ITEM, leadUnitId: LEAD, at: AT }, [['S6', LEAD, ITEM, -5, '事项转入重点督办 −5']]],
    ['S7: 1st return −0.5', { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 1, at: AT }, [['S7', LEAD, ITEM, -0.5, '报告第1次被退回 −0.5']]],
    ['S7: 2nd return −1.5', { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 2, at: AT }, [['S7', LEAD, ITEM, -1.5, '报告第2次被退回 −1.5']]],
    ['S7: 3rd return −2.5', { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 3, at: AT }, [['S7', LEAD, ITEM, -2.5, '报告第3次被退回 −2.5']]],
    [
      'issue 14: the leader sends the item back — the 良好 it was rated no longer scores',
      { type: 'rating_voided', itemId: ITEM, leadUnitId: LEAD, rating: 'good', at: AT },
      [['S2', LEAD, ITEM, -1, '分管领导退回，原评定良好不再计分 −1']],
    ],
    ['issue 14: a voided 合格 undoes nothing', { type: 'rating_voided', itemId: ITEM, leadUnitId: LEAD, rating: 'pass', at: AT }, []],
    ['S7: 6th return −5.5', { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 6, at: AT }, [['S7', LEAD, ITEM, -5.5, '报告第6次被退回 −5.5']]],
  ])('%s', (_name, fact, expected) => {
    expect(rows(linesForEvent(fact, T))).toEqual(expected);
  });

  it('every line carries its instant, the table version and the event that caused it', () => {
    const v7: ScoreTable = { ...T, version: 7 };
    const [l] = ok(linesForEvent({ type: 'report_late', itemId: ITEM, leadUnitId: LEAD, at: AT, eventId: 901 }, v7));
    expect([l.at.toISOString(), l.tableVersion, l.eventId]).toEqual(['2026-03-02T01:00:00.000Z', 7, 901]);
    expect(ok(linesForEvent({ type: 'report_late', itemId: ITEM, leadUnitId: LEAD, at: AT }, T))[0].eventId).toBeNull();
  });

  it.each<[string, ScoreFact, string, string]>([
    ['S7: a 0th return', { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 0, at: AT }, 'SCORE.BAD_NTH', '退回次数须为正整数（给定 0）。'],
    ['S5: no valid instant', { type: 'report_late', itemId: ITEM, leadUnitId: LEAD, at: new Date('x') }, 'SCORE.BAD_TIME', '积分事实须有有效的发生时间。'],
    [
      'S3: a negative count of urged nodes',
      { type: 'quarter_closed', unitId: LEAD, quarter: { year: 2026, quarter: 1 }, urgedNodes: -1 },
      'SCORE.BAD_URGED',
      '被催办的时间节点数须为非负整数。',
    ],
  ])('%s is refused', (_name, fact, code, message) => {
    expect(refused(linesForEvent(fact, T))).toMatchObject({ code, message });
  });
});

describe('S7: returns are counted per unit per item', () => {
  it('S7: two items of one unit and one item of another each count from 1 (−0.5, −1.5, −2.5 …)', () => {
    const facts = numberReturns([
      { itemId: 1, leadUnitId: LEAD, at: sh('2026-03-05T10:00') },
      { itemId: 2, leadUnitId: LEAD, at: sh('2026-03-03T10:00') }, // earlier, listed later: time order wins
      { itemId: 1, leadUnitId: LEAD, at: sh('2026-03-08T10:00') },
      { itemId: 1, leadUnitId: CO, at: sh('2026-03-09T10:00') },
      { itemId: 1, leadUnitId: LEAD, at: sh('2026-03-10T10:00') },
    ]);
    expect(facts.map((f) => [f.itemId, f.leadUnitId, f.nth])).toEqual([
      [2, LEAD, 1],
      [1, LEAD, 1],
      [1, LEAD, 2],
      [1, CO, 1],
      [1, LEAD, 3],
    ]);
    expect(recompute(facts, T).lines.map((l) => [l.itemId, l.unitId, l.points])).toEqual([
      [2, LEAD, -0.5],
      [1, LEAD, -0.5],
      [1, LEAD, -1.5],
      [1, CO, -0.5],
      [1, LEAD, -2.5],
    ]);
  });
});

describe('quarters in Asia/Shanghai', () => {
  it.each([
    ['2026-03-31T15:59:59.999Z', 2026, 1], // 23:59:59.999 on 31 March in Shanghai
    ['2026-03-31T16:00:00.000Z', 2026, 2], // 00:00 on 1 April in Shanghai, still 31 March in UTC
    ['2026-06-30T16:00:00.000Z', 2026, 3],
    ['2026-09-30T15:59:59.999Z', 2026, 3],
    ['2026-09-30T16:00:00.000Z', 2026, 4],
    ['2025-12-31T16:00:00.000Z', 2026, 1], // new year in Shanghai 8 hours before UTC
    ['2026-12-31T15:59:59.999Z', 2026, 4],
  ])('%s is %i Q%i', (iso, year, quarter) => {
    expect(quarterOf(new Date(iso))).toEqual({ year, quarter });
  });

  it('quarterStart/quarterEnd are Shanghai midnights; Q4 ends at the next new year', () => {
    expect(quarterStart({ year: 2026, quarter: 2 }).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(quarterEnd({ year: 2026, quarter: 2 }).toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(quarterEnd({ year: 2026, quarter: 4 }).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});

describe('S3: quarterlyBonus', () => {
  it('S3: no urged node in the quarter → +5, dated at the quarter’s last millisecond', () => {
    const l = quarterlyBonus(LEAD, { year: 2026, quarter: 1 }, 0, T)!;
    expect([l.rule, l.unitId, l.itemId, l.points, l.explanation, l.at.toISOString()]).toEqual([
      'S3',
      LEAD,
      null,
      5,
      '2026年第1季度所有时间节点均未被催办 +5',
      '2026-03-31T15:59:59.999Z',
    ]);
    expect(quarterOf(l.at)).toEqual({ year: 2026, quarter: 1 });
  });

  it('S3: one urged node → no bonus; a Q4 bonus still counts in its own year', () => {
    expect(quarterlyBonus(LEAD, { year: 2026, quarter: 1 }, 1, T)).toBeNull();
    expect(quarterlyBonus(LEAD, { year: 2026, quarter: 4 }, 0, T)!.at.toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(() => quarterlyBonus(LEAD, { year: 2026, quarter: 1 }, 0.5, T)).toThrow(RangeError);
  });

  it('S3: the quarter_closed fact goes through the same rule', () => {
    const q = { year: 2026, quarter: 3 } as const;
    expect(rows(linesForEvent({ type: 'quarter_closed', unitId: CO, quarter: q, urgedNodes: 0 }, T))).toEqual([
      ['S3', CO, null, 5, '2026年第3季度所有时间节点均未被催办 +5'],
    ]);
    expect(ok(linesForEvent({ type: 'quarter_closed', unitId: CO, quarter: q, urgedNodes: 2 }, T))).toEqual([]);
  });
});

describe('manual points (S4, S9, S10): entered by the 督查室 with a reason', () => {
  it.each<[string, ManualFact, (string | number | null)[][]]>([
    [
      'S4: commended as lead unit +20',
      manual({ rule: 'S4', unitId: LEAD, unitRole: 'lead', itemId: ITEM, reason: '获省政府通报表扬' }),
      [['S4', LEAD, ITEM, 20, '获市级及以上表彰（主办单位） +20（获省政府通报表扬）']],
    ],
    [
      'S4: commended as co-unit +10',
      manual({ rule: 'S4', unitId: CO, unitRole: 'co', itemId: null, reason: '获市委通报表扬' }),
      [['S4', CO, null, 10, '获市级及以上表彰（协办单位） +10（获市委通报表扬）']],
    ],
    [
      'S9: finding → lead −5, every co-unit −3',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO, CO2] }),
      [
        ['S9', LEAD, ITEM, -5, '督查发现问题（主办单位） −5（市委督查组暗访发现）'],
        ['S9', CO, ITEM, -3, '督查发现问题（协办单位） −3（市委督查组暗访发现）'],
        ['S9', CO2, ITEM, -3, '督查发现问题（协办单位） −3（市委督查组暗访发现）'],
      ],
    ],
    [
      'S9: caused by a co-unit, lead 0 → that co-unit −5, lead a recorded 0, the other co-unit nothing',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO, CO2], causedByUnitId: CO2, leadPoints: 0 }),
      [
        ['S9', CO2, ITEM, -5, '督查发现问题，系本单位原因（协办单位） −5（市委督查组暗访发现）'],
        ['S9', LEAD, ITEM, 0, '督查发现问题，系协办单位原因（主办单位） 0（市委督查组暗访发现）'],
      ],
    ],
    [
      'S9: caused by a co-unit, lead −3 (the end of the range)',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO, leadPoints: -3 }),
      [
        ['S9', CO, ITEM, -5, '督查发现问题，系本单位原因（协办单位） −5（市委督查组暗访发现）'],
        ['S9', LEAD, ITEM, -3, '督查发现问题，系协办单位原因（主办单位） −3（市委督查组暗访发现）'],
      ],
    ],
    [
      'S9: caused by a co-unit, lead −1.5',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO, leadPoints: -1.5 }),
      [
        ['S9', CO, ITEM, -5, '督查发现问题，系本单位原因（协办单位） −5（市委督查组暗访发现）'],
        ['S9', LEAD, ITEM, -1.5, '督查发现问题，系协办单位原因（主办单位） −1.5（市委督查组暗访发现）'],
      ],
    ],
    [
      'S10: obstructing inspection −5',
      manual({ rule: 'S10', unitId: CO, itemId: null, kind: 'obstruction', reason: '拒不提供台账' }),
      [['S10', CO, null, -5, '阻挠、妨碍督查 −5（拒不提供台账）']],
    ],
    [
      'S10: material 3 days late −3',
      manual({ rule: 'S10', unitId: LEAD, itemId: ITEM, kind: 'late_material', days: 3, reason: '材料应于3月5日报送' }),
      [['S10', LEAD, ITEM, -3, '迟报材料3天 −3（材料应于3月5日报送）']],
    ],
    [
      'S10: material 1 day late −1',
      manual({ rule: 'S10', unitId: LEAD, itemId: ITEM, kind: 'late_material', days: 1 }),
      [['S10', LEAD, ITEM, -1, '迟报材料1天 −1（市委督查组暗访发现）']],
    ],
  ])('%s', (_name, fact, expected) => {
    expect(rows(linesForEvent(fact, T))).toEqual(expected);
  });

  const S9_RANGE = '因协办单位原因造成的问题，主办单位扣分须在 0 到 −3 之间、精确到 0.1 分';
  it.each<[string, ManualFact, string, string]>([
    [
      'S9: lead −4 is out of range',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO, leadPoints: -4 }),
      'SCORE.S9_LEAD_OUT_OF_RANGE',
      `${S9_RANGE}（给定 -4）。`,
    ],
    [
      'S9: lead +1 is out of range',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO, leadPoints: 1 }),
      'SCORE.S9_LEAD_OUT_OF_RANGE',
      `${S9_RANGE}（给定 1）。`,
    ],
    [
      'S9: lead −0.25 is finer than a tenth',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO, leadPoints: -0.25 }),
      'SCORE.S9_LEAD_OUT_OF_RANGE',
      `${S9_RANGE}（给定 -0.25）。`,
    ],
    [
      'S9: co-caused without a lead value',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: CO }),
      'SCORE.S9_LEAD_OUT_OF_RANGE',
      `${S9_RANGE}（给定 空）。`,
    ],
    [
      'S9: caused by a unit that is not a co-unit',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], causedByUnitId: LEAD, leadPoints: -1 }),
      'SCORE.S9_CAUSE_NOT_CO',
      '造成问题的单位须是本事项的协办单位。',
    ],
    [
      'S9: a lead value when no co-unit caused it',
      manual({ rule: 'S9', itemId: ITEM, leadUnitId: LEAD, coUnitIds: [CO], leadPoints: -2 }),
      'SCORE.S9_LEAD_POINTS_UNEXPECTED',
      '只有因协办单位原因造成的问题，才由督查室给定主办单位的扣分。',
    ],
    [
      'S10: 0 days late',
      manual({ rule: 'S10', unitId: LEAD, itemId: null, kind: 'late_material', days: 0 }),
      'SCORE.BAD_DAYS',
      '迟报天数须为正整数（给定 0）。',
    ],
    [
      'S10: 1.5 days late',
      manual({ rule: 'S10', unitId: LEAD, itemId: null, kind: 'late_material', days: 1.5 }),
      'SCORE.BAD_DAYS',
      '迟报天数须为正整数（给定 1.5）。',
    ],
    [
      'S4: no reason',
      manual({ rule: 'S4', unitId: LEAD, unitRole: 'lead', itemId: null, reason: '  ' }),
      'SCORE.REASON_REQUIRED',
      '手工记分须写明事由，例如表彰文件名称或督查发现的问题。',
    ],
  ])('%s is refused', (_name, fact, code, message) => {
    expect(refused(linesForEvent(fact, T))).toMatchObject({ code, message });
  });
});

/** A line of `points` for `unitId` at a Shanghai wall-clock time. */
const L = (unitId: number, points: number, local: string): ScoreLine => ({
  rule: 'S10',
  unitId,
  itemId: null,
  points,
  at: sh(local),
  explanation: '',
  tableVersion: 1,
  eventId: null,
});
const total = (unitId: number, t: number): UnitTotal => ({ unitId, year: 2026, base: 100, points: t - 100, total: t, quarters: [t - 100, 0, 0, 0] });

describe('totals: base + the year’s lines, and each quarter (Shanghai calendar)', () => {
  it('S1–S10 lines add up per unit, per quarter; other years are left out; a unit with no lines has the base', () => {
    const lines = [
      L(LEAD, 0.5, '2026-01-01T00:00'), // Q1 — 2025-12-31T16:00Z
      L(LEAD, -1.5, '2026-03-31T23:59'), // Q1
      L(LEAD, 5, '2026-04-01T00:00'), // Q2 — 2026-03-31T16:00Z
      L(LEAD, -5, '2026-12-31T23:59'), // Q4
      L(LEAD, 20, '2025-12-31T23:59'), // 2025: not counted
      L(LEAD, 3, '2027-01-01T00:00'), // 2027: not counted
      L(CO, -0.5, '2026-08-15T10:00'), // Q3
    ];
    expect(totals(lines, 2026, 100, [CO2, LEAD])).toEqual([
      { unitId: LEAD, year: 2026, base: 100, points: -1, total: 99, quarters: [-1, 5, 0, -5] },
      { unitId: CO, year: 2026, base: 100, points: -0.5, total: 99.5, quarters: [0, 0, -0.5, 0] },
      { unitId: CO2, year: 2026, base: 100, points: 0, total: 100, quarters: [0, 0, 0, 0] },
    ]);
  });

  it('sums are exact decimals: ten lines of 0.1 are 1, and 0.1 + 0.2 is 0.3', () => {
    const tenLines = Array.from({ length: 10 }, () => L(LEAD, 0.1, '2026-05-01T10:00'));
    expect(totals(tenLines, 2026, 100)[0]).toMatchObject({ points: 1, total: 101, quarters: [0, 1, 0, 0] });
    expect(totals([L(CO, 0.1, '2026-05-01T10:00'), L(CO, 0.2, '2026-05-02T10:00')], 2026, 99.9)[0]).toMatchObject({ points: 0.3, total: 100.2 });
  });

  it('issue 17: sums per unit and quarter in tenths (as SQL gives them) make the same totals as the lines', () => {
    const lines = [
      L(LEAD, 0.5, '2026-01-01T00:00'),
      L(LEAD, -1.5, '2026-03-31T23:59'),
      L(LEAD, 5, '2026-04-01T00:00'),
      L(LEAD, -5, '2026-12-31T23:59'),
      L(CO, -0.5, '2026-08-15T10:00'),
      L(CO, 0.1, '2026-08-16T10:00'),
    ];
    const sums = [
      { unitId: CO, quarter: 3 as const, tenths: -4 },
      { unitId: LEAD, quarter: 1 as const, tenths: -10 },
      { unitId: LEAD, quarter: 2 as const, tenths: 50 },
      { unitId: LEAD, quarter: 4 as const, tenths: -30 },
      { unitId: LEAD, quarter: 4 as const, tenths: -20 },
    ];
    expect(totalsFromSums(sums, 2026, 100, [CO2, LEAD])).toEqual(totals(lines, 2026, 100, [CO2, LEAD]));
  });
});

describe('rank: competition ranking', () => {
  it('equal totals share a rank (1, 2, 2, 4) and are listed by unitId', () => {
    const ranked = rank([total(5, 98), total(3, 101.5), total(9, 101.5), total(1, 103), total(2, 90)]);
    expect(ranked.map((r) => [r.unitId, r.total, r.rank])).toEqual([
      [1, 103, 1],
      [3, 101.5, 2],
      [9, 101.5, 2],
      [5, 98, 4],
      [2, 90, 5],
    ]);
  });

  it('totals reached through different sums still tie', () => {
    const a = totals([L(1, 0.1, '2026-02-01T10:00'), L(1, 0.2, '2026-02-01T11:00')], 2026, 100);
    const b = totals([L(2, 0.3, '2026-02-01T10:00')], 2026, 100);
    expect(rank([...b, ...a]).map((r) => [r.unitId, r.rank])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});

describe('S11: below base and bottom 2, two years running → accountability clue (A1)', () => {
  const year = (y: number, ts: [number, number][]): RankedUnit[] => rank(ts.map(([u, t]) => ({ ...total(u, t), year: y })));

  it('S11: a unit below base and bottom 2 in 2025 and 2026 is a candidate, with an explanation', () => {
    const byYear = {
      2025: year(2025, [
        [1, 104],
        [2, 101],
        [3, 99.5],
        [4, 97],
      ]),
      2026: year(2026, [
        [1, 102],
        [2, 96],
        [3, 103],
        [4, 98.5],
      ]),
    };
    expect(s11Candidates(byYear, 100)).toEqual([
      {
        unitId: 4,
        years: [2025, 2026],
        explanation: '连续2年得分低于基础分100且位列倒数2名以内（2025年97分、第4名/共4名；2026年98.5分、第3名/共4名），移交责任追究线索',
      },
    ]);
  });

  it.each<[string, Record<number, [number, number][]>, number[]]>([
    [
      'S11: bottom 2 in only one year → nobody',
      {
        2025: [
          [1, 99],
          [2, 98],
          [3, 101],
        ],
        2026: [
          [1, 102],
          [2, 103],
          [3, 97],
        ],
      },
      [],
    ],
    [
      'S11: last both years at exactly the base (not below it) → nobody',
      {
        2025: [
          [1, 100],
          [2, 101],
          [3, 105],
        ],
        2026: [
          [1, 100],
          [2, 100.5],
          [3, 104],
        ],
      },
      [],
    ],
    [
      'S11: years not consecutive (2024, 2026) → nobody',
      {
        2024: [
          [1, 90],
          [2, 110],
          [3, 120],
        ],
        2026: [
          [1, 90],
          [2, 110],
          [3, 120],
        ],
      },
      [],
    ],
    [
      'S11: a unit missing from one year’s ranking → not a candidate',
      {
        2025: [
          [1, 90],
          [2, 110],
          [3, 120],
        ],
        2026: [
          [2, 91],
          [3, 120],
          [4, 130],
        ],
      },
      [],
    ],
    [
      'S11: a tie at the boundary brings in every tied unit (97, 98, 98 all bottom 2)',
      {
        2025: [
          [1, 97],
          [2, 98],
          [3, 98],
          [4, 100],
        ],
        2026: [
          [1, 97],
          [2, 98],
          [3, 98],
          [4, 100],
        ],
      },
      [1, 2, 3],
    ],
    [
      'S11: below base but third from the bottom → not a candidate',
      {
        2025: [
          [1, 95],
          [2, 96],
          [3, 97],
          [4, 100],
        ],
        2026: [
          [1, 95],
          [2, 96],
          [3, 97],
          [4, 100],
        ],
      },
      [1, 2],
    ],
  ])('%s', (_name, data, expected) => {
    const byYear = Object.fromEntries(Object.entries(data).map(([y, ts]) => [y, year(Number(y), ts)]));
    expect(s11Candidates(byYear, 100).map((c) => c.unitId)).toEqual(expected);
  });

  it('S11: three bad years running give one candidate per two-year window', () => {
    const ts: [number, number][] = [
      [1, 90],
      [2, 110],
      [3, 120],
    ];
    const byYear = { 2024: year(2024, ts), 2025: year(2025, ts), 2026: year(2026, ts) };
    expect(s11Candidates(byYear, 100).map((c) => [c.unitId, c.years])).toEqual([
      [1, [2024, 2025]],
      [1, [2025, 2026]],
    ]);
  });
});

describe('recompute: the ledger is what the facts say', () => {
  const facts: ScoreFact[] = [
    { type: 'included', itemId: ITEM, unitId: LEAD, unitRole: 'lead', at: AT, eventId: 1 },
    { type: 'included', itemId: ITEM, unitId: CO, unitRole: 'co', at: AT, eventId: 1 },
    { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 0, at: AT }, // refused
    { type: 'returned', itemId: ITEM, leadUnitId: LEAD, nth: 1, at: sh('2026-03-04T10:00'), eventId: 3 },
    { type: 'rated', itemId: ITEM, leadUnitId: LEAD, rating: 'excellent', at: sh('2026-04-01T10:00'), eventId: 4 },
  ];

  it('S1, S2, S7: lines in fact order; a refused fact is listed with its index, never dropped silently', () => {
    const r = recompute(facts, T);
    expect(r.lines.map((l) => [l.rule, l.unitId, l.points, l.eventId])).toEqual([
      ['S1', LEAD, 0.5, 1],
      ['S1', CO, 0.5, 1],
      ['S7', LEAD, -0.5, 3],
      ['S2', LEAD, 3, 4],
    ]);
    expect(r.problems.map((p) => [p.index, p.problem.code])).toEqual([[2, 'SCORE.BAD_NTH']]);
    expect(totals(r.lines, 2026, T.base).map((t) => [t.unitId, t.total, t.quarters])).toEqual([
      [LEAD, 103, [0, 3, 0, 0]],
      [CO, 100.5, [0.5, 0, 0, 0]],
    ]);
  });

  it('ledgerDiff: an equal ledger has no difference; a lost line and an unexplained line are both found', () => {
    const lines = recompute(facts, T).lines;
    expect(ledgerDiff(lines, recompute(facts, T).lines)).toEqual({ missing: [], extra: [] });
    const stray = L(CO, -5, '2026-05-01T10:00');
    const diff = ledgerDiff([lines[0], lines[0], lines[2], lines[3], stray], lines);
    expect(diff.missing.map((l) => [l.rule, l.unitId])).toEqual([['S1', CO]]);
    expect(diff.extra.map((l) => [l.rule, l.unitId, l.points])).toEqual([
      ['S1', LEAD, 0.5],
      ['S10', CO, -5],
    ]);
  });
});
