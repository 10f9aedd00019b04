/**
 * The office's own hand (DOMAIN R5, issue 13 §6), pure: manual 催办 — 000 §8.3 "市政府督查室采取电话、面商等形式定期进行催办,
 * 电话询问应做好详细电话记录备查;对重点查办件,必要时派人到承办单位现场督办", 001 §13 "由督办主体进行电话催办" and
 * "采取函询、持续办理、约谈等方式督促承办单位限期整改" — and 重点督办 set or cleared by the 督查室 (001 §14 "由市政府督查室按照
 * 市政府分管副秘书长或办公厅分管领导以上负责人要求进行重点督办", 003 二(三) "经催办仍进展缓慢的,列为重点督办事项").
 * No clock, no database: `now` and the calendar are parameters. The texts are what people read: no rule ids.
 */
import { formatShanghai, shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import { URGE_METHOD_LABELS } from '../shared/vocabulary';

export const URGE_METHODS = URGE_METHOD_LABELS;
export type UrgeMethod = keyof typeof URGE_METHODS;
export const URGE_METHOD_CODES = Object.keys(URGE_METHODS) as UrgeMethod[];

/** The method from its code or its Chinese name (a form may send either). */
export function parseUrgeMethod(input: string): UrgeMethod | null {
  const s = input.trim();
  if ((URGE_METHOD_CODES as string[]).includes(s)) return s as UrgeMethod;
  return URGE_METHOD_CODES.find((m) => URGE_METHODS[m] === s) ?? null;
}

export interface UrgingInput {
  method: UrgeMethod;
  /** What was said or done: the phone record, what was found on site, the letter's questions, the 约谈's points, what to rectify. */
  record: string;
  /** Whom: the person called (电话催办) or talked to (约谈); optional for the others. */
  contact?: string | null;
  /** 限期整改 only: the new limit, a date (that working day's end) or a date-time on a working day. */
  newLimit?: string | null;
}

export interface UrgingProblem {
  code: string;
  field: string;
  message: string;
}

/** What the rules need of the working-day calendar (calendar/work-calendar.ts fits). */
export interface UrgingCalendar {
  isWorkday(date: string): boolean;
  addWorkingDays(date: string, n: number): string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const RECORD_ASKED: Record<UrgeMethod, string> = {
  phone: '电话催办须记录通话情况（对方如何答复），以备查。',
  on_site: '现场督办须记录现场查看的情况。',
  letter: '函询须写明询问的事项。',
  interview: '约谈须记录约谈的要求和对方的表态。',
  rectify: '限期整改须写明整改要求。',
};

/**
 * R5: is this urging complete? For 限期整改 also works out its limit. C3 reads a deadline as the end of a working day,
 * so a date is that day's `dayEnd`, moved to the next working day if it is a day off; a date-time must fall on a
 * working day and be still to come.
 */
export function checkUrging(input: UrgingInput, ctx: { now: Date; calendar: UrgingCalendar; dayEnd: string }): { limit: Date | null } | UrgingProblem {
  const label = URGE_METHODS[input.method];
  const contact = input.contact?.trim() ?? '';
  if (input.method === 'phone' && !contact) {
    return { code: 'URGING.CONTACT_REQUIRED', field: 'contact', message: '电话催办须写明致电对象（单位、姓名、职务）。' };
  }
  if (input.method === 'interview' && !contact) {
    return { code: 'URGING.CONTACT_REQUIRED', field: 'contact', message: '约谈须写明约谈对象（单位、姓名、职务）。' };
  }
  if (!input.record?.trim()) return { code: 'URGING.RECORD_REQUIRED', field: 'record', message: RECORD_ASKED[input.method] };
  const given = input.newLimit?.trim() ?? '';
  if (input.method !== 'rectify') {
    if (given) return { code: 'URGING.LIMIT_NOT_EXPECTED', field: 'newLimit', message: `只有限期整改需要填写整改期限，${label}请不要填写。` };
    return { limit: null };
  }
  const example = `如 ${ctx.calendar.addWorkingDays(shanghaiDate(ctx.now), 3)}（当天 ${ctx.dayEnd} 到期）`;
  if (!given) return { code: 'URGING.LIMIT_REQUIRED', field: 'newLimit', message: `限期整改须给出整改期限，${example}。` };
  let limit: Date;
  if (DATE_RE.test(given)) {
    const day = ctx.calendar.isWorkday(given) ? given : ctx.calendar.addWorkingDays(given, 1);
    limit = shanghaiInstant(day, ctx.dayEnd);
    if (Number.isNaN(limit.getTime()) || shanghaiDate(shanghaiInstant(given)) !== given) return badLimit(given, example);
  } else {
    limit = new Date(given);
    if (Number.isNaN(limit.getTime())) return badLimit(given, example);
    const day = shanghaiDate(limit);
    if (!ctx.calendar.isWorkday(day)) {
      return {
        code: 'URGING.LIMIT_DAY_OFF',
        field: 'newLimit',
        message: `整改期限 ${formatShanghai(limit)} 是休息日，请改在工作日，如 ${ctx.calendar.addWorkingDays(day, 1)}。`,
      };
    }
  }
  if (limit.getTime() <= ctx.now.getTime()) {
    return { code: 'URGING.LIMIT_PAST', field: 'newLimit', message: `整改期限 ${formatShanghai(limit)} 已过，请给一个将来的期限，${example}。` };
  }
  return { limit };
}

const badLimit = (given: string, example: string): UrgingProblem => ({
  code: 'URGING.BAD_LIMIT',
  field: 'newLimit',
  message: `整改期限「${given}」不是有效的日期，请写成 2026-03-10 或 2026-03-10T12:00:00+08:00 的格式，${example}。`,
});

/** C6: the timeline line of an urging, the record in full (the 一事一卷 keeps it 备查). */
export function urgingSummary(u: { method: UrgeMethod; record: string; contact: string | null; limit: Date | null; previousDeadline: Date }): string {
  const record = u.record.trim();
  const contact = u.contact?.trim() ?? '';
  switch (u.method) {
    case 'phone':
      return `电话催办：致电${contact}，通话记录：${record}`;
    case 'on_site':
      return `现场督办${contact ? `（${contact}）` : ''}：${record}`;
    case 'letter':
      return `函询${contact}：${record}`;
    case 'interview':
      return `约谈${contact}：${record}`;
    case 'rectify':
      return `限期整改：${record}。限 ${formatShanghai(u.limit)} 前整改到位（原期限 ${formatShanghai(u.previousDeadline)}），此后按新期限提醒和计算逾期`;
  }
}

/**
 * R5: what the lead unit's group reads after a 函询 or a 限期整改 — what to do and by when. A 函询 is answered by the
 * item's deadline, or at once if it has passed; a 限期整改 by its own limit. Phone, on-site and 约谈 happen with the
 * unit directly: nothing is sent.
 */
export function urgingNotice(u: {
  method: UrgeMethod;
  record: string;
  head: string;
  by: string;
  limit: Date | null;
  deadlineAt: Date;
  now: Date;
}): { title: string; text: string } | null {
  const record = u.record.trim();
  if (u.method === 'letter') {
    const when = u.deadlineAt.getTime() > u.now.getTime() ? `请于 ${formatShanghai(u.deadlineAt)} 前书面答复` : '本事项已过办理期限，请立即书面答复';
    return { title: '函询', text: `【函询】${u.head}\n${u.by}函询：${record}\n${when}，并在督办系统中反馈办理情况。` };
  }
  if (u.method === 'rectify') {
    return {
      title: '限期整改',
      text: `【限期整改】${u.head}\n${u.by}要求限期整改：${record}\n请于 ${formatShanghai(u.limit)} 前整改到位，并在督办系统中反馈整改情况；逾期未反馈的，将继续催办并按规定处理。`,
    };
  }
  return null;
}

/** R5: who set the flag — the rule (3 days overdue) or the 督查室 by hand. */
export type KeySupervisionOrigin = 'R5' | 'office';

/** R5: may the 督查室 set (on) or clear (off) the flag now? A reason is always required; null when it may. */
export function checkKeySupervisionChange(k: {
  on: boolean;
  current: boolean;
  reason: string;
  number: string;
}): (UrgingProblem & { kind: 'invalid' | 'conflict' }) | null {
  if (!k.reason?.trim()) {
    return {
      code: 'KEY_SUPERVISION.REASON_REQUIRED',
      kind: 'invalid',
      field: 'reason',
      message: k.on ? '列为重点督办须写明理由（如经催办仍进展缓慢、领导要求等）。' : '取消重点督办须写明理由（如已整改到位）。',
    };
  }
  if (k.on && k.current) {
    return { code: 'KEY_SUPERVISION.ALREADY', kind: 'conflict', field: 'on', message: `事项 ${k.number} 已在重点督办中，无需重复列入；如需调整，请先取消。` };
  }
  if (!k.on && !k.current) return { code: 'KEY_SUPERVISION.NOT_SET', kind: 'conflict', field: 'on', message: `事项 ${k.number} 不在重点督办中，无需取消。` };
  return null;
}

/**
 * C6: the timeline line. Clearing says the points stay: S6 is counted when the item enters 重点督办 (001 积分 §10.2
 * "逾期2天以上、进入重点督办环节的，每项减5分") — entering is the fact, and a cleared flag does not undo it.
 */
export function keySupervisionSummary(k: { on: boolean; origin: KeySupervisionOrigin; reason: string | null; requestedBy: string | null }): string {
  if (!k.on) return `取消重点督办：${k.reason?.trim() ?? ''}（已扣减的积分不退还）`;
  if (k.origin === 'R5') return '逾期已满3天，转入重点督办（督查室跟踪督办，列入下期通报）';
  return `列为重点督办：${k.reason?.trim() ?? ''}${k.requestedBy?.trim() ? `（按${k.requestedBy.trim()}要求）` : ''}`;
}

/** R5: what the lead unit reads when its item enters 重点督办, automatically or by hand. */
export function keySupervisionNotice(k: {
  head: string;
  origin: KeySupervisionOrigin;
  reason: string | null;
  requestedBy: string | null;
  deadlineAt: Date;
  now: Date;
}): { title: string; text: string } {
  const why =
    k.origin === 'R5'
      ? '逾期已满3天仍未反馈，已转入重点督办。'
      : `已列为重点督办事项：${k.reason?.trim() ?? ''}${k.requestedBy?.trim() ? `（按${k.requestedBy.trim()}要求）` : ''}。`;
  const when = k.deadlineAt.getTime() > k.now.getTime() ? `于 ${formatShanghai(k.deadlineAt)} 前反馈办理情况。` : '立即反馈办理情况。';
  return { title: '重点督办', text: `【重点督办】${k.head}\n${why}\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，${when}` };
}
