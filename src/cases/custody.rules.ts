/**
 * Blame follows custody (issue 14; DOMAIN A1, P2, P4, C3): a unit's time runs only from its own 交办. When the 督查室
 * gives an open, already handed-over item to another lead unit, that moment is the new unit's 交办 — it must not
 * inherit a deadline that is already past (or about to pass) for it, nor the old unit's answer.
 *
 * The choice (tested in custody.rules.spec.ts): the new unit keeps the item's deadline when at least one full working
 * day is still ahead of it (the office's plan stands and the unit has a working day to act); otherwise it gets the
 * item's original time node — the working days the office gave from registration to the deadline, C3 counting from
 * the day after — again from the reassignment day, ending at the day end of a working day. One working day is the
 * smallest node the rules know (1d), so no unit is ever given less.
 *
 * Pure: the calendar is a parameter.
 */
import type { WorkingDays } from './deadline.rules';
import { addDays } from '../calendar/local-date';
import { shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';

/** C3: working days after `fromDay` up to and including `toDay` (the registration day is not counted); at least 1. */
export function nodeWorkingDays(fromDay: string, toDay: string, calendar: Pick<WorkingDays, 'isWorkday'>): number {
  let n = 0;
  // Bounded: a node is at most a year or so; 800 days covers any deadline the rules allow.
  for (let d = addDays(fromDay, 1), k = 0; d <= toDay && k < 800; d = addDays(d, 1), k++) if (calendar.isWorkday(d)) n++;
  return Math.max(1, n);
}

/** The new lead unit's deadline when the 督查室 reassigns an item at `now` (see above). Returns the old one when it stands. */
export function deadlineForNewLeadUnit(
  item: { registeredAt: Date; deadlineAt: Date },
  now: Date,
  calendar: Pick<WorkingDays, 'isWorkday' | 'addWorkingDays'>,
  dayEnd: string,
): Date {
  const today = shanghaiDate(now);
  const deadlineDay = shanghaiDate(item.deadlineAt);
  // A full working day ahead: the deadline falls on the next working day after today, or later.
  if (item.deadlineAt.getTime() > now.getTime() && deadlineDay >= calendar.addWorkingDays(today, 1)) return item.deadlineAt;
  const node = nodeWorkingDays(shanghaiDate(item.registeredAt), deadlineDay, calendar);
  return shanghaiInstant(calendar.addWorkingDays(today, node), dayEnd);
}

/**
 * E1 refused (issue 14): a unit that asked for an extension in time waited on the owner's decision. If the refusal
 * comes with less than one working day left (or after the deadline), the unit has until the day end of the next working
 * day — the owner's time deciding is not the unit's lateness; otherwise the deadline stands.
 */
export function deadlineAfterRefusal(deadlineAt: Date, now: Date, calendar: Pick<WorkingDays, 'addWorkingDays'>, dayEnd: string): Date {
  const next = calendar.addWorkingDays(shanghaiDate(now), 1);
  if (deadlineAt.getTime() > now.getTime() && shanghaiDate(deadlineAt) >= next) return deadlineAt;
  return shanghaiInstant(next, dayEnd);
}
