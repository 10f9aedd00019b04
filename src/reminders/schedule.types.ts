/** The words the reminder schedule and its periodic series share (schedule.rules.ts, periodic.rules.ts), in a file of their own so neither imports the other. */
export type ReminderKind =
  | 'before_deadline'
  | 'after_deadline'
  | 'overdue_urge'
  | 'leader_escalation'
  | 'key_supervision'
  | 'weekly'
  | 'month_end_report'
  | 'month_end_urge'
  | 'month_end_escalation'
  | 'quarterly_summary'
  | 'fixed_report'
  | 'rectification_due';

export type Audience = 'unit' | 'leader' | 'supervision_office' | 'owner';

/** The part of calendar/work-calendar.ts the schedule needs (WorkCalendar satisfies it). */
export interface WorkingCalendarLike {
  isWorkday(date: string): boolean;
  addWorkingDays(date: string, n: number): string;
  lastWorkingDayOfMonth(year: number, month: number): string;
}
