/**
 * Deadlines (DOMAIN C3) and extension requests (E1); where an approved extension takes the item (E2) is ongoing.rules.ts. Pure: `now` and the calendar are parameters.
 */
import { addDays, weekday } from '../calendar/local-date';
import { addMonthsShanghai, formatShanghai, shanghaiDate, shanghaiInstant, shanghaiYear } from '../shared/shanghai-time';
import type { Board, Category } from '../shared/vocabulary';
import type { DeadlinePolicy, NodeLength, TimeNode } from '../settings/deadline-policy';

// The time nodes and the deadline policy's shape and defaults are settings' (an admin edits them); re-exported for cases.
export { DEFAULT_DEADLINE_POLICY, TIME_NODES } from '../settings/deadline-policy';
export type { DeadlinePolicy, NodeLength, TimeNode } from '../settings/deadline-policy';

/** How a deadline is given when an item is registered: a time node, an absolute date, or N working days. */
export type DeadlineSpec = { node: TimeNode } | { date: string } | { workingDays: number };

/** The part of the working-day calendar deadlines need (see calendar/work-calendar.ts). */
export interface WorkingDays {
  isWorkday(date: string): boolean;
  addWorkingDays(date: string, n: number): string;
  lastWorkingDayOfMonth(year: number, month: number): string;
  uncoveredYearsBetween(from: string, to: string): number[];
}

export interface DeadlineProblem {
  code: string;
  field: string;
  message: string;
}

