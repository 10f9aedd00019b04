/**
 * The deadline policy an admin edits (DOMAIN C3, E1, E2 defaults) and the time nodes it names. Settings stores it;
 * cases/deadline.rules.ts applies it.
 */
import type { Board } from '../shared/vocabulary';

export const TIME_NODES = ['1d', '3d', '7d', '1m'] as const;
export type TimeNode = (typeof TIME_NODES)[number];

/** Policy values (defaults in data, see settings). */
export interface DeadlinePolicy {
  defaultNodeByBoard: Record<Board, TimeNode>;
  /** C3: 专项督查 default, in working days. */
  specialWorkingDays: number;
  /** Local time a date-only deadline falls due, 'HH:MM'. */
  dayEnd: string;
  /** C3: a deadline further out than this many months needs a reason. */
  reasonBeyondMonths: number;
  /** E1: an extension must be asked for at least this many days before the deadline. */
  extensionMinDaysBefore: number;
  /** E2: an extended item that cannot finish within this many days of registration moves to 持续跟进. */
  ongoingAfterDays: number;
  /** E2: a key task or reform extended beyond this many calendar months of registration turns to 持续推进 (cases/ongoing.rules.ts). */
  keyTaskOngoingAfterMonths: number;
  /** R7 年底清零: the open key tasks and reforms are listed to their owners on this many last working days of December (0 = off). */
  yearEndCheckWorkingDays: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  defaultNodeByBoard: { daily: '7d', key_task: '1m', reform: '1m', ongoing: '1m' },
  specialWorkingDays: 10,
  dayEnd: '18:00',
  reasonBeyondMonths: 1,
  extensionMinDaysBefore: 2,
  ongoingAfterDays: 7,
  keyTaskOngoingAfterMonths: 1,
  yearEndCheckWorkingDays: 5,
};
