/**
 * Deadlines (DOMAIN C3) and extension requests (E1); where an approved extension takes the item (E2) is ongoing.rules.ts. Pure: `now` and the calendar are parameters.
 */
import { addMonthsShanghai, DAY_MS, formatShanghai, shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import type { Board, Category } from '../shared/vocabulary';
import type { DeadlinePolicy, TimeNode } from '../settings/deadline-policy';

// The time nodes and the deadline policy's shape and defaults are settings' (an admin edits them); re-exported for cases.
export { DEFAULT_DEADLINE_POLICY, TIME_NODES } from '../settings/deadline-policy';
export type { DeadlinePolicy, TimeNode } from '../settings/deadline-policy';

/** How a deadline is given when an item is registered: a time node, an absolute date, or N working days. */
export type DeadlineSpec = { node: TimeNode } | { date: string } | { workingDays: number };

/** The part of the working-day calendar deadlines need (see calendar/work-calendar.ts). */
export interface WorkingDays {
  addWorkingDays(date: string, n: number): string;
  uncoveredYearsBetween(from: string, to: string): number[];
}

export interface DeadlineProblem {
  code: string;
  field: string;
  message: string;
}

export interface ResolvedDeadline {
  at: Date;
  /** How it was given, kept on the item: '7d', 'date:2026-12-10', 'wd:10'. */
  spec: string;
  /** Years the calendar has no official data for: the caller warns (working days there follow weekends + overrides). */
  uncoveredYears: number[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** C3: work out the deadline of a new item. */
export function resolveDeadline(
  input: { spec?: DeadlineSpec; board: Board; category: Category; reason?: string },
  ctx: { now: Date; calendar: WorkingDays; policy: DeadlinePolicy },
): ResolvedDeadline | DeadlineProblem {
  const { now, calendar, policy } = ctx;
  const spec: DeadlineSpec =
    input.spec ?? (input.category === 'special' ? { workingDays: policy.specialWorkingDays } : { node: policy.defaultNodeByBoard[input.board] });
  let at: Date;
  let label: string;
  let uncoveredYears: number[] = [];
  if ('node' in spec) {
    // C3 / 001 §13.1: time nodes run from registration (1 day, 3 days, 7 days, 1 month).
    at = spec.node === '1m' ? addMonthsShanghai(now, 1) : new Date(now.getTime() + Number(spec.node[0]) * DAY_MS);
    label = spec.node;
  } else if ('date' in spec) {
    if (!DATE_RE.test(spec.date) || Number.isNaN(shanghaiInstant(spec.date).getTime()) || shanghaiDate(shanghaiInstant(spec.date)) !== spec.date) {
      return { code: 'DEADLINE.BAD_DATE', field: 'deadlineDate', message: `办理期限「${spec.date}」不是有效日期，请写成 2026-12-10 的格式。` };
    }
    at = shanghaiInstant(spec.date, policy.dayEnd);
    label = `date:${spec.date}`;
  } else {
    if (!Number.isInteger(spec.workingDays) || spec.workingDays < 1 || spec.workingDays > 250) {
      return { code: 'DEADLINE.BAD_WORKING_DAYS', field: 'workingDays', message: '工作日天数须为 1 到 250 之间的整数。' };
    }
    // C3: counted on the official calendar with 调休; the registration day itself is not counted.
    const today = shanghaiDate(now);
    const day = calendar.addWorkingDays(today, spec.workingDays);
    uncoveredYears = calendar.uncoveredYearsBetween(today, day);
    at = shanghaiInstant(day, policy.dayEnd);
    label = `wd:${spec.workingDays}`;
  }
  if (at.getTime() <= now.getTime()) {
    return { code: 'DEADLINE.IN_PAST', field: 'deadlineDate', message: `办理期限 ${formatShanghai(at)} 已过，请给一个将来的期限。` };
  }
  if (at.getTime() > addMonthsShanghai(now, policy.reasonBeyondMonths).getTime() && !input.reason?.trim()) {
    return {
      code: 'DEADLINE.REASON_REQUIRED',
      field: 'deadlineReason',
      message: `C3：办理期限超过${policy.reasonBeyondMonths}个月（${formatShanghai(at)}），须填写「期限说明」写明理由。`,
    };
  }
  return { at, spec: label, uncoveredYears };
}

/** E1: an extension request must come early enough, give a later date, a reason and a plan. */
export function checkExtensionRequest(
  input: { newDeadline: Date; reason?: string; plan?: string },
  ctx: { now: Date; deadlineAt: Date; policy: DeadlinePolicy },
): DeadlineProblem | null {
  const latest = new Date(ctx.deadlineAt.getTime() - ctx.policy.extensionMinDaysBefore * DAY_MS);
  if (ctx.now.getTime() > latest.getTime()) {
    return {
      code: 'EXTENSION.TOO_LATE',
      field: 'newDeadline',
      message:
        `E1：延期须在期限前至少${ctx.policy.extensionMinDaysBefore}天提出。本事项期限 ${formatShanghai(ctx.deadlineAt)}，` +
        `最迟应于 ${formatShanghai(latest)} 前申请；请联系立项主体说明情况。`,
    };
  }
  if (!input.reason?.trim()) return { code: 'EXTENSION.REASON_REQUIRED', field: 'reason', message: 'E1：申请延期须写明理由。' };
  if (!input.plan?.trim()) return { code: 'EXTENSION.PLAN_REQUIRED', field: 'plan', message: 'E1：申请延期须附落实方案。' };
  if (input.newDeadline.getTime() <= ctx.deadlineAt.getTime()) {
    return {
      code: 'EXTENSION.NOT_LATER',
      field: 'newDeadline',
      message: `E1：新期限须晚于现期限 ${formatShanghai(ctx.deadlineAt)}。`,
    };
  }
  return null;
}
