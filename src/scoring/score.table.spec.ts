/**
 * The scoring table (DOMAIN §5) as data, and the checks an edited table must pass before it is saved (principle 7).
 * Expected values are written out by hand from DOMAIN.md, never read back from DEFAULT_SCORE_TABLE.
 */
import { DEFAULT_SCORE_TABLE, isTenths, SCORE_RULE_IDS, ScoreTable, scoreTableProblems } from './score.table';

/** A deep copy of the default table with one change applied. */
function edited(change: (t: ScoreTable) => void): ScoreTable {
  const t = structuredClone(DEFAULT_SCORE_TABLE);
  change(t);
  return t;
}

describe('DEFAULT_SCORE_TABLE: the values of DOMAIN §5', () => {
  it.each([
    ['S1', { perItem: 0.5 }],
    ['S2', { excellent: 3, good: 1 }],
    ['S3', { perQuarter: 5 }],
    ['S4', { lead: 20, co: 10 }],
    ['S5', { perLateReport: -0.5 }],
    ['S6', { perItem: -5 }],
    ['S7', { first: -0.5, step: -1 }],
    ['S8', { perFail: -5 }],
    ['S9', { lead: -5, co: -3, coCaused: { co: -5, leadMin: -3, leadMax: 0 } }],
    ['S10', { obstruction: -5, lateMaterialPerDay: -1 }],
    ['S11', { bottom: 2, years: 2 }],
  ] as const)('%s: default points %j', (id, expected) => {
    expect(DEFAULT_SCORE_TABLE.lines[id]).toEqual(expected);
  });

  it('base 100 per unit per year, version 1, and exactly the rules S1–S11', () => {
    expect([DEFAULT_SCORE_TABLE.id, DEFAULT_SCORE_TABLE.version, DEFAULT_SCORE_TABLE.base]).toEqual(['default', 1, 100]);
    expect(Object.keys(DEFAULT_SCORE_TABLE.lines)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11']);
    expect([...SCORE_RULE_IDS]).toEqual(Object.keys(DEFAULT_SCORE_TABLE.lines));
  });

  it('the default table is valid and survives a JSON round trip (it is stored as data)', () => {
    expect(scoreTableProblems(DEFAULT_SCORE_TABLE)).toEqual([]);
    expect(JSON.parse(JSON.stringify(DEFAULT_SCORE_TABLE))).toEqual(DEFAULT_SCORE_TABLE);
  });
});

describe('isTenths: the ledger works in whole tenths', () => {
  it.each([
    [0.5, true],
    [-1.5, true],
    [0.1, true],
    [0.3, true],
    [100, true],
    [0, true],
    [0.25, false],
    [-0.05, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['0.5', false],
  ])('%p → %p', (x, ok) => {
    expect(isTenths(x)).toBe(ok);
  });
});

describe('scoreTableProblems: an edited table is refused with a Chinese message naming the field', () => {
  it.each<[string, (t: ScoreTable) => void, { field: string; message: string }[]]>([
    [
      'S5: a deduction entered as a positive number',
      (t) => (t.lines.S5.perLateReport = 0.5),
      [{ field: 'lines.S5.perLateReport', message: '积分表「lines.S5.perLateReport」须为不大于 0 的数（扣分），且为 0.1 的整数倍。' }],
    ],
    [
      'S1: an award finer than 0.1 point',
      (t) => (t.lines.S1.perItem = 0.25),
      [{ field: 'lines.S1.perItem', message: '积分表「lines.S1.perItem」须为不小于 0 的数（加分），且为 0.1 的整数倍。' }],
    ],
    [
      'S4: an award entered as a deduction',
      (t) => (t.lines.S4.co = -10),
      [{ field: 'lines.S4.co', message: '积分表「lines.S4.co」须为不小于 0 的数（加分），且为 0.1 的整数倍。' }],
    ],
    [
      'S7: a rule left out',
      (t) => delete (t.lines as Partial<ScoreTable['lines']>).S7,
      [{ field: 'lines.S7', message: '积分表缺少「lines.S7」一条的分值，请补上后再保存。' }],
    ],
    [
      'S9: the co-caused range upside down',
      (t) => (t.lines.S9.coCaused = { co: -5, leadMin: 0, leadMax: -3 }),
      [{ field: 'lines.S9.coCaused', message: '协办单位原因造成问题时，主办单位扣分的下限（leadMin）不能高于上限（leadMax），例如 −3 到 0。' }],
    ],
    [
      'S10: late material per day not a number',
      (t) => ((t.lines.S10 as unknown as Record<string, unknown>).lateMaterialPerDay = '-1'),
      [{ field: 'lines.S10.lateMaterialPerDay', message: '积分表「lines.S10.lateMaterialPerDay」须为不大于 0 的数（扣分），且为 0.1 的整数倍。' }],
    ],
    [
      'S11: bottom 0 and years 1.5',
      (t) => (t.lines.S11 = { bottom: 0, years: 1.5 }),
      [
        { field: 'lines.S11.bottom', message: '积分表「lines.S11.bottom」（倒数名次）须为正整数。' },
        { field: 'lines.S11.years', message: '积分表「lines.S11.years」（连续年数）须为正整数。' },
      ],
    ],
    [
      'version not bumped to a positive integer, base negative, id with spaces',
      (t) => Object.assign(t, { version: 0, base: -100, id: 'My Table' }),
      [
        { field: 'id', message: '「id」须为 1–32 位小写字母、数字或下划线。' },
        { field: 'version', message: '「version」须为正整数；每次修改积分表须递增版本号。' },
        { field: 'base', message: '「base」（基础分）须为正数，且为 0.1 的整数倍。' },
      ],
    ],
  ])('%s', (_name, change, expected) => {
    expect(scoreTableProblems(edited(change))).toEqual(expected);
  });

  it('a table that is not an object, or has no lines, is refused outright', () => {
    expect(scoreTableProblems(null)).toEqual([{ field: 'table', message: '积分表须为对象。' }]);
    expect(scoreTableProblems({ id: 'x', version: 2, base: 100 })).toEqual([{ field: 'lines', message: '「lines」须为对象，包含 S1–S11 各条规则。' }]);
  });

  it('S2, S3: an edited but valid table (优秀 +4, quarter +2.5, version 2) passes', () => {
    const t = edited((x) => {
      x.version = 2;
      x.lines.S2.excellent = 4;
      x.lines.S3.perQuarter = 2.5;
    });
    expect(scoreTableProblems(t)).toEqual([]);
  });
});
