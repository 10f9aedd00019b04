/**
 * One meaning of overdue (DOMAIN A1, B1, B3, B4, R3). "Overdue" is the unit's: its answering report (反馈, F1) or its
 * closure request (申请办结, D1) did not arrive by the deadline of the current node. A late leader sign-off (D3) does not
 * make the unit late; an item never handed over (已立项, never 交办) is not yet the unit's at all.
 *
 * The fact is stored (item.answered_at: the first standing answer in the current node; cleared when the report is
 * returned, F2, or an extension is approved, E1). Blame follows custody (issue 14): an extension asked in time also
 * stops the unit's clock while the owner decides (a refusal clears it and, with less than a working day left, gives the
 * unit to the next working day's end); a reassignment to another lead unit is that unit's own 交办 (assigned_at, and a
 * deadline not already past for it — custody.rules.ts). The meaning is computed here, and only here — reminders (R3), the A1
 * clue scan, the 台账 lights, the statistics and the 通报 all ask this function (the ledger's SQL filter mirrors it).
 *
 * Pure: the calendar is a parameter; lateness is working time (src/calendar/working-time.ts).
 */
import { workingTimeBetween, WorkdayTest } from '../calendar/working-time';
import { DAY_MS, HOUR_MS } from '../shared/shanghai-time';
import type { ItemState } from '../shared/vocabulary';

/** A1 §5(二) 超过规定落实时限2天以上: 2 working days, and 以上 includes the number (exactly 2 days late is a clue). */
export const OVERDUE_CLUE_AFTER_MS = 2 * DAY_MS;

export interface OverdueFacts {
  state: ItemState;
  assignedAt: Date | null;
  deadlineAt: Date;
  /** When the lead unit answered the current node (report or closure request); null = not (yet). */
  answeredAt: Date | null;
  closedAt: Date | null;
}

export type Standing =
  /** Never handed over (已立项 or 草稿): nothing is the unit's yet. */
  | 'not_assigned'
  /** Not answered, deadline still ahead. */
  | 'not_due'
  | 'answered_on_time'
  | 'answered_late'
  /** Deadline passed, no answer. */
  | 'late';

export interface UnitStanding {
  standing: Standing;
  /** How late, in working time: to the answer if it came, else to `now`. 0 unless answered_late / late. */
  lateMs: number;
  /** The item is closed or archived (the leader signed off). */
  closed: boolean;
  /** The unit has asked for closure and waits: for the owner's review (审核), or the leader's approval (审定). */
  awaiting: 'review' | 'approval' | null;
}

const AWAITING: Partial<Record<ItemState, UnitStanding['awaiting']>> = {
  closure_requested: 'review',
  under_review: 'review',
  pending_approval: 'approval',
};

/** The unit's standing on its item at `now`, with how late in working time. */
export function unitStanding(item: OverdueFacts, now: Date, calendar: WorkdayTest): UnitStanding {
  const s = standingAt(item, now);
  if (s.standing === 'answered_late') return { ...s, lateMs: workingTimeBetween(item.deadlineAt, answerOf(item)!, calendar) };
  if (s.standing === 'late') return { ...s, lateMs: workingTimeBetween(item.deadlineAt, now, calendar) };
  return { ...s, lateMs: 0 };
}

/** The same standing without the calendar (no lateness): what the 台账 light needs. */
export function standingAt(item: OverdueFacts, now: Date): Omit<UnitStanding, 'lateMs'> {
  const closed = item.state === 'closed' || item.state === 'archived';
  const awaiting = AWAITING[item.state] ?? null;
  if (!closed && (item.assignedAt === null || item.state === 'draft' || item.state === 'registered')) {
    return { standing: 'not_assigned', closed, awaiting };
  }
  const answer = answerOf(item);
  if (answer) return { standing: answer.getTime() <= item.deadlineAt.getTime() ? 'answered_on_time' : 'answered_late', closed, awaiting };
  return { standing: now.getTime() <= item.deadlineAt.getTime() ? 'not_due' : 'late', closed, awaiting };
}

/** A closed item whose answer was never recorded (closed before the fact was kept): its closing is the last word we have. */
const answerOf = (item: OverdueFacts): Date | null => item.answeredAt ?? (item.state === 'closed' || item.state === 'archived' ? item.closedAt : null);

/**
 * B3, the 台账 light of an open item: red = the unit is late now (deadline passed, no answer); an answered item is on
 * track (green) whatever waits on the owner or the leader; yellow = unanswered and due within 24 h — or never handed
 * over and past its deadline (a warning for the 立项主体, not the unit's lateness). The ledger SQL (`LIGHT_SQL` in
 * item-queries.service.ts) mirrors this case by case.
 */
export function lightOf(item: OverdueFacts, now: Date): 'green' | 'yellow' | 'red' | 'done' {
  const s = standingAt(item, now);
  if (s.closed || item.state === 'draft') return 'done';
  if (s.standing === 'late') return 'red';
  if (s.standing === 'answered_on_time' || s.standing === 'answered_late') return 'green';
  return item.deadlineAt.getTime() - now.getTime() <= 24 * HOUR_MS ? 'yellow' : 'green';
}

/** The unit is (or was) late. */
export const isLate = (s: UnitStanding) => s.standing === 'late' || s.standing === 'answered_late';

/** A1: late by 2 working days or more (以上 includes the number). */
export const isClueLate = (s: UnitStanding) => isLate(s) && s.lateMs >= OVERDUE_CLUE_AFTER_MS;

/**
 * B1, B4 at a period's end `at` (the 通报 and the statistics look back): the unit had not answered in time — no answer,
 * or one after the deadline — though the deadline had passed by `at` and the item had been handed over before it.
 * The SQL of bulletin-facts.service.ts (`UNIT_LATE_AT`) mirrors this.
 */
export function unitLateAt(item: Pick<OverdueFacts, 'assignedAt' | 'deadlineAt' | 'answeredAt'>, at: Date): boolean {
  if (item.assignedAt === null || item.assignedAt.getTime() >= at.getTime() || item.deadlineAt.getTime() >= at.getTime()) return false;
  return item.answeredAt === null || item.answeredAt.getTime() > item.deadlineAt.getTime();
}

/** B1, B4: a closed item was done on time when the unit's answer (or, for an item closed before answers were kept, its closing) came by the deadline. */
export function closedOnTime(item: Pick<OverdueFacts, 'deadlineAt' | 'answeredAt' | 'closedAt'>): boolean {
  const answer = item.answeredAt ?? item.closedAt;
  return answer !== null && answer.getTime() <= item.deadlineAt.getTime();
}
