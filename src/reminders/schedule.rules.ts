/**
 * Pure schedule computation for reminders (DOMAIN R1–R10, E2; issue 6 scope 2, and the quiet-hours and
 * coalescing logic of scope 3). No framework, no clock, no I/O: the item, its policy, the calendar and the
 * window [from, until) are parameters, and the same input always gives the same reminders with the same keys.
 *
 * Instants are Dates (UTC inside); every wall-clock rule is read in Asia/Shanghai (UTC+8, no DST).
 */
import type { Board, ItemState, Source } from '../shared/vocabulary';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import { DEFAULT_DECISION_REMINDERS, DEFAULT_FOLLOW_UP } from './reminder.policy';
import type { ReminderPolicy } from './reminder.policy';
import { fixedReportReminders, monthEndReminders, quarterlyReminders, timeOfDayMs, weeklyReminders } from './periodic.rules';
import type { Candidate } from './periodic.rules';
import type { Audience, ReminderKind, WorkingCalendarLike } from './schedule.types';
import { addWorkingTime, isWorkdayAt, nextWorkingMorning } from '../calendar/working-time';
import type { WorkdayTest } from '../calendar/working-time';

export { fixedReportDays, quarterlySummaryDate, timeOfDayMs } from './periodic.rules';
export type { Audience, ReminderKind, WorkingCalendarLike } from './schedule.types';

/** Why a reminder goes out later than planned (R10): at night (quiet hours) or on a weekend / official holiday. */
export type HoldReason = 'night' | 'rest_day';
/** The words a person reads for a hold (the policy preview). */
export const HOLD_LABELS: Record<HoldReason, string> = { night: '夜间顺延', rest_day: '节假日顺延' };

export interface PlannedReminder {
  kind: ReminderKind;
  /** The rule's instant (stored as planned_at; the key names it). */
  dueAt: Date;
  /** When it is sent: dueAt held out of quiet hours and quiet days (holdForQuiet; stored as due_at). */
  sendAt: Date;
  held: HoldReason | null;
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
    /** Issue 14: decisions waiting on the owner or the leader, and since when (the closure request, the extension request, 报请审定). */
    awaiting?: { kind: 'review' | 'extension' | 'approval'; since: Date }[];
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
  'overdue_follow_up',
  'before_deadline',
  'weekly',
  'month_end_urge',
  'month_end_report',
  'quarterly_summary',
  'fixed_report',
  'approval_pending',
  'review_pending',
  'extension_pending',
  'clue_opened',
];
const RANK = new Map<ReminderKind, number>(PRIORITY.map((k, i) => [k, i]));
const rank = (k: ReminderKind) => RANK.get(k) ?? -1;
const GROUP: Record<ReminderKind, string> = {
  before_deadline: 'node',
  after_deadline: 'node',
  overdue_urge: 'node',
  overdue_follow_up: 'node',
  weekly: 'node',
  leader_escalation: 'node',
  key_supervision: 'node',
  rectification_due: 'node',
  month_end_report: 'month',
  month_end_urge: 'month',
  month_end_escalation: 'month',
  quarterly_summary: 'quarter',
  fixed_report: 'fixed',
  review_pending: 'review',
  extension_pending: 'extension',
  approval_pending: 'approval',
  clue_opened: 'clue',
};

/**
 * States in which the unit still owes a report. closure_requested / under_review / pending_approval: the
 * unit has asked for closure — its final report (R3) — so nothing is left to remind it of; returned (F2)
 * puts the item back to in_progress and reminders resume. closed, archived, draft: nothing. registered (已立项,
 * never 交办): not the unit's yet — no urge, no 重点督办 (R5) against a unit that never held it (issue 14, blame
 * follows custody); planning starts at 交办.
 */
const UNIT_OWES: readonly ItemState[] = ['assigned', 'in_progress'];

