/**
 * The working-time clock (DOMAIN R4, R5, A1, C3): time that passes only on working days. A weekend or an official
 * holiday adds nothing; a working day adds its whole 24 hours (the night of a working day still counts — quiet hours
 * decide when a message is sent, not how late an item is). So "overdue 1 day" for a deadline of Friday 18:00 is
 * Monday 18:00, and a deadline before 劳动节 is not "3 days overdue" when the office reopens.
 *
 * Pure: the calendar is a parameter; instants are Dates, days are Asia/Shanghai local dates. The tick plans hundreds of
 * thousands of items with these functions, so days are handled as numbers (days since the epoch, Shanghai) and each
 * calendar's answer for a day is remembered — the calendar object is replaced whenever its data changes.
 */
import { DAY_MS, HOUR_MS } from '../shared/shanghai-time';

/** The part of the working-day calendar this clock needs (WorkCalendar satisfies it). */
export interface WorkdayTest {
  isWorkday(date: string): boolean;
}

/** Longest run of rest days walked before the data is called broken (real calendars: ~9, 春节). */
const MAX_WALK_DAYS = 400;
const OFFSET_MS = 8 * HOUR_MS; // UTC+8, no daylight saving since 1991

/** Shanghai day number of an instant, and the instant its day begins. */
const dayOf = (t: number) => Math.floor((t + OFFSET_MS) / DAY_MS);
const startOf = (day: number) => day * DAY_MS - OFFSET_MS;

const answers = new WeakMap<WorkdayTest, Map<number, boolean>>();

/** Whether Shanghai day number `day` is a working day, asked of the calendar once per calendar and day. */
function workday(calendar: WorkdayTest, day: number): boolean {
  let known = answers.get(calendar);
  if (!known) answers.set(calendar, (known = new Map()));
  let yes = known.get(day);
  if (yes === undefined) {
    yes = calendar.isWorkday(new Date(day * DAY_MS).toISOString().slice(0, 10));
    known.set(day, yes);
  }
  return yes;
}

/** Whether the instant falls on a working day (Shanghai). */
export function isWorkdayAt(at: Date, calendar: WorkdayTest): boolean {
  return workday(calendar, dayOf(at.getTime()));
}

/** `from` moved by `ms` of working time (negative: backwards). A start on a rest day counts from the next (or previous) working day. */
export function addWorkingTime(from: Date, ms: number, calendar: WorkdayTest): Date {
  if (!Number.isFinite(ms)) throw new RangeError(`working time must be finite, got ${ms}`);
  let t = from.getTime();
  let left = Math.abs(ms);
  const forward = ms >= 0;
  let day = dayOf(t);
  for (let walked = 0; walked <= MAX_WALK_DAYS; walked++) {
    if (workday(calendar, day)) {
      const room = forward ? startOf(day + 1) - t : t - startOf(day);
      if (left <= room) return new Date(forward ? t + left : t - left);
      left -= room;
    }
    day += forward ? 1 : -1;
    t = forward ? startOf(day) : startOf(day + 1);
  }
  throw new RangeError(`no working day within ${MAX_WALK_DAYS} days of ${from.toISOString()}: calendar data is broken`);
}

/** Working time in (a, b]: negative when b is before a. */
export function workingTimeBetween(a: Date, b: Date, calendar: WorkdayTest): number {
  if (b.getTime() < a.getTime()) return -workingTimeBetween(b, a, calendar);
  const last = dayOf(b.getTime());
  let total = 0;
  for (let day = dayOf(a.getTime()); day <= last; day++) {
    if (day - dayOf(a.getTime()) > 3660) throw new RangeError('workingTimeBetween spans more than ten years');
    if (!workday(calendar, day)) continue;
    const start = Math.max(a.getTime(), startOf(day));
    const end = Math.min(b.getTime(), startOf(day + 1));
    if (end > start) total += end - start;
  }
  return total;
}

/**
 * The first instant at or after `at` that is on a working day at or after `morning` ('HH:MM', the end of quiet hours):
 * where a message due at night, on a weekend or on a holiday is held to (R4, R10).
 */
export function nextWorkingMorning(at: Date, morning: string, calendar: WorkdayTest): Date {
  const [h, m] = morning.split(':').map(Number);
  const offset = h * HOUR_MS + m * 60_000;
  const first = dayOf(at.getTime());
  for (let day = first; day <= first + MAX_WALK_DAYS; day++) {
    if (!workday(calendar, day)) continue;
    const open = startOf(day) + offset;
    if (at.getTime() <= open) return new Date(open);
  }
  throw new RangeError(`no working day within ${MAX_WALK_DAYS} days of ${at.toISOString()}: calendar data is broken`);
}
