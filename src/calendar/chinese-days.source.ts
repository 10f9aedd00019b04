/**
 * HolidaySource backed by the `chinese-days` package (C3: Chinese official holidays and 调休 make-up days).
 *
 * We read the package's published data file (dist/chinese-days.json, documented in its README for direct
 * use) rather than calling isWorkday()/getDayDetail(), for two reasons found in chinese-days 1.5.7:
 *  1. Its functions are time-zone dependent. Both its holiday table (built at load time) and the lookups
 *     parse 'YYYY-MM-DD' as UTC midnight and then read it back with local-time getters, so in any zone west of
 *     UTC (America/*) every answer is shifted by a day: 2,116 wrong days over 2004–2026 under
 *     America/Los_Angeles. The JSON was generated at build time and is plain data, so it is zone-proof.
 *  2. For a year with no State Council notice it silently answers the weekend rule (2027-01-01 "workday").
 *     Here coverage is derived from the data, and kindOf returns undefined outside it, so WorkCalendar
 *     falls back visibly (uncoveredYearsBetween) instead of pretending to know.
 * Coverage is computed from the data, never hard-coded: a newer package version extends it by itself.
 */
import rawData from 'chinese-days/dist/chinese-days.json';
import type { DayKind, HolidaySource } from './work-calendar';
import { assertLocalDate, weekday, yearOf } from './local-date';

/** date → "English name,中文名,festival id", e.g. "Spring Festival,春节,4". */
type DayTable = Readonly<Record<string, string>>;

interface ChineseDaysData {
  /** Days off by notice (statutory days plus the 调休 days moved onto them, weekends inside the break too). */
  holidays: DayTable;
  /** 调休 make-up working days, normally a Saturday or Sunday. */
  workdays: DayTable;
}

function isDayTable(v: unknown): v is DayTable {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

/** Refuse to start on an unexpected layout (a future major version) instead of answering "no holidays". */
function loadData(raw: unknown): ChineseDaysData {
  const r = raw as Partial<Record<keyof ChineseDaysData, unknown>> | null;
  if (!r || !isDayTable(r.holidays) || !isDayTable(r.workdays) || Object.keys(r.holidays).length === 0) {
    throw new Error('chinese-days/dist/chinese-days.json has an unexpected layout; check the package version');
  }
  return { holidays: r.holidays, workdays: r.workdays };
}

/**
 * A year is covered when its notice is in the data, recognised by its 1 January entry: every notice since
 * 1999 lists 元旦 with 1 January off. Counting "any entry dated in year Y" would be wrong at the edges,
 * because a notice's 元旦 block can reach back into the previous December (2019's notice: 2018-12-29
 * make-up workday, 2018-12-30/31 off), so December data of year Y may come from year Y+1's notice.
 */
function coveredYears(data: ChineseDaysData): ReadonlySet<number> {
  const years = new Set<number>();
  for (const date of Object.keys(data.holidays)) {
    if (date.endsWith('-01-01')) years.add(Number(date.slice(0, 4)));
  }
  return years;
}

function chineseName(entry: string | undefined): string | undefined {
  if (entry === undefined) return undefined;
  return entry.split(',')[1]?.trim() || entry;
}

let cached: HolidaySource | undefined;

/** The library-backed source. The data is immutable, so one instance is shared. */
export function chineseDaysSource(): HolidaySource {
  if (cached) return cached;
  const data = loadData(rawData);
  const years = coveredYears(data);
  cached = {
    covers: (year: number) => years.has(year),
    kindOf(date: string): DayKind | undefined {
      assertLocalDate(date);
      if (!years.has(yearOf(date))) return undefined;
      // A make-up day is listed in workdays only; check it first anyway so a weekend inside a break that is
      // also a make-up day (never seen, but cheap to get right) counts as work, as the notice says.
      if (data.workdays[date] !== undefined) return 'workday';
      if (data.holidays[date] !== undefined) return 'restday';
      const dow = weekday(date);
      return dow === 0 || dow === 6 ? 'restday' : 'workday';
    },
    /** '春节' for a day off, '春节调休上班' for its make-up working day, undefined for an ordinary day. */
    name(date: string): string | undefined {
      assertLocalDate(date);
      const work = chineseName(data.workdays[date]);
      if (work !== undefined) return `${work}调休上班`;
      return chineseName(data.holidays[date]);
    },
  };
  return cached;
}
