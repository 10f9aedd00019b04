import type { EntityManager } from 'typeorm';

/**
 * R10 for every notice (issue 14): when a message written at `at` may reach people — `at` itself, or, in quiet hours
 * (22:00–08:00) or on a rest day, the next working morning. The outbox only knows this port; the reminders layer
 * implements it with the very hold reminders use (QuietHold: the default policy's quiet hours and quiet days, the
 * working calendar) and registers it under QUIET_HOURS. Without it (a module wired without reminders) nothing is held.
 */
export interface QuietHours {
  sendAt(at: Date, em?: EntityManager): Promise<Date>;
}

export const QUIET_HOURS = Symbol('QUIET_HOURS');
