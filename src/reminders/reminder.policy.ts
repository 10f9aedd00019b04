/**
 * Reminder policies (DOMAIN R1–R10, E2) as plain, JSON-serialisable data. R10: "Reminders are policies in
 * data (per board/source), not code" — these defaults are the seed rows an administrator edits later, so
 * nothing here may be a function, a Date or a class instance. Pure: no framework, no clock, no I/O.
 *
 * Durations are in hours measured from an instant (the deadline); times of day are 'HH:MM' Asia/Shanghai.
 */
import type { Board, ItemKind, Source } from '../shared/vocabulary';

export type FixedReportDates = { months: number[]; day: number }[] | { monthly: number[] };

/** Which items a policy is for. An absent or empty list does not constrain. Both present: both must match. */
export interface PolicyScope {
  boards?: Board[];
  sources?: Source[];
  /** R9: 整改 orders (and C3 items without a time limit) are not 13710 items and have their own rule; kind beats source and board. */
  kinds?: Exclude<ItemKind, 'task'>[];
}

export interface ReminderPolicy {
  id: string;
  version: number;
  /**
   * 'base' (the default when absent): a whole policy; one base policy reminds an item, the most specific that applies.
   * An 'add_on' row (AddOnPolicy) only adds fixed report dates on top of it (R8: 政府工作报告、十件实事 dates come on top of
   * a key task's R6/R7, not instead).
   */
  layer?: 'base';
  appliesTo: PolicyScope;
  /** R1: 截止时限前5小时. */
  beforeDeadline: { hours: number }[];
  /** R1: 逾期5小时、1天、2天 → 5, 24, 48. */
  afterDeadline: { hours: number }[];
  /** R4: 逾期1天内每3小时提醒1次，逾期2天内每2小时提醒1次 — segments in order, each (previous until, until]. */
  overdueCadence: { untilHours: number; everyHours: number }[];
  /** R4: 报请分管领导 after the cadence (48 h overdue); null = no leader escalation under this policy. */
  escalateToLeaderAfterHours: number | null;
  /** R5: 逾期3天 → 重点督办 (72 h); null = not under this policy. */
  keySupervisionAfterHours: number | null;
  /** R2/E2: weekly reminders when the node (start → deadline) spans at least this many days; 0 = always. */
  weeklyWhenLongerThanDays?: number;
  /** R6: report of month M due by the end of M; urges at urgeAt on the first urgeDays days of M+1; after escalateAfterDays → 督查室. */
  monthEndReport?: { urgeAt: string[]; urgeDays: number; escalateAfterDays: number };
  /** R7: 季度小结 on the last working day of each quarter, Q4 one week earlier. */
  quarterlySummary?: boolean;
  /** R8: fixed report dates per source. */
  fixedReportDates?: FixedReportDates;
  /** R9: 整改时限为2个工作日(48小时) — read as hours / 24 working days. */
  rectificationHours?: number;
  /** R9: 于第3日12:00前 报送 — the local time of the report deadline on that day. */
  rectificationReportBy?: string;
  /** Local time for reminders tied to a date rather than an instant (R2 weekly, R6 notice, R7, R8). */
  notifyAt: string;
  /** R10: 22:00–08:00 by default; may cross midnight; start === end means no quiet hours. */
  quietHours: { start: string; end: string };
  /**
   * R1, R4, R5 (issue 13): how the hours after (and the 5 h before) a deadline are counted. 'working' (the default,
   * also when absent): only working days pass (calendar/working-time.ts), so a holiday does not make an item
   * "overdue 3 days"; 'calendar': every hour counts.
   */
  overdueClock?: 'working' | 'calendar';
  /**
   * R4, R10 (issue 13): no reminder goes out on a weekend or an official holiday — it is held to the next working
   * day's quietHours.end and sent once (coalesced). Default true (also when absent). R6's urge days then count
   * working days (从下月1日开始…连续提醒2日 → the first 2 working days of the next month).
   */
  quietDays?: boolean;
  /**
   * R4 after its cadence (issue 14: 14 urges in 48 h, then weeks of silence): one urge at `at` every `everyWorkingDays`
   * working days, from the end of the cadence until the unit answers. Absent = { at: '09:00', everyWorkingDays: 1 } for a
   * policy with a cadence (DEFAULT_FOLLOW_UP), nothing for one without; null = none.
   */
  overdueFollowUp?: { at: string; everyWorkingDays: number } | null;
  /**
   * R10 (issue 14): at most this many reminder messages a day into one unit's group; more are held to the next working
   * morning and sent there, merged. Absent = DEFAULT_MAX_URGES_PER_DAY; null = no cap.
   */
  maxUrgesPerDay?: number | null;
  /**
   * Issue 14 (blame follows custody): a decision waiting on the owner (办结审核评定, 延期审批) or the leader (D3 审定) is
   * reminded at `at` on the afterWorkingDays-th working day after it arrived, then every everyWorkingDays working days,
   * until decided. Absent = DEFAULT_DECISION_REMINDERS; null = none.
   */
  decisionReminders?: { afterWorkingDays: number; everyWorkingDays: number; at: string } | null;
  /**
   * Set only on the effective policy policyFor builds when add-ons apply — `${id}@${version}` of the base, then of each
   * add-on — never stored. The reminder rows and the preview name the policy by it (policyLabel).
   */
  composedOf?: string[];
}

