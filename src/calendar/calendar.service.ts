import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../shared/clock';
import { invalid } from '../shared/errors';
import { chineseDaysSource } from './chinese-days.source';
import { HolidayOverride } from './holiday-override.entity';
import { addDays, isValidLocalDate } from './local-date';

const nextDay = (d: string) => addDays(d, 1);
import { DayKind, WorkCalendar } from './work-calendar';

/** How long an instance trusts its copy of the overrides (an admin's change on another instance shows within this). */
const CACHE_MS = 30_000;

/** C3: the official calendar (chinese-days) plus the admin's override table, rebuilt when an override changes. */
@Injectable()
export class CalendarService {
  private readonly log = new Logger('calendar');
  private readonly source = chineseDaysSource();
  private current: Promise<WorkCalendar & { stamp: string }> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** `em` lets a caller inside a transaction load through its own connection (no second pool connection). */
  calendar(em?: EntityManager): Promise<WorkCalendar & { stamp: string }> {
    // Another instance may have changed an override: read again after a while.
    if (Date.now() - this.loadedAt > CACHE_MS) this.current = null;
    if (this.current) return this.current;
    this.loadedAt = Date.now();
    this.current = (em ?? this.db.manager).find(HolidayOverride).then((rows) => {
      const cal = new WorkCalendar(
        this.source,
        rows.map((r) => ({ date: r.date, kind: r.kind, note: r.note })),
      );
      return Object.assign(cal, {
        stamp: rows
          .map((r) => `${r.date}:${r.kind}`)
          .sort()
          .join(','),
      });
    });
    return this.current;
  }

  /** Logged once per deadline so an admin learns a year needs its holidays entered. */
  warnUncovered(years: number[], context: string): void {
    if (years.length) {
      this.log.warn(
        JSON.stringify({ event: 'calendar_year_uncovered', years, context, hint: '该年度法定节假日尚无官方数据，请管理员在 /api/calendar/overrides 中录入' }),
      );
    }
  }

  /**
   * Issue 15 (日历 page): the days of a year that are not ordinary — the official holidays and 调休 working days
   * (chinese-days, where it covers the year) and the admin's overrides, each with what the day is and why.
   */
  async yearDays(year: number): Promise<{
    year: number;
    officialCovered: boolean;
    covered: boolean;
    days: { date: string; kind: DayKind; name: string | null; source: 'official' | 'override'; officialKind: DayKind | null; note: string }[];
  }> {
    const cal = await this.calendar();
    const overrides = (await this.overrides()).filter((o) => o.date.startsWith(`${year}-`));
    const officialCovered = this.source.covers(year);
    const days = new Map<
      string,
      { date: string; kind: DayKind; name: string | null; source: 'official' | 'override'; officialKind: DayKind | null; note: string }
    >();
    if (officialCovered) {
      for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = nextDay(d)) {
        const name = this.source.name?.(d);
        if (name !== undefined)
          days.set(d, { date: d, kind: this.source.kindOf(d)!, name, source: 'official', officialKind: this.source.kindOf(d)!, note: '' });
      }
    }
    for (const o of overrides) {
      const official = days.get(o.date);
      days.set(o.date, {
        date: o.date,
        kind: o.kind,
        name: official?.name ?? null,
        source: 'override',
        officialKind: officialCovered ? this.source.kindOf(o.date)! : null,
        note: o.note,
      });
    }
    return { year, officialCovered, covered: cal.covers(year), days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
  }

  async overrides(): Promise<HolidayOverride[]> {
    return this.db.getRepository(HolidayOverride).find({ order: { date: 'ASC' } });
  }

  async putOverride(date: string, kind: DayKind, note = ''): Promise<HolidayOverride> {
    if (!isValidLocalDate(date)) throw invalid('CALENDAR.BAD_DATE', `日期「${date}」无效，请写成 2027-01-01 的格式。`, { field: 'date' });
    if (kind !== 'workday' && kind !== 'restday')
      throw invalid('CALENDAR.BAD_KIND', '「日期类型」须为工作日（workday，上班）或休息日（restday，休息）。', { field: 'kind' });
    // Principle 6: recorded at the service's time, not the database server's.
    const saved = await this.db.getRepository(HolidayOverride).save({ date, kind, note, createdAt: this.clock.now() });
    this.current = null;
    return saved;
  }

  async deleteOverride(date: string): Promise<boolean> {
    const r = await this.db.getRepository(HolidayOverride).delete({ date });
    this.current = null;
    return (r.affected ?? 0) > 0;
  }
}
