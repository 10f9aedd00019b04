/**
 * Pure schedule computation for reminders (DOMAIN R1–R10, E2; issue 6 scope 2, and the quiet-hours and
 * coalescing logic of scope 3). No framework, no clock, no I/O: the item, its policy, the calendar and the
 * window [from, until) are parameters, and the same input always gives the same reminders with the same keys.
 *
 * Instants are Dates (UTC inside); every wall-clock rule is read in Asia/Shanghai (UTC+8, no DST).
 */
import type { Board, ItemState, Source } from '../shared/vocabulary';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import type { ReminderPolicy } from './reminder.policy';
import { fixedReportReminders, monthEndReminders, quarterlyReminders, timeOfDayMs, weeklyReminders } from './periodic.rules';
import type { Candidate } from './periodic.rules';
import type { Audience, ReminderKind, WorkingCalendarLike } from './schedule.types';

export { fixedReportDays, quarterlySummaryDate, timeOfDayMs } from './periodic.rules';
export type { Audience, ReminderKind, WorkingCalendarLike } from './schedule.types';

export interface PlannedReminder {
  kind: ReminderKind;
  dueAt: Date;
  /** The DOMAIN rule that produced it: 'R1' … 'R9', 'E2'. */
  rule: string;
  audience: Audience;
  /** Idempotency key, stable across runs and policy versions: `${itemId}:${kind}:${audience}:${dueAt ISO}`. */
  key: string;
}

export interface ScheduleInput {
  item: {
    id: number;
    board: Board;
    source: Source;
    state: ItemState;
    registeredAt: Date;
    deadlineAt: Date;
    /** The latest report that still stands (a returned report, F2, does not count — the caller leaves it out). */
    lastReportAt: Date | null;
    /**
     * R3 + A1: when the unit answered the current node (item.answered_at — its first standing report or closure
     * request; cleared by a return or an extension). When given, it alone answers the deadline node's reminders
     * (R1/R4/R5/R9), so reminders and the A1 clue agree (cases/overdue.rules); absent, lastReportAt does.
     */
    answeredAt?: Date | null;
    kind?: 'rectification';
    /** When the current node began: registration, or the approval of the latest extension (E1/E2). Default registeredAt. */
    nodeStartAt?: Date;
  };
  policy: ReminderPolicy;
  calendar: WorkingCalendarLike;
  from: Date;
  until: Date;
}

/**
 * Kinds from most to least important. At one instant, for one item and one audience, reminders asking for
 * the same report (same GROUP) are one message: the most important kind is kept. So the R1 "逾期1天/2天"
 * reminders replace the R4 cadence urges falling on 24 h and 48 h, and a weekly nudge gives way to a
 * deadline reminder; but a month-end, quarterly or fixed-date request never hides another (they ask for
 * different reports; coalesce() puts them in one digest instead).
 */
const PRIORITY: ReminderKind[] = [
  'key_supervision',
  'leader_escalation',
  'month_end_escalation',
  'rectification_due',
  'after_deadline',
  'overdue_urge',
  'before_deadline',
  'weekly',
  'month_end_urge',
  'month_end_report',
  'quarterly_summary',
  'fixed_report',
];
const rank = (k: ReminderKind) => PRIORITY.indexOf(k);
const GROUP: Record<ReminderKind, string> = {
  before_deadline: 'node',
  after_deadline: 'node',
  overdue_urge: 'node',
  weekly: 'node',
  leader_escalation: 'node',
  key_supervision: 'node',
  rectification_due: 'node',
  month_end_report: 'month',
  month_end_urge: 'month',
  month_end_escalation: 'month',
  quarterly_summary: 'quarter',
  fixed_report: 'fixed',
};

/**
 * States in which the unit still owes a report. closure_requested / under_review / pending_approval: the
 * unit has asked for closure — its final report (R3) — so nothing is left to remind it of; returned (F2)
 * puts the item back to in_progress and reminders resume. closed, archived, draft: nothing.
 */
