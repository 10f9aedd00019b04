/** The words the reminder schedule and its periodic series share (schedule.rules.ts, periodic.rules.ts), in a file of their own so neither imports the other. */
export type ReminderKind =
  | 'before_deadline'
  | 'after_deadline'
  | 'overdue_urge'
  /** Issue 14: after R4's cadence, a steady, bounded urge (one each working morning) until the unit answers. */
  | 'overdue_follow_up'
  | 'leader_escalation'
  | 'key_supervision'
  | 'weekly'
  | 'month_end_report'
  | 'month_end_urge'
  | 'month_end_escalation'
  | 'quarterly_summary'
  | 'fixed_report'
  | 'rectification_due'
  /** Issue 14: decisions waiting on the owner (办结审核评定, 延期审批) or the leader (D3 审定). */
  | 'review_pending'
  | 'extension_pending'
  | 'approval_pending'
  /**
   * Issue 14 (R10 with A1): an overdue clue opened on the item, told to the unit and the 督查室 by the reminders' digest
   * of that moment (folded into the unit's urge), not by a message of its own. Not planned: the clue opener stores it.
   */
  | 'clue_opened';

/**
 * Who a reminder is for: the lead unit, the 督查室, the owner office (立项主体: its owner-role people), or the owner
 * office's coordinating leader (R4: 分管副秘书长 / 办公厅分管领导; the 督查室 when the office has none). 'leader' (the
 * item's D3 approver) is kept for reminders planned before issue 13; nothing plans it any more.
 */
export type Audience = 'unit' | 'leader' | 'supervision_office' | 'owner' | 'coordinating_leader';

/** The part of calendar/work-calendar.ts the schedule needs (WorkCalendar satisfies it). */
export interface WorkingCalendarLike {
  isWorkday(date: string): boolean;
  addWorkingDays(date: string, n: number): string;
  lastWorkingDayOfMonth(year: number, month: number): string;
}
