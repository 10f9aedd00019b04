import type { WorkCalendar } from '../calendar/work-calendar';
import type { ResolvedDeadline } from './deadline.rules';

/**
 * R9: the deadline of a 整改 order comes from the rectification reminder policy in force (the same instant its
 * reminders use). Cases asks through this port; the reminders module, which owns the policies (R10), answers it — so
 * cases does not import reminders.
 */
export abstract class RectificationDeadlines {
  /** Throws invalid('POLICY.MISSING') when no policy applies to rectification orders. */
  abstract deadline(now: Date, calendar: WorkCalendar): Promise<ResolvedDeadline>;
}
