/**
 * The working-day calendar behind C3 deadlines ("N 工作日": Chinese official holidays and 调休 make-up
 * working days respected) and month/quarter-end dates (R6, R7). Pure rule core: no framework, no clock,
 * no I/O — the holiday data and the admin overrides are passed in.
 *
 * Every date is a local Asia/Shanghai date written 'YYYY-MM-DD'. ISO strings compare in date order,
 * so plain string comparison is used for ordering.
 */
import { addDays, assertInteger, assertLocalDate, daysInMonth, localDate, weekday, yearOf } from './local-date';

export type DayKind = 'workday' | 'restday';

/** An administrator's correction for one date (e.g. a late State Council notice, a local 调休). */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
  note?: string;
}

/** Base data from a maintained library. kindOf answers only for years it covers. */
export interface HolidaySource {
  covers(year: number): boolean;
  kindOf(date: string): DayKind | undefined;
  name?(date: string): string | undefined;
}

/**
 * Longest run of consecutive rest days tolerated while searching for a working day. Real calendars never
 * exceed ~9 (春节 2026); a year-long run means broken data, and must not become an endless loop.
 */
const MAX_REST_RUN = 366;

export class WorkCalendar {
  private readonly overrides = new Map<string, DayKind>();
  private readonly overrideYears = new Set<number>();

  constructor(
    private readonly source: HolidaySource,
    overrides: readonly CalendarOverride[] = [],
  ) {
    for (const o of overrides) {
      assertLocalDate(o.date, 'override date');
      if (o.kind !== 'workday' && o.kind !== 'restday') {
        throw new RangeError(`override kind for ${o.date} must be 'workday' or 'restday', got ${JSON.stringify(o.kind)}`);
      }
      // Two contradicting admin entries for one day are a data error: refuse rather than guess which wins.
      const prev = this.overrides.get(o.date);
      if (prev !== undefined && prev !== o.kind) {
        throw new RangeError(`conflicting overrides for ${o.date}: ${prev} and ${o.kind}`);
      }
      this.overrides.set(o.date, o.kind);
      this.overrideYears.add(yearOf(o.date));
    }
  }

  /** C3: admin override > library (only for a year it covers) > weekend rule (Saturday/Sunday rest). */
  kindOf(date: string): DayKind {
    assertLocalDate(date);
    const override = this.overrides.get(date);
    if (override) return override;
    // Gate on covers() ourselves as well: a raw library answers "weekend rule" for years it has no
    // notice for (chinese-days does for 2027), which would hide the missing data.
    if (this.source.covers(yearOf(date))) {
      const lib = this.source.kindOf(date);
      if (lib) return lib;
    }
    const dow = weekday(date);
    return dow === 0 || dow === 6 ? 'restday' : 'workday';
  }

  isWorkday(date: string): boolean {
    return this.kindOf(date) === 'workday';
  }

  /**
   * C3: true when the library has the State Council notice for the year, or the admin entered at least one
   * override in it — the admin then answers for that year's holidays, and callers stop warning.
   */
  covers(year: number): boolean {
    assertInteger(year, 'year');
    return this.source.covers(year) || this.overrideYears.has(year);
  }

  /**
   * C3: the n-th working day AFTER date — the start day itself never counts, whatever its kind, because a
   * deadline "N 工作日" runs from the day after the assignment. n = 0 returns date unchanged.
   */
  addWorkingDays(date: string, n: number): string {
    assertLocalDate(date);
    assertInteger(n, 'n');
    if (n < 0) throw new RangeError(`n must be >= 0, got ${n}`);
    let d = date;
    let left = n;
    let restRun = 0;
    while (left > 0) {
      d = addDays(d, 1);
      if (this.isWorkday(d)) {
        left--;
        restRun = 0;
      } else if (++restRun > MAX_REST_RUN) {
        throw new RangeError(`no working day in the ${MAX_REST_RUN} days before ${d}: calendar data is broken`);
      }
    }
    return d;
  }

  /** C3: number of working days in (from, to] — what has been used of a deadline; 0 when to <= from. */
  workingDaysBetween(from: string, to: string): number {
    assertLocalDate(from, 'from');
    assertLocalDate(to, 'to');
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
      if (this.isWorkday(d)) count++;
    }
    return count;
  }

  /** R6/R7: the last working day of a month (1..12) — month-end reports and 季度小结 fall due on it. */
  lastWorkingDayOfMonth(year: number, month: number): string {
    assertInteger(year, 'year');
    assertInteger(month, 'month');
    if (month < 1 || month > 12) throw new RangeError(`month must be 1..12, got ${month}`);
    const first = localDate(year, month, 1);
    for (let d = localDate(year, month, daysInMonth(year, month)); d >= first; d = addDays(d, -1)) {
      if (this.isWorkday(d)) return d;
    }
    // Only reachable through overrides marking a whole month as rest: refuse rather than leave the month.
    throw new RangeError(`${year}-${String(month).padStart(2, '0')} has no working day`);
  }

  /**
   * C3: years touched by the range (either order, both ends included) that covers() is false for. A deadline
   * computed across such a year used the weekend rule only, so the caller must warn that holidays are unknown.
   */
  uncoveredYearsBetween(from: string, to: string): number[] {
    assertLocalDate(from, 'from');
    assertLocalDate(to, 'to');
    const a = yearOf(from);
    const b = yearOf(to);
    const out: number[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (!this.covers(y)) out.push(y);
    return out;
  }
}
