/**
 * C3 working-day calendar against the real chinese-days data. Every expected date below was checked against
 * node_modules/chinese-days/dist/chinese-days.json (1.5.7) and the State Council notices it cites
 * (2025: 国办发明电〔2024〕12号; 2026: gov.cn content_7047091).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chineseDaysSource } from './chinese-days.source';
import { addDays, isValidLocalDate, weekday } from './local-date';
import { CalendarOverride, HolidaySource, WorkCalendar } from './work-calendar';

const lib = chineseDaysSource();
const cal = new WorkCalendar(lib);
/** Weekend rule only: shows which answers come from the holiday data. */
const bare: HolidaySource = { covers: () => false, kindOf: () => undefined };

const kinds = (c: WorkCalendar, dates: string[]) => dates.map((d) => `${d} ${c.kindOf(d)}`);
const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};
const expectAll = (dates: string[], kind: 'workday' | 'restday') => expect(kinds(cal, dates)).toEqual(dates.map((d) => `${d} ${kind}`));

describe('local-date helpers (C3 dates are Asia/Shanghai local dates)', () => {
  it('validates strictly', () => {
    expect(['2024-02-29', '2025-12-31', '0001-01-01'].map(isValidLocalDate)).toEqual([true, true, true]);
    const bad = ['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-2-3', ' 2025-01-01', '2025-01-01T00:00', ''];
    expect(bad.map(isValidLocalDate)).toEqual(bad.map(() => false));
  });
  it('adds days across month, leap day and year ends; weekday is 0 = Sunday', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect([weekday('2026-02-14'), weekday('2025-01-26'), weekday('2025-10-01')]).toEqual([6, 0, 3]);
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2025-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('C3 holidays and 调休 from chinese-days', () => {
  it('C3: 2025 Spring Festival 01-28..02-04 off; make-up Sun 01-26 and Sat 02-08 are workdays', () => {
    expectAll(range('2025-01-28', '2025-02-04'), 'restday');
    expectAll(['2025-01-26', '2025-02-08', '2025-01-27', '2025-02-05'], 'workday');
    expect(new WorkCalendar(bare).kindOf('2025-01-26')).toBe('restday'); // the data, not the weekend rule
    expect(lib.name?.('2025-01-29')).toBe('春节');
    expect(lib.name?.('2025-02-08')).toBe('春节调休上班');
  });
  it('C3: 2025 Labour Day 05-01..05-05 off; make-up Sun 04-27 is a workday', () => {
    expectAll(range('2025-05-01', '2025-05-05'), 'restday');
    expectAll(['2025-04-27', '2025-04-30', '2025-05-06'], 'workday');
  });
  it('C3: 2025 National Day + Mid-Autumn 10-01..10-08 off; make-up Sun 09-28 and Sat 10-11 are workdays', () => {
    expectAll(range('2025-10-01', '2025-10-08'), 'restday');
    expectAll(['2025-09-28', '2025-09-30', '2025-10-09', '2025-10-11'], 'workday');
    expect(lib.name?.('2025-10-06')).toBe('中秋');
  });
  it('C3: 2026 Spring Festival 02-15..02-23 off; make-up Sat 02-14 and Sat 02-28 are workdays', () => {
    expectAll(range('2026-02-15', '2026-02-23'), 'restday');
    expectAll(['2026-02-13', '2026-02-14', '2026-02-24', '2026-02-28'], 'workday');
    expectAll(['2026-03-01'], 'restday');
  });
  it('C3: 2026 Labour Day 05-01..05-05 off; make-up Sat 05-09 is a workday', () => {
    expectAll(range('2026-05-01', '2026-05-05'), 'restday');
    expectAll(['2026-04-30', '2026-05-06', '2026-05-09'], 'workday');
  });
  it('C3: 2026 Mid-Autumn 09-25..27 and National Day 10-01..10-07 off; make-up Sun 09-20 and Sat 10-10', () => {
    expectAll([...range('2026-09-25', '2026-09-27'), ...range('2026-10-01', '2026-10-07')], 'restday');
    expectAll(['2026-09-20', '2026-09-28', '2026-10-08', '2026-10-10'], 'workday');
    expectAll(['2026-10-11'], 'restday');
  });
  it('C3: answers do not depend on the process time zone (chinese-days own API shifts a day west of UTC)', () => {
    // Jest sandboxes process.env, so setting TZ in-process has no effect: ask a real child process instead.
    // Ordinary days matter most: chinese-days' own isWorkday('2026-03-02') (a Monday) says rest at UTC-8.
    const script = `
      const { chineseDaysSource } = require(${JSON.stringify(join(__dirname, 'chinese-days.source.ts'))});
      const s = chineseDaysSource();
      const days = ['2025-01-26', '2025-01-28', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-07'];
      console.log(JSON.stringify({ offset: new Date(0).getTimezoneOffset(), kinds: days.map((d) => s.kindOf(d)) }));`;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      offset: 480, // proves the child really ran at UTC-8
      kinds: ['workday', 'restday', 'workday', 'restday', 'workday', 'restday'],
    });
  }, 30_000);
  it('C3: coverage comes from the data: 2004..2026 covered, 2003 and 2027 not (chinese-days 1.5.7)', () => {
    // When a package upgrade adds 2027, move the 2027 expectations here and below to the next year.
    expect([2003, 2004, 2019, 2025, 2026, 2027].map((y) => lib.covers(y))).toEqual([false, true, true, true, true, false]);
    expect(lib.kindOf('2027-01-01')).toBeUndefined();
  });
});

describe('C3 working-day arithmetic', () => {
  it('C3: 10 working days from 2026-02-10 cross 春节 and both make-up Saturdays → 2026-03-02', () => {
    expect(cal.addWorkingDays('2026-02-10', 10)).toBe('2026-03-02');
    expect(new WorkCalendar(bare).addWorkingDays('2026-02-10', 10)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-10', 4)).toBe('2026-02-14'); // make-up Saturday counts
    expect(cal.addWorkingDays('2026-02-10', 5)).toBe('2026-02-24'); // the whole break is skipped
  });
  it('C3: across 2025 National Day: the make-up Sunday counts, the 8-day break does not', () => {
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    expect(cal.addWorkingDays('2025-09-26', 4)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-09-26', 6)).toBe('2025-10-11');
    expect(cal.addWorkingDays('2025-09-26', 7)).toBe('2025-10-13');
  });
  it('C3: the start day is not counted; n = 0 returns the date itself, even a holiday', () => {
    expect(cal.addWorkingDays('2025-10-03', 0)).toBe('2025-10-03');
    expect(cal.addWorkingDays('2025-10-03', 1)).toBe('2025-10-09');
  });
  it('C3: workingDaysBetween counts (from, to]', () => {
    expect(cal.workingDaysBetween('2026-02-10', '2026-03-02')).toBe(10);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-11')).toBe(3);
    expect(cal.workingDaysBetween('2025-10-11', '2025-09-30')).toBe(0);
    expect(cal.workingDaysBetween('2025-10-09', '2025-10-09')).toBe(0);
  });
  it('C3/R7: last working day of a month ending on a holiday, a weekend, or a make-up Saturday', () => {
    expect(cal.lastWorkingDayOfMonth(2025, 1)).toBe('2025-01-27'); // 01-28..31 春节
    expect(cal.lastWorkingDayOfMonth(2025, 5)).toBe('2025-05-30'); // 05-31 Sat, 端午
    expect(cal.lastWorkingDayOfMonth(2026, 1)).toBe('2026-01-30'); // 01-31 Sat
    expect(cal.lastWorkingDayOfMonth(2026, 2)).toBe('2026-02-28'); // make-up Saturday
    expect(cal.lastWorkingDayOfMonth(2025, 9)).toBe('2025-09-30');
  });
});

describe('C3 admin overrides and uncovered years', () => {
  const overrides: CalendarOverride[] = [
    { date: '2025-10-02', kind: 'workday', note: 'duty day' },
    { date: '2025-10-09', kind: 'restday', note: 'local holiday' },
    { date: '2026-02-28', kind: 'restday' },
  ];
  const withOverrides = new WorkCalendar(lib, overrides);

  it('C3: an override beats the library both ways (holiday → workday, weekday → rest, make-up day → rest)', () => {
    expect(kinds(withOverrides, ['2025-10-02', '2025-10-09', '2026-02-28', '2025-10-03'])).toEqual([
      '2025-10-02 workday',
      '2025-10-09 restday',
      '2026-02-28 restday',
      '2025-10-03 restday',
    ]);
    expect(withOverrides.addWorkingDays('2025-09-30', 1)).toBe('2025-10-02');
    expect(withOverrides.addWorkingDays('2025-10-02', 1)).toBe('2025-10-10');
    expect(withOverrides.lastWorkingDayOfMonth(2026, 2)).toBe('2026-02-27');
  });
  it('C3: 2027 is not covered: weekend rule only, and callers are told', () => {
    expect(cal.covers(2027)).toBe(false);
    expect(kinds(cal, ['2027-01-01', '2027-01-02'])).toEqual(['2027-01-01 workday', '2027-01-02 restday']);
    expect(cal.addWorkingDays('2026-12-25', 5)).toBe('2027-01-01');
    expect(cal.uncoveredYearsBetween('2026-12-01', '2027-01-15')).toEqual([2027]);
    expect(cal.uncoveredYearsBetween('2028-03-01', '2026-03-01')).toEqual([2027, 2028]);
    expect(cal.uncoveredYearsBetween('2025-01-01', '2026-12-31')).toEqual([]);
  });
  it('C3: one admin override in 2027 makes the admin responsible for 2027: covered, no warning', () => {
    const c = new WorkCalendar(lib, [{ date: '2027-01-01', kind: 'restday', note: '元旦' }]);
    expect(c.covers(2027)).toBe(true);
    expect(c.kindOf('2027-01-01')).toBe('restday');
    expect(c.kindOf('2027-01-04')).toBe('workday');
    expect(c.uncoveredYearsBetween('2026-12-01', '2027-01-15')).toEqual([]);
    expect(c.uncoveredYearsBetween('2026-12-01', '2028-01-15')).toEqual([2028]);
  });
});

describe('C3 bad input is refused with RangeError', () => {
  it.each([
    ['kindOf impossible date', () => cal.kindOf('2025-02-30')],
    ['kindOf loose format', () => cal.kindOf('2025-2-3')],
    ['negative n', () => cal.addWorkingDays('2025-01-02', -1)],
    ['fractional n', () => cal.addWorkingDays('2025-01-02', 1.5)],
    ['NaN n', () => cal.addWorkingDays('2025-01-02', Number.NaN)],
    ['between bad date', () => cal.workingDaysBetween('2025-01-02', '2025-01-32')],
    ['month 13', () => cal.lastWorkingDayOfMonth(2025, 13)],
    ['month 0', () => cal.lastWorkingDayOfMonth(2025, 0)],
    ['fractional year', () => cal.covers(2025.5)],
    ['bad override date', () => new WorkCalendar(lib, [{ date: '2025-02-29', kind: 'restday' }])],
    ['bad override kind', () => new WorkCalendar(lib, [{ date: '2025-02-28', kind: 'holiday' as 'restday' }])],
    [
      'conflicting overrides',
      () =>
        new WorkCalendar(lib, [
          { date: '2025-02-28', kind: 'restday' },
          { date: '2025-02-28', kind: 'workday' },
        ]),
    ],
  ])('C3: %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
  it('C3: a month made entirely of rest days has no last working day', () => {
    const allRest = range('2025-03-01', '2025-03-31').map((date): CalendarOverride => ({ date, kind: 'restday' }));
    expect(() => new WorkCalendar(lib, allRest).lastWorkingDayOfMonth(2025, 3)).toThrow(RangeError);
  });
});