/**
 * R8 as a layer: fixed report dates for the items it applies to, added to whatever base policy reminds them. Its scope
 * usually names sources (政府工作报告, 十件实事). Kind policies (整改, items without a time limit) replace everything, add-ons
 * included. Notices go out at the base policy's notifyAt, deferred by its quiet hours.
 */
export interface AddOnPolicy {
  id: string;
  version: number;
  layer: 'add_on';
  appliesTo: PolicyScope;
  fixedReportDates: FixedReportDates;
}

/** A stored policy row, either kind. */
export type PolicyRow = ReminderPolicy | AddOnPolicy;

export const isAddOn = (p: PolicyRow): p is AddOnPolicy => p.layer === 'add_on';

/** R1, R4, R5 and R10 — the 13710 deadline-node core every item policy starts from. */
const NODE_RULES = {
  beforeDeadline: [{ hours: 5 }],
  afterDeadline: [{ hours: 5 }, { hours: 24 }, { hours: 48 }],
  overdueCadence: [
    { untilHours: 24, everyHours: 3 },
    { untilHours: 48, everyHours: 2 },
  ],
  escalateToLeaderAfterHours: 48,
  keySupervisionAfterHours: 72,
  overdueClock: 'working' as const,
  quietDays: true,
  notifyAt: '09:00',
  quietHours: { start: '22:00', end: '08:00' },
};

/** Issue 14: the follow-up after R4's cadence and the daily cap per group, where a policy does not say (absent). */
export const DEFAULT_FOLLOW_UP = { at: '09:00', everyWorkingDays: 1 } as const;
export const DEFAULT_MAX_URGES_PER_DAY = 6;
export const DEFAULT_DECISION_REMINDERS = { afterWorkingDays: 2, everyWorkingDays: 2, at: '09:00' } as const;

/** R6: 从下月1日开始，每日8时、15时分别催办一次，连续提醒2日 … 超过时限2日未上报的事项，交由市政府督查室. */
const MONTH_END = { urgeAt: ['08:00', '15:00'], urgeDays: 2, escalateAfterDays: 2 };

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The default of every policy id, at its current version. A default that changes gets a new version here (the landed
 * one moves to LANDED_POLICY_VERSIONS, never edited): databases with no saved version of that id follow it at once,
 * and migration 1764800200000 appends it after a saved one (reminder-policy.service.ts).
 */