const UNIT_OWES: readonly ItemState[] = ['registered', 'assigned', 'in_progress'];

function assertInstant(d: Date, what: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what} must be a valid Date`);
}

/**
 * R9: 整改时限为2个工作日(48小时)，并于第3日12:00前报送. Read as: hours / 24 working days after the day the
 * order was registered (that day being 第1日), at reportBy. Ordered on Monday 2026-03-02 → Wednesday 12:00;
 * on Friday 2026-02-13 → the 调休 Saturday 02-14, then after 春节 Tuesday 02-24 12:00.
 */
export function rectificationDueAt(registeredAt: Date, policy: ReminderPolicy, calendar: WorkingCalendarLike): Date {
  const days = Math.ceil((policy.rectificationHours ?? 48) / 24);
  return shanghaiInstant(calendar.addWorkingDays(shanghaiDate(registeredAt), days), policy.rectificationReportBy ?? '12:00');
}

/** R1, R4, R5, R9: reminders around the deadline node; every one is answered by a report since the node began (R3). */
function nodeReminders(deadline: Date, p: ReminderPolicy, rectification: boolean, start: number): Candidate[] {
  const at = (h: number) => new Date(deadline.getTime() + h * HOUR_MS);
  const out: Candidate[] = [];
  const add = (kind: ReminderKind, dueAt: Date, rule: string, audience: Audience) => out.push({ kind, dueAt, rule, audience, answeredFrom: start });
  for (const b of p.beforeDeadline) add('before_deadline', at(-b.hours), 'R1', 'unit');
  for (const a of p.afterDeadline) add('after_deadline', at(a.hours), 'R1', 'unit');
  // R4: segments (previous untilHours, untilHours], a slot every everyHours counted from the segment start.
  let segStart = 0;
  for (const seg of p.overdueCadence) {
    if (!(seg.everyHours > 0)) throw new RangeError(`overdue cadence everyHours must be > 0, got ${seg.everyHours}`);
    for (let h = segStart + seg.everyHours; h <= seg.untilHours; h += seg.everyHours) add('overdue_urge', at(h), 'R4', 'unit');
    segStart = seg.untilHours;
  }
  if (p.escalateToLeaderAfterHours !== null) add('leader_escalation', at(p.escalateToLeaderAfterHours), 'R4', 'leader');
  if (p.keySupervisionAfterHours !== null) add('key_supervision', at(p.keySupervisionAfterHours), 'R5', 'supervision_office');
  // R9: 逾期不报视为未整改 — at the report deadline the 督查室 records it unless the report came (R3).
  if (rectification) add('rectification_due', deadline, 'R9', 'supervision_office');
  return out;
}

/**
 * Every reminder due in [from, until), sorted by dueAt (then importance). R3 — 承办单位提前报送情况的，对应提醒
 * 自动取消 — is read as: each reminder asks for one report and knows the window a report answers it from
 * (Candidate.answeredFrom); a report that arrived in [answeredFrom, dueAt] makes it pointless, so it is not
 * planned. Reminders that fell due before the report stay (they were sent; a preview shows them). Windows:
 * deadline node (R1/R4/R5/R9) — since the node began; weekly — the 7 days before it; month-end (R6) — the
 * reporting month; fixed dates (R8) — since the previous date; 季度小结 (R7) — never (a separate 书面报告).
 */
export function planReminders(input: ScheduleInput): PlannedReminder[] {
  const { item, policy, calendar, from, until } = input;
  assertInstant(from, 'from');
  assertInstant(until, 'until');
  assertInstant(item.registeredAt, 'registeredAt');
  if (until.getTime() < from.getTime()) throw new RangeError('until must not be before from');
  if (!UNIT_OWES.includes(item.state)) return [];

  const startAt = item.nodeStartAt ?? item.registeredAt;
  const start = startAt.getTime();
  const rectification = item.kind === 'rectification' && policy.rectificationHours !== undefined;
  // R9 fixes the deadline of an order by rule; registration stores the same instant (rectificationDueAt).
  const deadline = rectification ? rectificationDueAt(item.registeredAt, policy, calendar) : item.deadlineAt;
  assertInstant(deadline, 'deadlineAt');
  const ctx = { policy, calendar, from, until, startAt, deadline, board: item.board };
  const node = new Set(nodeReminders(deadline, policy, rectification, start));
  const candidates = [...node, ...weeklyReminders(ctx), ...monthEndReminders(ctx), ...quarterlyReminders(ctx), ...fixedReportReminders(ctx)];

  const lastReport = item.lastReportAt?.getTime();
  const nodeAnswer = item.answeredAt === undefined ? lastReport : (item.answeredAt?.getTime() ?? undefined);
  const kept = new Map<string, Candidate>();
  for (const c of candidates) {
    const t = c.dueAt.getTime();
    if (t < from.getTime() || t >= until.getTime()) continue;
    // Nothing before the node began: an item registered 3 h before its deadline gets no "5 h before".
    if (t <= start) continue;
    const report = node.has(c) ? nodeAnswer : lastReport;
    if (report !== undefined && c.answeredFrom !== null && report >= c.answeredFrom && report <= t) continue; // R3
    const slot = `${t}|${c.audience}|${GROUP[c.kind]}`;
    const prev = kept.get(slot);
    if (!prev || rank(c.kind) < rank(prev.kind)) kept.set(slot, c);
  }
  return [...kept.values()]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || rank(a.kind) - rank(b.kind) || a.audience.localeCompare(b.audience))
    .map((c) => ({
      kind: c.kind,
      dueAt: c.dueAt,
      rule: c.rule,
      audience: c.audience,
      key: `${item.id}:${c.kind}:${c.audience}:${c.dueAt.toISOString()}`,
    }));
}

/**
 * R10: a reminder due inside the quiet window [start, end) moves to the window's end, in Shanghai time.
 * A window with start > end crosses midnight (22:00–08:00: 23:00 → 08:00 next day, 03:00 → 08:00 same
 * day); end itself is outside (08:00 stays 08:00); start === end means no quiet hours at all.
 */
export function deferForQuietHours(dueAt: Date, quiet: { start: string; end: string }): Date {
  assertInstant(dueAt, 'dueAt');
  const s = timeOfDayMs(quiet.start);
  const e = timeOfDayMs(quiet.end);
  const t = dueAt.getTime();
  if (s === e) return new Date(t);
  const localMidnight = shanghaiInstant(shanghaiDate(dueAt)).getTime();
  const ms = t - localMidnight;
  const crosses = s > e;
  const inside = crosses ? ms >= s || ms < e : ms >= s && ms < e;
  if (!inside) return new Date(t);
  return new Date(localMidnight + (crosses && ms >= s ? DAY_MS : 0) + e);
}

/**
 * R10: after deferral, all reminders for one recipient at one instant become one digest — a contact with
 * five reminders due at 08:00 gets one message. Within a digest a key appears once (nobody gets the same
 * reminder twice). Digests come sorted by dueAt then recipient; reminders in a digest by importance, then key.
 */
export function coalesce(reminders: (PlannedReminder & { recipient: string })[]): { recipient: string; dueAt: Date; reminders: PlannedReminder[] }[] {
  const groups = new Map<string, { recipient: string; dueAt: Date; byKey: Map<string, PlannedReminder> }>();
  for (const { recipient, ...r } of reminders) {
    assertInstant(r.dueAt, 'dueAt');
    const id = `${r.dueAt.getTime()}\u0000${recipient}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { recipient, dueAt: new Date(r.dueAt.getTime()), byKey: new Map() }));
    if (!g.byKey.has(r.key)) g.byKey.set(r.key, r);
  }
  return [...groups.values()]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0))
    .map((g) => ({
      recipient: g.recipient,
      dueAt: g.dueAt,
      reminders: [...g.byKey.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    }));
}