function assertInstant(d: Date, what: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what} must be a valid Date`);
}

/**
 * R9: 整改时限为2个工作日(48小时)，并于第3日12:00前报送. Counted as C3 counts: the day the order is issued does not
 * count; hours / 24 working days follow it, and the report is due at reportBy on the next working day (the third).
 * Issued Monday 2026-03-02 17:50 → Tuesday, Wednesday, report by Thursday 12:00; issued Wednesday 04-29 (before
 * 劳动节) → Thursday 04-30, Wednesday 05-06, report by Thursday 05-07 12:00.
 */
export function rectificationDueAt(registeredAt: Date, policy: ReminderPolicy, calendar: WorkingCalendarLike): Date {
  const days = Math.ceil((policy.rectificationHours ?? 48) / 24);
  return shanghaiInstant(calendar.addWorkingDays(shanghaiDate(registeredAt), days + 1), policy.rectificationReportBy ?? '12:00');
}

/**
 * R1, R4, R5, R9: reminders around the deadline node; every one is answered by a report since the node began (R3).
 * Hours before and after the deadline are working time by default (overdueClock): a deadline of 04-30 18:00 is
 * "overdue 1 day" on 05-06 18:00, after 劳动节, not on 05-01.
 */
function nodeReminders(
  deadline: Date,
  p: ReminderPolicy,
  rectification: boolean,
  start: number,
  calendar: WorkdayTest,
  window: { from: Date; until: Date },
): Candidate[] {
  const working = (p.overdueClock ?? 'working') === 'working';
  const at = (h: number) => (working ? addWorkingTime(deadline, h * HOUR_MS, calendar) : new Date(deadline.getTime() + h * HOUR_MS));
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
  // Issue 14: after the cadence, a steady urge each working morning (policy: at, every N working days) until answered (R3).
  const follow = p.overdueFollowUp === undefined ? (p.overdueCadence.length ? DEFAULT_FOLLOW_UP : null) : p.overdueFollowUp;
  if (follow && segStart > 0) {
    const end = at(segStart);
    const step = Math.max(1, follow.everyWorkingDays);
    // For every day: start near the window (a long-overdue item does not walk its whole history); every N days: from the end.
    let t = nextWorkingMorning(new Date(Math.max(end.getTime(), step === 1 ? window.from.getTime() - DAY_MS : 0) + 1), follow.at, calendar);
    for (let n = 1; t.getTime() < window.until.getTime(); n++) {
      if (n % step === 0 && t.getTime() > end.getTime() && t.getTime() >= window.from.getTime()) add('overdue_follow_up', t, 'R4', 'unit');
      t = nextWorkingMorning(new Date(t.getTime() + 1), follow.at, calendar);
    }
  }
  // R4 (001 §14): 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调 — the owner office is told to report, and its
  // coordinating leader is asked to coordinate; the D3 approver (e.g. 副市长) is not the one to tell.
  if (p.escalateToLeaderAfterHours !== null) {
    add('leader_escalation', at(p.escalateToLeaderAfterHours), 'R4', 'owner');
    add('leader_escalation', at(p.escalateToLeaderAfterHours), 'R4', 'coordinating_leader');
  }
  if (p.keySupervisionAfterHours !== null) add('key_supervision', at(p.keySupervisionAfterHours), 'R5', 'supervision_office');
  // R9: 逾期不报视为未整改 — at the report deadline the 督查室 records it unless the report came (R3).
  if (rectification) {
    add('rectification_due', deadline, 'R9', 'supervision_office');
    // Issue 14: and the unit is urged at the same instant — its report is still owed.
    add('rectification_due', deadline, 'R9', 'unit');
  }
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
  const g = gather(input);
  return finish(g, input.from, input.until);
}

/**
 * Issue 17: what planning stores and where it looks next, in one pass. The reminders of [from, storeUntil) exactly as
 * planReminders gives them, and `next`: the instant of the first reminder planReminders would give in
 * [storeUntil, until) — found by a scan of the candidates (R3 and the start of the node applied; keys, holds and the
 * sort only where R3 needs the hold), not by building a week of reminders to keep one instant. Same answer as
 * planReminders over [from, until) (schedule.rules.spec: the two agree on thousands of generated items).
 */
export function planWithNext(input: ScheduleInput & { storeUntil: Date }): { reminders: PlannedReminder[]; next: Date | null } {
  assertInstant(input.storeUntil, 'storeUntil');
  const storeUntil = Math.min(Math.max(input.storeUntil.getTime(), input.from.getTime()), input.until.getTime());
  const g = gather(input);
  let next = Infinity;
  for (const c of g.candidates) {
    const t = c.dueAt.getTime();
    if (t < storeUntil || t >= input.until.getTime() || t >= next || t <= g.start) continue;
    if (answered(g, c, () => holdForQuiet(c.dueAt, g.policy, g.calendar).sendAt.getTime())) continue;
    next = t;
  }
  return { reminders: finish(g, input.from, new Date(storeUntil)), next: next === Infinity ? null : new Date(next) };
}

/** The candidates of one item over [from, until) before R3, the node's start and de-duplication, with what those need. */
interface Gathered {
  itemId: number;
  candidates: Candidate[];
  policy: ReminderPolicy;
  calendar: WorkingCalendarLike;
  lastReport: number | undefined;
  nodeAnswer: number | undefined;
  node: Set<Candidate>;
  start: number;
}

function gather(input: ScheduleInput): Gathered {
  const { item, policy, calendar, from, until } = input;
  assertInstant(from, 'from');
  assertInstant(until, 'until');
  assertInstant(item.registeredAt, 'registeredAt');
  if (until.getTime() < from.getTime()) throw new RangeError('until must not be before from');
  const decisions = decisionCandidates(item.awaiting ?? [], policy, calendar, from, until);
  if (!UNIT_OWES.includes(item.state)) {
    return { itemId: item.id, candidates: decisions, policy, calendar, lastReport: undefined, nodeAnswer: undefined, node: new Set(), start: -Infinity };
  }

  const startAt = item.nodeStartAt ?? item.registeredAt;
  const start = startAt.getTime();
  const rectification = item.kind === 'rectification' && policy.rectificationHours !== undefined;
  // R9 fixes the deadline of an order by rule; registration stores the same instant (rectificationDueAt).
  const deadline = rectification ? rectificationDueAt(item.registeredAt, policy, calendar) : item.deadlineAt;
  assertInstant(deadline, 'deadlineAt');
  const ctx = { policy, calendar, from, until, startAt, deadline, board: item.board };
  const node = new Set(nodeReminders(deadline, policy, rectification, start, calendar, { from, until }));
  const candidates = [...node, ...weeklyReminders(ctx), ...monthEndReminders(ctx), ...quarterlyReminders(ctx), ...fixedReportReminders(ctx), ...decisions];
  const lastReport = item.lastReportAt?.getTime();
  const nodeAnswer = item.answeredAt === undefined ? lastReport : (item.answeredAt?.getTime() ?? undefined);
  return { itemId: item.id, candidates, policy, calendar, lastReport, nodeAnswer, node, start };
}

/**
 * R3 up to the moment it would be sent: a reminder held over a holiday is pointless once a report came meanwhile. The
 * deadline node is answered by the unit's answer (overdue.rules, A1); the periodic series by any report. `sendAt` is
 * asked only when a report could answer it.
 */
function answered(g: Gathered, c: Candidate, sendAt: () => number): boolean {
  const report = g.node.has(c) ? g.nodeAnswer : g.lastReport;
  return report !== undefined && c.answeredFrom !== null && report >= c.answeredFrom && report <= sendAt();
}

/** Audiences in a fixed order for sorting (code-point order of their names, as they always sorted). */
const byAudience = (a: Audience, b: Audience) => (a < b ? -1 : a > b ? 1 : 0);

/** R3, R10 and the de-duplication of one instant, for the candidates gathered that fall in [from, until). */
function finish(g: Gathered, from: Date, until: Date): PlannedReminder[] {
  const kept = new Map<string, Candidate & { hold: ReturnType<typeof holdForQuiet> }>();
  const lo = from.getTime();
  const hi = until.getTime();
  for (const c of g.candidates) {
    const t = c.dueAt.getTime();
    if (t < lo || t >= hi) continue;
    // Nothing before the node began: an item registered 3 h before its deadline gets no "5 h before".
    if (t <= g.start) continue;
    const hold = holdForQuiet(c.dueAt, g.policy, g.calendar);
    if (answered(g, c, () => hold.sendAt.getTime())) continue;
    const slot = `${t}|${c.audience}|${GROUP[c.kind]}`;
    const prev = kept.get(slot);
    if (!prev || rank(c.kind) < rank(prev.kind)) kept.set(slot, { ...c, hold });
  }
  return [...kept.values()]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || rank(a.kind) - rank(b.kind) || byAudience(a.audience, b.audience))
    .map((c) => ({
      kind: c.kind,
      dueAt: c.dueAt,
      sendAt: c.hold.sendAt,
      held: c.hold.held,
      rule: c.rule,
      audience: c.audience,
      key: `${g.itemId}:${c.kind}:${c.audience}:${c.dueAt.toISOString()}`,
    }));
}

const DECISION: Record<'review' | 'extension' | 'approval', { kind: ReminderKind; audience: Audience; rule: string }> = {
  review: { kind: 'review_pending', audience: 'owner', rule: 'D2' },
  extension: { kind: 'extension_pending', audience: 'owner', rule: 'E1' },
  approval: { kind: 'approval_pending', audience: 'leader', rule: 'D3' },
};

/**
 * Issue 14: a decision waiting on the owner (办结审核评定, 延期审批) or on the item's leader (D3 审定) — at `at` on the
 * afterWorkingDays-th working day after it arrived, then every everyWorkingDays working days, until it is decided (then
 * the item's state or the request no longer says it waits, and nothing more is planned).
 */
function decisionCandidates(
  awaiting: { kind: 'review' | 'extension' | 'approval'; since: Date }[],
  policy: ReminderPolicy,
  calendar: WorkingCalendarLike,
  from: Date,
  until: Date,
): Candidate[] {
  const p = policy.decisionReminders === undefined ? DEFAULT_DECISION_REMINDERS : policy.decisionReminders;
  if (!p) return [];
  const out: Candidate[] = [];
  for (const w of awaiting) {
    let day = calendar.addWorkingDays(shanghaiDate(w.since), p.afterWorkingDays);
    for (let guard = 0; guard < 400; guard++) {
      const at = shanghaiInstant(day, p.at);
      if (at.getTime() >= until.getTime()) break;
      if (at.getTime() >= from.getTime()) out.push({ ...DECISION[w.kind], dueAt: at, answeredFrom: null });
      day = calendar.addWorkingDays(day, p.everyWorkingDays);
    }
  }
  return out;
}

/** The steps that happen once and must not be lost (issue 14): R4's report, R5's 重点督办, R6's 核查, R9's 未整改. */
export const ONE_OFF_STEPS: readonly ReminderKind[] = ['leader_escalation', 'key_supervision', 'month_end_escalation', 'rectification_due'];
/** The unit's reminders about the deadline node: the 重点督办 notice stands in for them at the moment it is sent. */
export const NODE_URGES: readonly ReminderKind[] = ['before_deadline', 'after_deadline', 'overdue_urge', 'overdue_follow_up', 'weekly'];

/**
 * Issue 14, a catch-up after downtime (sent late, not lost): of what fell due while nothing ran, every one-off step is
 * kept (each once: its key), and of each recipient's series (the node's urges, the month's, the quarter's, a fixed date)
 * only the latest — one line with the current state instead of one per missed slot. Each is due at its planned send time,
 * already past, so the next claim sends it. Pure.
 */
export function catchUp(missed: PlannedReminder[]): PlannedReminder[] {
  const latest = new Map<string, PlannedReminder>();
  const out: PlannedReminder[] = [];
  for (const r of missed) {
    if (ONE_OFF_STEPS.includes(r.kind)) out.push(r);
    else {
      const slot = `${r.audience}|${GROUP[r.kind]}`;
      const prev = latest.get(slot);
      if (!prev || prev.dueAt.getTime() <= r.dueAt.getTime()) latest.set(slot, r);
    }
  }
  return [...out, ...latest.values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || rank(a.kind) - rank(b.kind));
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
  // Local midnight by arithmetic (UTC+8, no daylight saving): this runs for every reminder the tick plans.
  const localMidnight = Math.floor((t + 8 * HOUR_MS) / DAY_MS) * DAY_MS - 8 * HOUR_MS;
  const ms = t - localMidnight;
  const crosses = s > e;
  const inside = crosses ? ms >= s || ms < e : ms >= s && ms < e;
  if (!inside) return new Date(t);
  return new Date(localMidnight + (crosses && ms >= s ? DAY_MS : 0) + e);
}

/**
 * R10 with quiet days (issue 13) — THE deferral: when a reminder planned at dueAt is sent, and why it is held.
 * Quiet hours first (deferForQuietHours); then, unless the policy says quietDays: false, a reminder planned on a
 * rest day or held into one goes to the next working day's quietHours.end (08:00): 23:00 on 04-30 → 05-06 08:00
 * after 劳动节, a Saturday noon → Monday 08:00, the 调休 Saturday 05-09 stays (a working day).
 */
export function holdForQuiet(
  dueAt: Date,
  policy: Pick<ReminderPolicy, 'quietHours' | 'quietDays'>,
  calendar: WorkdayTest,
): { sendAt: Date; held: HoldReason | null } {
  const night = deferForQuietHours(dueAt, policy.quietHours);
  if (policy.quietDays !== false && (!isWorkdayAt(dueAt, calendar) || !isWorkdayAt(night, calendar))) {
    return { sendAt: nextWorkingMorning(night, policy.quietHours.end, calendar), held: 'rest_day' };
  }
  return { sendAt: night, held: night.getTime() === dueAt.getTime() ? null : 'night' };
}

/**
 * R10: after deferral, all reminders for one recipient at one instant become one digest — a contact with
 * five reminders due at 08:00 gets one message. Within a digest each item asks once for each report (issue 13):
 * the reminders of one item and one report (GROUP — the node, the month, the quarter, the fixed date) are one
 * line, the most important kind (on a tie, the latest planned) — four urges held over a holiday or a night are
 * not four lines. Digests come sorted by dueAt then recipient; reminders in a digest by importance, then key.
 * Keys start with the item id (planReminders), which is how a reminder's item is known here.
 */
export function coalesce(reminders: (PlannedReminder & { recipient: string })[]): { recipient: string; dueAt: Date; reminders: PlannedReminder[] }[] {
  const groups = new Map<string, { recipient: string; dueAt: Date; byLine: Map<string, PlannedReminder> }>();
  for (const { recipient, ...r } of reminders) {
    assertInstant(r.dueAt, 'dueAt');
    const id = `${r.dueAt.getTime()}\u0000${recipient}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { recipient, dueAt: new Date(r.dueAt.getTime()), byLine: new Map() }));
    // A one-off step (R4's report, R5's 重点督办 …) is a line of its own: a catch-up that brings two of them loses neither.
    const line = `${r.key.split(':')[0]}|${ONE_OFF_STEPS.includes(r.kind) ? r.kind : GROUP[r.kind]}`;
    const prev = g.byLine.get(line);
    if (!prev || rank(r.kind) < rank(prev.kind) || (rank(r.kind) === rank(prev.kind) && r.key > prev.key)) g.byLine.set(line, r);
  }
  return [...groups.values()]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0))
    .map((g) => ({
      recipient: g.recipient,
      dueAt: g.dueAt,
      reminders: [...g.byLine.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    }));
}

