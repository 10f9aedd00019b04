/**
 * Date-based reminder series (R2 weekly, E2, R6 month-end reports, R7 季度小结, R8 fixed report dates) for
 * schedule.rules.ts. Pure: the calendar and the window are parameters. Each series is generated only near
 * [from, until) so that a tick over a million open items stays cheap, however old an item is.
 */
import { addDays, daysInMonth, localDate } from '../calendar/local-date';
import type { Board } from '../shared/vocabulary';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiInstant, shanghaiYear } from '../shared/shanghai-time';
import type { ReminderPolicy } from './reminder.policy';
import type { Audience, ReminderKind, WorkingCalendarLike } from './schedule.types';
import { addWorkingTime } from '../calendar/working-time';

/** A reminder before R3 and de-duplication: answeredFrom null = no report ever makes it pointless. */
export interface Candidate {
  kind: ReminderKind;
  dueAt: Date;
  rule: string;
  audience: Audience;
  answeredFrom: number | null;
}

export interface PeriodicContext {
  policy: ReminderPolicy;
  calendar: WorkingCalendarLike;
  from: Date;
  until: Date;
  startAt: Date;
  deadline: Date;
  board: Board;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const TIMES_OF_DAY = new Map<string, number>();

/** Milliseconds after local midnight of a 'HH:MM' policy time; throws on anything else. */
export function timeOfDayMs(hhmm: string): number {
  // Issue 17: asked twice per reminder planned (quiet hours); a policy has a handful of times.
  const known = TIMES_OF_DAY.get(hhmm);
  if (known !== undefined) return known;
  const ms = parseTimeOfDay(hhmm);
  if (TIMES_OF_DAY.size < 1000) TIMES_OF_DAY.set(hhmm, ms);
  return ms;
}

function parseTimeOfDay(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`time of day must be HH:MM (00:00–23:59), got ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * HOUR_MS + Number(m[2]) * 60_000;
}

/** The instant of a Shanghai local date at a validated 'HH:MM'. */
function at(date: string, hhmm: string): Date {
  return new Date(shanghaiInstant(date).getTime() + timeOfDayMs(hhmm));
}

/** Nearest working day from date in direction step (+1 on or after, -1 on or before); refuses broken data. */
function nearestWorkday(date: string, step: 1 | -1, calendar: WorkingCalendarLike): string {
  let d = date;
  for (let i = 0; i <= 366; i++, d = addDays(d, step)) if (calendar.isWorkday(d)) return d;
  throw new RangeError(`no working day within a year of ${date}: calendar data is broken`);
}

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/**
 * R2 (daily board): 对推进1个月以上的事项…每周短信提醒一次; E2 (ongoing): 每周发送短信提醒. Applies when the node
 * (start → deadline) spans at least weeklyWhenLongerThanDays. Every 7 days from the node start, at notifyAt;
 * a date that is a rest day moves to the next working day (two weeks pushed onto one day by a long holiday
 * become one reminder). They stop at the deadline, where R1/R4/R5 take over. Answered by a report in the 7 days before.
 */
export function weeklyReminders(ctx: PeriodicContext): Candidate[] {
  const { policy, calendar, from, until, startAt, deadline } = ctx;
  const minDays = policy.weeklyWhenLongerThanDays;
  const start = startAt.getTime();
  if (minDays === undefined || deadline.getTime() - start < minDays * DAY_MS) return [];
  const rule = ctx.board === 'ongoing' ? 'E2' : 'R2';
  const anchor = shanghaiDate(startAt);
  const stop = Math.min(deadline.getTime(), until.getTime());
  const out: Candidate[] = [];
  // Start two weeks before `from`: a holiday can push a week's reminder forward by up to ~9 days.
  for (let k = Math.max(1, Math.floor((from.getTime() - start) / (7 * DAY_MS)) - 2); ; k++) {
    const date = addDays(anchor, 7 * k);
    if (at(date, policy.notifyAt).getTime() >= stop) break;
    const dueAt = at(nearestWorkday(date, 1, calendar), policy.notifyAt);
    if (dueAt.getTime() >= deadline.getTime()) continue;
    out.push({ kind: 'weekly', dueAt, rule, audience: 'unit', answeredFrom: dueAt.getTime() - 7 * DAY_MS + 1 });
  }
  return out;
}

/**
 * R6's urge days of a month: 从下月1日开始…连续提醒2日. With quiet days (the default) the first urgeDays WORKING
 * days from the 1st — nobody is urged on a holiday, and the urges are not all held onto one morning: April 2026's
 * report is urged on 05-06 and 05-07 (05-01…05-05 劳动节), September's on 10-08 and 10-09. quietDays false: the
 * first urgeDays calendar days, literally.
 */
function urgeDates(first: string, urgeDays: number, policy: ReminderPolicy, calendar: WorkingCalendarLike): string[] {
  const out: string[] = [];
  for (let d = first, i = 0; out.length < urgeDays; d = addDays(d, 1), i++) {
    if (i > 366) throw new RangeError(`no working day within a year of ${first}: calendar data is broken`);
    if (policy.quietDays === false || calendar.isWorkday(d)) out.push(d);
  }
  return out;
}

/**
 * R6: 每月底前…反馈. For each calendar month M after the month the node started in (that month is covered
 * by the item's own node, key_task default 1m): a notice on the last working day of M at notifyAt; if
 * unanswered, urges at urgeAt (08:00, 15:00) on the urge days of M+1 (urgeDates: the first 2 working days);
 * at the last urge the owner is told too (仍未反馈的由立项主体催办); and "超过时限2日" after the end of M — 2 days
 * of working time by default (overdueClock), so 00:00 after the 2nd working day — the 督查室 (核查问责).
 * R3: one report belongs to one reporting month, from the day after M's urge days to the last urge day of M+1 —
 * a report on the 2nd working day of April is March's late report, one after it is April's.
 */
export function monthEndReminders(ctx: PeriodicContext): Candidate[] {
  const { policy, calendar, from, until, startAt } = ctx;
  const me = policy.monthEndReport;
  if (!me) return [];
  const out: Candidate[] = [];
  const lo = Math.max(monthIndex(shanghaiDate(startAt)) + 1, monthIndex(shanghaiDate(from)) - 1);
  for (let mi = lo; mi <= monthIndex(shanghaiDate(until)); mi++) {
    const y = Math.floor(mi / 12);
    const m = (mi % 12) + 1;
    const first = localDate(y, m, 1);
    const nextFirst = localDate(Math.floor((mi + 1) / 12), ((mi + 1) % 12) + 1, 1);
    const ownUrges = urgeDates(first, me.urgeDays, policy, calendar);
    const answeredFrom = shanghaiInstant(ownUrges.length ? addDays(ownUrges[ownUrges.length - 1], 1) : first).getTime();
    const push = (kind: ReminderKind, dueAt: Date, audience: Audience) => out.push({ kind, dueAt, rule: 'R6', audience, answeredFrom });
    push('month_end_report', at(calendar.lastWorkingDayOfMonth(y, m), policy.notifyAt), 'unit');
    let last: Date | undefined;
    for (const day of urgeDates(nextFirst, me.urgeDays, policy, calendar)) {
      for (const t of me.urgeAt) {
        const dueAt = at(day, t);
        push('month_end_urge', dueAt, 'unit');
        if (!last || dueAt.getTime() > last.getTime()) last = dueAt;
      }
    }
    if (last) push('month_end_urge', last, 'owner');
    const monthEnd = shanghaiInstant(nextFirst);
    const late = me.escalateAfterDays * DAY_MS;
    push(
      'month_end_escalation',
      (policy.overdueClock ?? 'working') === 'working' ? addWorkingTime(monthEnd, late, calendar) : new Date(monthEnd.getTime() + late),
      'supervision_office',
    );
  }
  return out;
}

/**
 * R7: 每季度最后一个工作日(第四季度提前一周). Q1–Q3: the last working day of Mar/Jun/Sep. Q4: "one week earlier"
 * = 7 calendar days before the last working day of December, then the nearest working day on or before it
 * (never later, so the summary still comes a week early).
 */
export function quarterlySummaryDate(year: number, quarter: 1 | 2 | 3 | 4, calendar: WorkingCalendarLike): string {
  if (quarter < 4) return calendar.lastWorkingDayOfMonth(year, quarter * 3);
  return nearestWorkday(addDays(calendar.lastWorkingDayOfMonth(year, 12), -7), -1, calendar);
}

/** R7 reminders at notifyAt on the due day. The summary is a 书面报告 to the owner, not a 反馈, so R3 never cancels it. */
export function quarterlyReminders(ctx: PeriodicContext): Candidate[] {
  const { policy, calendar, from, until } = ctx;
  if (!policy.quarterlySummary) return [];
  const out: Candidate[] = [];
  for (let y = shanghaiYear(from); y <= shanghaiYear(until); y++) {
    for (const q of [1, 2, 3, 4] as const) {
      const dueAt = at(quarterlySummaryDate(y, q, calendar), policy.notifyAt);
      out.push({ kind: 'quarterly_summary', dueAt, rule: 'R7', audience: 'unit', answeredFrom: null });
    }
  }
  return out;
}

/** R8: the report dates of one year, sorted; a day past the month's end means its last day. */
export function fixedReportDays(spec: NonNullable<ReminderPolicy['fixedReportDates']>, year: number): string[] {
  const pairs = Array.isArray(spec)
    ? spec.flatMap((s) => s.months.map((m) => [m, s.day] as const))
    : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((m) => spec.monthly.map((d) => [m, d] as const));
  const days = pairs.map(([m, d]) => {
    if (!Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(d) || d < 1) throw new RangeError(`bad fixed report date: month ${m} day ${d}`);
    return localDate(year, m, Math.min(d, daysInMonth(year, m)));
  });
  return [...new Set(days)].sort();
}

/**
 * R8: 于每年4月10日、7月10日、10月10日、12月10日…反馈 / 每月10日. Reminder at notifyAt on the date; when the date
 * is a rest day, on the last working day before it, so the unit is told while it can still report
 * (2026-10-10 is a 国庆 调休 Saturday — a working day, it stays). R3: answered by a report since the previous date.
 */
export function fixedReportReminders(ctx: PeriodicContext): Candidate[] {
  const { policy, calendar, from, until, startAt } = ctx;
  const spec = policy.fixedReportDates;
  if (!spec) return [];
  const out: Candidate[] = [];
  let answeredFrom = startAt.getTime();
  for (let y = Math.max(shanghaiYear(startAt), shanghaiYear(from) - 1); y <= shanghaiYear(until); y++) {
    for (const date of fixedReportDays(spec, y)) {
      const dueAt = at(nearestWorkday(date, -1, calendar), policy.notifyAt);
      out.push({ kind: 'fixed_report', dueAt, rule: 'R8', audience: 'unit', answeredFrom });
      answeredFrom = Math.max(answeredFrom, dueAt.getTime() + 1);
    }
  }
  return out;
}
