/**
 * The deadline policy an admin edits (DOMAIN C3, E1, E2 defaults) and the time nodes it names. Settings stores it;
 * cases/deadline.rules.ts applies it.
 */
import type { Board } from '../shared/vocabulary';

export const TIME_NODES = ['1d', '3d', '7d', '1m'] as const;
export type TimeNode = (typeof TIME_NODES)[number];

/** How a time node counts (C3): N working days, N calendar days or N calendar months after the registration day. */
export const NODE_UNITS = ['working_day', 'calendar_day', 'month'] as const;
export type NodeUnit = (typeof NODE_UNITS)[number];
export interface NodeLength {
  n: number;
  unit: NodeUnit;
}

/** E1: how the days before the deadline day are counted. */
export const DAY_COUNTS = ['working_day', 'calendar_day'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

/** Policy values (defaults in data, see settings). */
export interface DeadlinePolicy {
  defaultNodeByBoard: Record<Board, TimeNode>;
  /**
   * C3 (001 §13): what each time node means. The registration day is not counted; the node ends at dayEnd of a working
   * day (a calendar-day or month node that ends on a rest day moves to the next working day).
   */
  nodes: Record<TimeNode, NodeLength>;
  /** C3: 专项督查 default, in working days. */
  specialWorkingDays: number;
  /** Local time a date-only deadline falls due, 'HH:MM'. */
  dayEnd: string;
  /** C3 (000 §8): 专项督查 may not run longer than this many months unless the 督查室 records an exception. */
  specialCeilingMonths: number;
  /** C3: a deadline further out than this many months needs a reason. */
  reasonBeyondMonths: number;
  /** E1: an extension must be asked for at least this many days before the deadline day… */
  extensionMinDaysBefore: number;
  /** …counted in working days or calendar days (001 §16: 提前2天). */
  extensionDaysUnit: DayCount;
  /** E2: an extended item that cannot finish within this many days of registration moves to 持续跟进. */
  ongoingAfterDays: number;
  /** E2: a key task or reform extended beyond this many calendar months of registration turns to 持续推进 (cases/ongoing.rules.ts). */
  keyTaskOngoingAfterMonths: number;
  /** R7 年底清零: the open key tasks and reforms are listed to their owners on this many last working days of December (0 = off). */
  yearEndCheckWorkingDays: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  defaultNodeByBoard: { daily: '7d', key_task: '1m', reform: '1m', ongoing: '1m' },
  nodes: {
    '1d': { n: 1, unit: 'working_day' },
    '3d': { n: 3, unit: 'working_day' },
    '7d': { n: 7, unit: 'working_day' },
    '1m': { n: 1, unit: 'month' },
  },
  specialWorkingDays: 10,
  dayEnd: '18:00',
  specialCeilingMonths: 1,
  reasonBeyondMonths: 1,
  extensionMinDaysBefore: 2,
  extensionDaysUnit: 'working_day',
  ongoingAfterDays: 7,
  keyTaskOngoingAfterMonths: 1,
  yearEndCheckWorkingDays: 5,
};