/** One reminder as a preview shows it: the rule's instant, when it goes out, and why it is held. */
export interface ReminderTiming {
  plannedAt: Date;
  sendAt: Date;
  held: HoldReason | null;
}

export interface PlanChange {
  change: 'added' | 'removed' | 'moved';
  kind: ReminderKind;
  rule: string;
  audience: Audience;
  before?: ReminderTiming;
  after?: ReminderTiming;
}

const timing = (r: PlannedReminder): ReminderTiming => ({ plannedAt: r.dueAt, sendAt: r.sendAt, held: r.held });

/**
 * The policy preview (issue 13, R10): what one item's reminders become under another policy. The same key in both
 * (same kind, audience, planned instant) is unchanged unless its send instant moved (a hold added or lifted); the
 * rest are paired by kind and audience in time order — moved — and what is left is added or removed. Sorted by
 * the earlier of the two planned instants. Pure.
 */
export function diffPlans(before: PlannedReminder[], after: PlannedReminder[]): PlanChange[] {
  const out: (PlanChange & { at: number })[] = [];
  const afterByKey = new Map(after.map((r) => [r.key, r]));
  const beforeKeys = new Set(before.map((r) => r.key));
  const leftBefore: PlannedReminder[] = [];
  for (const b of before) {
    const a = afterByKey.get(b.key);
    if (!a) leftBefore.push(b);
    else if (a.sendAt.getTime() !== b.sendAt.getTime() || a.held !== b.held)
      out.push({ change: 'moved', kind: b.kind, rule: b.rule, audience: b.audience, before: timing(b), after: timing(a), at: b.dueAt.getTime() });
  }
  const leftAfter = after.filter((r) => !beforeKeys.has(r.key));
  const byWhat = (rs: PlannedReminder[]) => {
    const m = new Map<string, PlannedReminder[]>();
    for (const r of [...rs].sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime())) {
      const k = `${r.kind}|${r.audience}`;
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const afterWhat = byWhat(leftAfter);
  for (const [what, bs] of byWhat(leftBefore)) {
    const as = afterWhat.get(what) ?? [];
    bs.forEach((b, i) => {
      const a = as[i];
      if (a)
        out.push({
          change: 'moved',
          kind: b.kind,
          rule: b.rule,
          audience: b.audience,
          before: timing(b),
          after: timing(a),
          at: Math.min(b.dueAt.getTime(), a.dueAt.getTime()),
        });
      else out.push({ change: 'removed', kind: b.kind, rule: b.rule, audience: b.audience, before: timing(b), at: b.dueAt.getTime() });
    });
    afterWhat.set(what, as.slice(bs.length));
  }
  for (const as of afterWhat.values())
    for (const a of as) out.push({ change: 'added', kind: a.kind, rule: a.rule, audience: a.audience, after: timing(a), at: a.dueAt.getTime() });
  return out.sort((x, y) => x.at - y.at || rank(x.kind) - rank(y.kind)).map(({ at: _at, ...c }) => c);
}
