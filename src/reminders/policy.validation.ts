/** R10: policies are data an admin edits — checked before they are saved, with messages that name the field. Pure. */
import type { ReminderPolicy } from './reminder.policy';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function policyProblems(p: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (typeof p !== 'object' || p === null) return [{ field: 'policy', message: '策略须为对象。' }];
  const q = p as Partial<ReminderPolicy>;
  const hours = (field: string, list: unknown) => {
    if (!Array.isArray(list)) return out.push({ field, message: `「${field}」须为数组。` });
    list.forEach((h, i) => {
      if (typeof (h as { hours?: unknown })?.hours !== 'number' || (h as { hours: number }).hours <= 0)
        out.push({ field: `${field}[${i}].hours`, message: `「${field}[${i}].hours」须为正数（小时）。` });
    });
  };
  if (typeof q.id !== 'string' || !/^[a-z0-9_]{1,32}$/.test(q.id)) out.push({ field: 'id', message: '「id」须为 1–32 位小写字母、数字或下划线。' });
  hours('beforeDeadline', q.beforeDeadline);
  hours('afterDeadline', q.afterDeadline);
  if (!Array.isArray(q.overdueCadence)) out.push({ field: 'overdueCadence', message: '「overdueCadence」须为数组。' });
  else {
    let last = 0;
    q.overdueCadence.forEach((s, i) => {
      if (!(s.everyHours > 0) || !(s.untilHours > last))
        out.push({ field: `overdueCadence[${i}]`, message: `R4：第 ${i + 1} 段须 everyHours > 0 且 untilHours 递增。` });
      last = s.untilHours;
    });
  }
  for (const f of ['escalateToLeaderAfterHours', 'keySupervisionAfterHours'] as const) {
    const v = q[f];
    if (v !== null && !(typeof v === 'number' && v > 0)) out.push({ field: f, message: `「${f}」须为正数小时或 null（不启用）。` });
  }
  if (typeof q.notifyAt !== 'string' || !HHMM.test(q.notifyAt)) out.push({ field: 'notifyAt', message: '「notifyAt」须为 HH:MM，如 09:00。' });
  if (!q.quietHours || !HHMM.test(q.quietHours.start ?? '') || !HHMM.test(q.quietHours.end ?? '')) {
    out.push({ field: 'quietHours', message: 'R10：「quietHours」须为 { start: "22:00", end: "08:00" } 的形式。' });
  }
  if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「appliesTo」须为对象（可为空对象，表示默认策略）。' });
  return out;
}
