/**
 * R10: policies are data an admin edits — checked before they are saved, with messages that name the field in
 * Chinese (the field itself is in `field`) and say what to send. Pure.
 */
import type { ReminderPolicy } from './reminder.policy';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What a person reads for each policy field. */
const LABELS: Record<string, string> = {
  beforeDeadline: '截止前提醒',
  afterDeadline: '逾期后提醒',
  escalateToLeaderAfterHours: '报请分管领导（逾期小时数）',
  keySupervisionAfterHours: '转入重点督办（逾期小时数）',
};

export function policyProblems(p: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (typeof p !== 'object' || p === null) return [{ field: 'policy', message: '提醒策略须为对象。' }];
  const q = p as Partial<ReminderPolicy>;
  const hours = (field: 'beforeDeadline' | 'afterDeadline', list: unknown) => {
    if (!Array.isArray(list)) return out.push({ field, message: `「${LABELS[field]}」须为列表，如 [{ "hours": 5 }]。` });
    list.forEach((h, i) => {
      if (typeof (h as { hours?: unknown })?.hours !== 'number' || (h as { hours: number }).hours <= 0)
        out.push({ field: `${field}[${i}].hours`, message: `「${LABELS[field]}」第 ${i + 1} 项的小时数须为正数。` });
    });
  };
  if (typeof q.id !== 'string' || !/^[a-z0-9_]{1,32}$/.test(q.id)) out.push({ field: 'id', message: '「策略编号」须为 1–32 位小写字母、数字或下划线。' });
  hours('beforeDeadline', q.beforeDeadline);
  hours('afterDeadline', q.afterDeadline);
  if (!Array.isArray(q.overdueCadence))
    out.push({ field: 'overdueCadence', message: '「逾期催办频次」须为列表，如 [{ "untilHours": 24, "everyHours": 3 }]。' });
  else {
    let last = 0;
    q.overdueCadence.forEach((s, i) => {
      if (!(s.everyHours > 0) || !(s.untilHours > last))
        out.push({ field: `overdueCadence[${i}]`, message: `「逾期催办频次」第 ${i + 1} 段的间隔小时数须为正数，截止小时数须逐段递增。` });
      last = s.untilHours;
    });
  }
  for (const f of ['escalateToLeaderAfterHours', 'keySupervisionAfterHours'] as const) {
    const v = q[f];
    if (v !== null && !(typeof v === 'number' && v > 0)) out.push({ field: f, message: `「${LABELS[f]}」须为正数，不启用请填 null。` });
  }
  if (typeof q.notifyAt !== 'string' || !HHMM.test(q.notifyAt)) out.push({ field: 'notifyAt', message: '「日常提醒时刻」须为 时:分，如 09:00。' });
  if (!q.quietHours || !HHMM.test(q.quietHours.start ?? '') || !HHMM.test(q.quietHours.end ?? '')) {
    out.push({ field: 'quietHours', message: '「夜间免打扰时段」须写明起止时刻，如 { "start": "22:00", "end": "08:00" }。' });
  }
  // Issue 13: absent means the defaults ('working', true) — policies saved before these fields existed stay valid.
  if (q.overdueClock !== undefined && q.overdueClock !== 'working' && q.overdueClock !== 'calendar')
    out.push({ field: 'overdueClock', message: '「逾期计时方式」须为 working（只计工作日）或 calendar（按自然时间）。' });
  if (q.quietDays !== undefined && typeof q.quietDays !== 'boolean') out.push({ field: 'quietDays', message: '「节假日不发送」须为 true 或 false。' });
  if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「适用范围」须为对象（空对象表示默认策略）。' });
  return out;
}