export interface ResolvedDeadline {
  at: Date;
  /** How it was given, kept on the item: '7d', 'date:2026-12-10', 'wd:10', 'open:2026'. */
  spec: string;
  /** Years the calendar has no official data for: the caller warns (working days there follow weekends + overrides). */
  uncoveredYears: number[];
  /** What the person registering should know about the deadline (Chinese, e.g. a date moved off a holiday). */
  warnings?: string[];
  /** C3: a 专项督查 deadline beyond the ceiling, allowed because the 督查室 recorded an exception (the reason). */
  ceilingException?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The day itself when it is a working day, otherwise the next working day. */
function onOrNextWorkday(date: string, calendar: WorkingDays): string {
  return calendar.isWorkday(date) ? date : calendar.addWorkingDays(date, 1);
}

/** '2026-05-06' → '5月6日' (with the year when it differs from `sameYearAs`). */
function chineseDay(date: string, sameYearAs?: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${sameYearAs && sameYearAs.slice(0, 4) === date.slice(0, 4) ? '' : `${y}年`}${m}月${d}日`;
}

/** C3 (001 §13): the day a time node ends — counted from the day after registration, on a working day. */
export function nodeDay(node: NodeLength, registeredOn: string, calendar: WorkingDays): string {
  if (node.unit === 'working_day') return calendar.addWorkingDays(registeredOn, node.n);
  if (node.unit === 'calendar_day') return onOrNextWorkday(addDays(registeredOn, node.n), calendar);
  return onOrNextWorkday(shanghaiDate(addMonthsShanghai(shanghaiInstant(registeredOn, '12:00'), node.n)), calendar);
}

/**
 * C3 (000 §12): an item without a time limit reports when there is something to report and writes one report at the
 * year's end (年终做出书面综合报告) — due at dayEnd of the last working day of the year, or of next year when that is past.
 */
export function openEndedDeadline(now: Date, calendar: WorkingDays, policy: DeadlinePolicy): ResolvedDeadline {
  const year = shanghaiYear(now);
  let day = calendar.lastWorkingDayOfMonth(year, 12);
  if (shanghaiInstant(day, policy.dayEnd).getTime() <= now.getTime()) day = calendar.lastWorkingDayOfMonth(year + 1, 12);
  return { at: shanghaiInstant(day, policy.dayEnd), spec: `open:${day.slice(0, 4)}`, uncoveredYears: calendar.uncoveredYearsBetween(shanghaiDate(now), day) };
}

/** C3: work out the deadline of a new item. */
export function resolveDeadline(
  input: { spec?: DeadlineSpec; board: Board; category: Category; reason?: string; mayRecordException?: boolean },
  ctx: { now: Date; calendar: WorkingDays; policy: DeadlinePolicy },
): ResolvedDeadline | DeadlineProblem {
  const { now, calendar, policy } = ctx;
  const spec: DeadlineSpec =
    input.spec ?? (input.category === 'special' ? { workingDays: policy.specialWorkingDays } : { node: policy.defaultNodeByBoard[input.board] });
  const today = shanghaiDate(now);
  let day: string;
  let label: string;
  const warnings: string[] = [];
  if ('node' in spec) {
    // C3 / 001 §13.1: 1 day, 3 days, 7 days, 1 month — counted in days (policy), ending at the day end of a working day.
    day = nodeDay(policy.nodes[spec.node], today, calendar);
    label = spec.node;
  } else if ('date' in spec) {
    if (!DATE_RE.test(spec.date) || Number.isNaN(shanghaiInstant(spec.date).getTime()) || shanghaiDate(shanghaiInstant(spec.date)) !== spec.date) {
      return { code: 'DEADLINE.BAD_DATE', field: 'deadlineDate', message: `办理期限「${spec.date}」不是有效日期，请写成 2026-12-10 的格式。` };
    }
    if (shanghaiInstant(spec.date, policy.dayEnd).getTime() <= now.getTime()) {
      return { code: 'DEADLINE.IN_PAST', field: 'deadlineDate', message: `办理期限 ${spec.date} ${policy.dayEnd} 已过，请给一个将来的期限。` };
    }
    day = onOrNextWorkday(spec.date, calendar);
    if (day !== spec.date) {
      const what = [0, 6].includes(weekday(spec.date)) ? '休息日' : '法定节假日';
      warnings.push(`办理期限 ${chineseDay(spec.date)} 为${what}，已顺延至${chineseDay(day, spec.date)} ${policy.dayEnd}。`);
    }
    label = `date:${spec.date}`;
  } else {
    if (!Number.isInteger(spec.workingDays) || spec.workingDays < 1 || spec.workingDays > 250) {
      return { code: 'DEADLINE.BAD_WORKING_DAYS', field: 'workingDays', message: '工作日天数须为 1 到 250 之间的整数。' };
    }
    // C3: counted on the official calendar with 调休; the registration day itself is not counted.
    day = calendar.addWorkingDays(today, spec.workingDays);
    label = `wd:${spec.workingDays}`;
  }
  const uncoveredYears = calendar.uncoveredYearsBetween(today, day);
  for (const y of uncoveredYears) warnings.push(`${y}年的法定节假日尚未公布，期限暂按周末休息计算；节假日公布后请管理员录入并核对期限。`);
  const at = shanghaiInstant(day, policy.dayEnd);
  if (at.getTime() <= now.getTime()) {
    return { code: 'DEADLINE.IN_PAST', field: 'deadlineDate', message: `办理期限 ${formatShanghai(at)} 已过，请给一个将来的期限。` };
  }
  const reason = input.reason?.trim();
  // "N months" is counted as a month node is: from the registration day, to the end of a working day.
  const monthsAway = (months: number) => shanghaiInstant(nodeDay({ n: months, unit: 'month' }, today, calendar), policy.dayEnd);
  let ceilingException: string | undefined;
  if (input.category === 'special') {
    // C3 (000 §8): 承办时限一般要求10个工作日内反馈，个别特殊事项不得超过1个月 — a ceiling the 督查室 alone may lift, with a reason.
    const ceiling = monthsAway(policy.specialCeilingMonths);
    if (at.getTime() > ceiling.getTime()) {
      if (!reason || !input.mayRecordException) {
        return {
          code: 'DEADLINE.SPECIAL_CEILING',
          field: 'deadlineReason',
          message:
            `专项督查事项办理期限不得超过${policy.specialCeilingMonths}个月（最迟 ${formatShanghai(ceiling)}），本次期限为 ${formatShanghai(at)}。` +
            (input.mayRecordException ? '确属特殊情况的，请填写「期限理由」，作为例外记录在案。' : '请缩短期限；确属特殊情况的，请报督查室登记例外。'),
        };
      }
      ceilingException = reason;
    }
  }
  if (!ceilingException && at.getTime() > monthsAway(policy.reasonBeyondMonths).getTime() && !reason) {
    return {
      code: 'DEADLINE.REASON_REQUIRED',
      field: 'deadlineReason',
      message: `办理期限超过${policy.reasonBeyondMonths}个月（${formatShanghai(at)}），请填写「期限理由」说明原因。`,
    };
  }
  return { at, spec: label, uncoveredYears, ...(warnings.length ? { warnings } : {}), ...(ceilingException ? { ceilingException } : {}) };
}

/**
 * E1 (001 §16: 承办单位须提前2天提出延期办结申请): the last day one may ask is the n-th day (working days by default)
 * before the deadline DAY; requests are accepted until the end of that day (24:00).
 */
export function lastExtensionDay(deadlineAt: Date, calendar: WorkingDays, policy: DeadlinePolicy): string {
  let day = shanghaiDate(deadlineAt);
  if (policy.extensionDaysUnit === 'calendar_day') return addDays(day, -policy.extensionMinDaysBefore);
  for (let left = policy.extensionMinDaysBefore, walked = 0; left > 0; walked++) {
    if (walked > 400) throw new RangeError('no working day within 400 days: calendar data is broken');
    day = addDays(day, -1);
    if (calendar.isWorkday(day)) left--;
  }
  return day;
}

/** E1: an extension request must come early enough, give a later date, a reason and a plan. */
export function checkExtensionRequest(
  input: { newDeadline: Date; reason?: string; plan?: string },
  ctx: { now: Date; deadlineAt: Date; calendar: WorkingDays; policy: DeadlinePolicy; number?: string },
): DeadlineProblem | null {
  const lastDay = lastExtensionDay(ctx.deadlineAt, ctx.calendar, ctx.policy);
  if (shanghaiDate(ctx.now) > lastDay) {
    const unit = ctx.policy.extensionDaysUnit === 'calendar_day' ? '天' : '个工作日';
    return {
      code: 'EXTENSION.TOO_LATE',
      field: 'newDeadline',
      message:
        `延期须在期限前至少${ctx.policy.extensionMinDaysBefore}${unit}提出。本事项期限 ${formatShanghai(ctx.deadlineAt)}，` +
        `最迟应于 ${chineseDay(lastDay)}（含当日）申请，现已超过，不能再申请延期。` +
        // Issue 14: the next step, with the person's own number.
        (ctx.number
          ? `请按期办结：/办结 ${ctx.number} 办理情况；确实无法按期完成的，请反馈原因：/反馈 ${ctx.number} 未能按期完成的原因。`
          : '请按期申请办结；确实无法按期完成的，请反馈未能按期完成的原因。'),
    };
  }
  if (!input.reason?.trim()) return { code: 'EXTENSION.REASON_REQUIRED', field: 'reason', message: '申请延期须写明理由。' };
  if (!input.plan?.trim()) return { code: 'EXTENSION.PLAN_REQUIRED', field: 'plan', message: '申请延期须附落实方案。' };
  if (input.newDeadline.getTime() <= ctx.deadlineAt.getTime()) {
    return {
      code: 'EXTENSION.NOT_LATER',
      field: 'newDeadline',
      message: `新期限须晚于现期限 ${formatShanghai(ctx.deadlineAt)}，请重新填写。`,
    };
  }
  return null;
}

/**
 * Issue 14: a new deadline typed in chat that is probably not what was meant is asked about (/确认) instead of filed:
 * - typed without a year and fallen into next year ('12月1日' on 12-02 → next year's 12-01);
 * - more than a year away — beyond the 年度 frame in which items are followed and reported (C3 year-end report);
 * - adding more time than the item's whole span so far (交办 → current deadline) AND more than 30 days: a week's slip
 *   on a 3-day item is ordinary, but doubling a month-long item or more usually is a mistyped month or year.
 */
export function extensionNeedsConfirmation(p: { newDeadline: Date; now: Date; deadlineAt: Date; startedAt: Date; yearGuessed?: boolean }): boolean {
  const DAY = 86_400_000;
  if (p.yearGuessed) return true;
  if (p.newDeadline.getTime() - p.now.getTime() > 365 * DAY) return true;
  const added = p.newDeadline.getTime() - p.deadlineAt.getTime();
  const span = p.deadlineAt.getTime() - p.startedAt.getTime();
  return added > 30 * DAY && added > span;
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** What the 立项 form shows before saving (issue 15): the due date on the official calendar, and whether holidays moved it. */
export interface DeadlineDescription {
  /** 「2026年5月6日（星期三）18:00」 */
  when: string;
  /** A 法定节假日 (a weekday off, not a weekend) lies between registration and the due day: the count went past it. */
  pastHolidays: boolean;
  /** 「办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延」 */
  sentence: string;
}

export function describeDeadline(at: Date, registeredAt: Date, calendar: Pick<WorkingDays, 'isWorkday'>): DeadlineDescription {
  const due = shanghaiDate(at);
  const [y, m, d] = due.split('-').map(Number);
  const hm = formatShanghai(at).slice(11);
  const when = `${y}年${m}月${d}日（${WEEKDAY_NAMES[weekday(due)]}）${hm}`;
  let pastHolidays = false;
  // At most ~400 days are walked (a deadline is at most 250 working days away, or one year for an open-ended item).
  for (let day = addDays(shanghaiDate(registeredAt), 1), n = 0; day <= due && n < 800 && !pastHolidays; day = addDays(day, 1), n++) {
    if (!calendar.isWorkday(day) && ![0, 6].includes(weekday(day))) pastHolidays = true;
  }
  return { when, pastHolidays, sentence: `办理期限：${when}${pastHolidays ? '，已按法定节假日顺延' : ''}` };
}
