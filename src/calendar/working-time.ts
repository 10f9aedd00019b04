/**
 * The working-time clock (DOMAIN R4, R5, A1, C3): time that passes only on working days. A weekend or an official
 * holiday adds nothing; a working day adds its whole 24 hours (the night of a working day still counts — quiet hours
 * decide when a message is sent, not how late an item is). So "overdue 1 day" for a deadline of Friday 18:00 is
 * Monday 18:00, and a deadline before 劳动节 is not "3 days overdue" when the office reopens.
 *
 * Pure: the calendar is a parameter; instants are Dates, days are Asia/Shanghai local dates.
 */
import { addDays } from './local-date';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';

/** The part of the working-day calendar this clock needs (WorkCalendar satisfies it). */
export interface WorkdayTest {
  isWorkday(date: string): boolean;
}

/** Longest run of rest days walked before the data is called broken (real calendars: ~9, 春节). */
const MAX_WALK_DAYS = 400;

const midnight = (date: string) => shanghaiInstant(date).getTime();

/** `from` moved by `ms` of working time (negative: backwards). A start on a rest day counts from the next (or previous) working day. */
export function addWorkingTime(from: Date, ms: number, calendar: WorkdayTest): Date {
  if (!Number.isFinite(ms)) throw new RangeError(`working time must be finite, got ${ms}`);
  let t = from.getTime();
  let left = Math.abs(ms);
  const forward = ms >= 0;
  let day = shanghaiDate(from);
  for (let walked = 0; walked <= MAX_WALK_DAYS; walked++) {
    if (calendar.isWorkday(day)) {
      const room = forward ? midnight(addDays(day, 1)) - t : t - midnight(day);
      if (left <= room) return new Date(forward ? t + left : t - left);
      left -= room;
    }
    day = addDays(day, forward ? 1 : -1);
    t = forward ? midnight(day) : midnight(addDays(day, 1));
  }
  throw new RangeError(`no working day within ${MAX_WALK_DAYS} days of ${shanghaiDate(from)}: calendar data is broken`);
}

/** Working time in (a, b]: negative when b is before a. */
export function workingTimeBetween(a: Date, b: Date, calendar: WorkdayTest): number {
  if (b.getTime() < a.getTime()) return -workingTimeBetween(b, a, calendar);
  let total = 0;
  for (let day = shanghaiDate(a), n = 0; day <= shanghaiDate(b); day = addDays(day, 1), n++) {
    if (n > 3660) throw new RangeError('workingTimeBetween spans more than ten years');
    if (!calendar.isWorkday(day)) continue;
    const start = Math.max(a.getTime(), midnight(day));
    const end = Math.min(b.getTime(), midnight(day) + DAY_MS);
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
  let day = shanghaiDate(at);
  for (let walked = 0; walked <= MAX_WALK_DAYS; walked++, day = addDays(day, 1)) {
    if (!calendar.isWorkday(day)) continue;
    const open = midnight(day) + offset;
    if (at.getTime() <= open) return new Date(open);
    if (walked === 0) continue; // later than this working morning: the next working day's
  }
  throw new RangeError(`no working day within ${MAX_WALK_DAYS} days of ${shanghaiDate(at)}: calendar data is broken`);
}