export const DEFAULT_POLICIES: PolicyRow[] = [
  // Fallback for a board or source with no policy of its own: the 13710 node rules only.
  { id: 'default', version: 1, appliesTo: {}, ...clone(NODE_RULES) },
  // "1"版块 日常管理: R1–R5, and R2 对推进1个月以上的事项…每周短信提醒一次. 28 days because 以上 includes the
  // number itself and a 1m node is 28–31 days long: every 1-month item qualifies, no 7d item does.
  { id: 'daily', version: 1, appliesTo: { boards: ['daily'] }, ...clone(NODE_RULES), weeklyWhenLongerThanDays: 28 },
  // "2"版块 重点工作/重大改革 (按照各自督办制度, so no R2 weekly): R1–R5 + 逐月反馈 (R6) + 季度小结 (R7).
  {
    id: 'key_task',
    version: 1,
    appliesTo: { boards: ['key_task', 'reform'] },
    ...clone(NODE_RULES),
    monthEndReport: clone(MONTH_END),
    quarterlySummary: true,
  },
  // E2 持续跟进: 每周发送短信提醒，按月报告进展情况，直至任务全面落实 — weekly always, monthly report as R6.
  {
    id: 'ongoing',
    version: 1,
    appliesTo: { boards: ['ongoing'] },
    ...clone(NODE_RULES),
    weeklyWhenLongerThanDays: 0,
    monthEndReport: clone(MONTH_END),
  },
  // R8 / 002 §2.2: 于每年4月10日、7月10日、10月10日、12月10日分四次向县政府督查室反馈 — on top of the item's own policy
  // (a key task keeps R6/R7). Version 2: version 1 was a whole policy that replaced the board's (LANDED_POLICY_VERSIONS).
  { id: 'work_report', version: 2, layer: 'add_on', appliesTo: { sources: ['work_report'] }, fixedReportDates: [{ months: [4, 7, 10, 12], day: 10 }] },
  // R8 / 002 §2.3: 十件实事落实情况于每月10日、每月15日向县政府督查室反馈. Version 2: version 1 had only the 10th and replaced
  // the board's policy.
  { id: 'livelihood', version: 2, layer: 'add_on', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [10, 15] } },
  // R9 / 003 §2.5: 整改时限为2个工作日(48小时)，并于第3日12:00前…报送，逾期不报视为未整改. The 督查室 issued the
  // order itself, so there is no cadence, leader step or 重点督办: a missing report is recorded as 未整改.
  {
    id: 'rectification',
    version: 1,
    appliesTo: { kinds: ['rectification'] },
    ...clone(NODE_RULES),
    afterDeadline: [],
    overdueCadence: [],
    escalateToLeaderAfterHours: null,
    keySupervisionAfterHours: null,
    rectificationHours: 48,
    rectificationReportBy: '12:00',
  },
  // C3 / 000 §12: 对未明确办理时限的，应视情况适时报告办理进展情况，年终做出书面综合报告. The deadline is the year-end
  // written report: one notice before it, and nothing of the 13710 overdue chain (no cadence, leader step or 重点督办).
  {
    id: 'open_ended',
    version: 1,
    appliesTo: { kinds: ['open_ended'] },
    ...clone(NODE_RULES),
    beforeDeadline: [{ hours: 24 * 7 }],
    afterDeadline: [],
    overdueCadence: [],
    escalateToLeaderAfterHours: null,
    keySupervisionAfterHours: null,
  },
];

/** Earlier default versions, as they landed: history for the versions list, never in force. */
export const LANDED_POLICY_VERSIONS: PolicyRow[] = [
  { id: 'work_report', version: 1, appliesTo: { sources: ['work_report'] }, ...clone(NODE_RULES), fixedReportDates: [{ months: [4, 7, 10, 12], day: 10 }] },
  { id: 'livelihood', version: 1, appliesTo: { sources: ['livelihood'] }, ...clone(NODE_RULES), fixedReportDates: { monthly: [10] } },
];

const has = <T>(list: T[] | undefined, v: T | undefined): boolean | undefined =>
  list === undefined || list.length === 0 ? undefined : v !== undefined && list.includes(v);

/**
 * How specific a policy is for an item, or -1 when it does not apply. Weights make the rule strict:
 * kind (4) > source (2) > board (1) > default (0), and a policy constraining two of them beats one that
 * constrains only the higher — e.g. {sources:[work_report], boards:[key_task]} (3) beats {sources:[work_report]} (2).
 */
export function specificity(item: { board: Board; source: Source; kind?: ItemKind }, scope: PolicyScope): number {
  let score = 0;
  for (const [matched, weight] of [
    [has(scope.kinds, item.kind), 4],
    [has(scope.sources, item.source), 2],
    [has(scope.boards, item.board), 1],
  ] as const) {
    if (matched === false) return -1;
    if (matched === true) score += weight;
  }
  return score;
}

type PolicyItem = { board: Board; source: Source; kind?: ItemKind };

/** Only the highest version of each policy id counts (older versions are history), in the order listed. */
function latestVersions(policies: PolicyRow[]): PolicyRow[] {
  const latest = new Map<string, PolicyRow>();
  for (const p of policies) {
    const seen = latest.get(p.id);
    if (!seen || p.version > seen.version) latest.set(p.id, p);
  }
  return policies.filter((p) => latest.get(p.id) === p);
}

/** R8: several date specs as one (a date named twice is reminded once: fixedReportDays de-duplicates). */
function mergeDates(specs: FixedReportDates[]): FixedReportDates {
  if (specs.length === 1) return specs[0];
  const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return specs.flatMap((s) => (Array.isArray(s) ? s : s.monthly.map((day) => ({ months, day }))));
}

/**
 * R10: the policy an item is reminded by (issue 13 §4: policies that fit the item).
 * 1. The base: among whole policies ('base'), the most specific match — kind > source > board > default (see
 *    specificity); on a tie the policy listed first wins, so the answer never depends on anything but the data.
 * 2. A kind policy (R9 整改) replaces everything. Otherwise every add-on that applies adds its fixed report dates
 *    (R8) on top, so a 政府工作报告 key task keeps R6 逐月反馈 and R7 季度小结 and gets 4月10日… as well.
 * The result is one effective policy; when add-ons applied, its id joins the ids ('key_task+work_report') and
 * composedOf names every part with its version. Throws when no base matches: the seed rows include a catch-all,
 * and deleting it is a data error to surface, not to guess.
 */
export function policyFor(item: PolicyItem, policies: PolicyRow[]): ReminderPolicy {
  const current = latestVersions(policies);
  let best: ReminderPolicy | undefined;
  let bestScore = -1;
  for (const p of current) {
    if (isAddOn(p)) continue;
    const score = specificity(item, p.appliesTo);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  if (!best) {
    throw new RangeError(
      `no reminder policy applies to board=${item.board} source=${item.source}${item.kind ? ` kind=${item.kind}` : ''}; keep a catch-all policy (appliesTo {})`,
    );
  }
  if (best.appliesTo.kinds?.length) return best;
  const addOns = current.filter((p): p is AddOnPolicy => isAddOn(p) && specificity(item, p.appliesTo) >= 0);
  if (addOns.length === 0) return best;
  const specs = [...(best.fixedReportDates ? [best.fixedReportDates] : []), ...addOns.map((a) => a.fixedReportDates)];
  return {
    ...best,
    id: [best.id, ...addOns.map((a) => a.id)].join('+'),
    fixedReportDates: mergeDates(specs),
    composedOf: [best, ...addOns].map((p) => `${p.id}@${p.version}`),
  };
}

/** How a reminder row and the preview name the policy that planned it: 'daily@1', or 'key_task@1+work_report@2'. */
export function policyLabel(p: ReminderPolicy): string {
  return p.composedOf ? p.composedOf.join('+') : `${p.id}@${p.version}`;
}
