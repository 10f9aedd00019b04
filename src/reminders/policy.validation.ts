/** R10: policies are data an admin edits — checked before they are saved, with messages that name the field. Pure. */
import type { FixedReportDates, ReminderPolicy } from './reminder.policy';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** R8: { monthly: [10, 15] } or [{ months: [4, 7, 10, 12], day: 10 }] — months 1–12, days 1–31. */
function datesProblems(v: unknown): string | null {
  const day = (d: unknown) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 31;
  const month = (m: unknown) => Number.isInteger(m) && (m as number) >= 1 && (m as number) <= 12;
  const spec = v as FixedReportDates;
  if (Array.isArray(spec)) {
    if (spec.length > 0 && spec.every((s) => Array.isArray(s?.months) && s.months.length > 0 && s.months.every(month) && day(s.day))) return null;
  } else if (typeof spec === 'object' && spec !== null && Array.isArray(spec.monthly) && spec.monthly.length > 0 && spec.monthly.every(day)) return null;
  return '「fixedReportDates」须写成 { "monthly": [10, 15] }（每月几日）或 [{ "months": [4, 7, 10, 12], "day": 10 }]（每年几月几日），月份 1–12，日期 1–31。';
}

export function policyProblems(p: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (typeof p !== 'object' || p === null) return [{ field: 'policy', message: '策略须为对象。' }];
  const layer = (p as { layer?: unknown }).layer;
  if (layer !== undefined && layer !== 'base' && layer !== 'add_on')
    return [{ field: 'layer', message: '「layer」须为 base（完整策略）或 add_on（只在事项的策略之上加定期报送日期）。' }];
  const q = p as Partial<ReminderPolicy>;
  if ('composedOf' in p)
    out.push({ field: 'composedOf', message: '「composedOf」是系统合成事项策略时的标注，不能保存；请去掉该项，分别保存基础策略和附加策略。' });
  if (q.fixedReportDates !== undefined || layer === 'add_on') {
    const problem = datesProblems(q.fixedReportDates);
    if (problem) out.push({ field: 'fixedReportDates', message: problem });
  }
  if (layer === 'add_on') {
    // An add-on only adds report dates: everything else comes from the item's own policy.
    if (typeof q.id !== 'string' || !/^[a-z0-9_]{1,32}$/.test(q.id)) out.push({ field: 'id', message: '「id」须为 1–32 位小写字母、数字或下划线。' });
    if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「appliesTo」须为对象，写明适用的来源或版块。' });
    const extra = Object.keys(p).filter((k) => !['id', 'version', 'layer', 'appliesTo', 'fixedReportDates'].includes(k));
    if (extra.length)
      out.push({
        field: extra[0],
        message: `附加策略只含适用范围和定期报送日期，请去掉 ${extra.map((k) => `「${k}」`).join('、')}，提醒节奏由事项本身的策略决定。`,
      });
    return out;
  }
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
        out.push({ field: `overdueCadence[${i}]`, message: `「overdueCadence」第 ${i + 1} 段须 everyHours > 0 且 untilHours 递增。` });
      last = s.untilHours;
    });
  }
  for (const f of ['escalateToLeaderAfterHours', 'keySupervisionAfterHours'] as const) {
    const v = q[f];
    if (v !== null && !(typeof v === 'number' && v > 0)) out.push({ field: f, message: `「${f}」须为正数小时或 null（不启用）。` });
  }
  if (typeof q.notifyAt !== 'string' || !HHMM.test(q.notifyAt)) out.push({ field: 'notifyAt', message: '「notifyAt」须为 HH:MM，如 09:00。' });
  if (!q.quietHours || !HHMM.test(q.quietHours.start ?? '') || !HHMM.test(q.quietHours.end ?? '')) {
    out.push({ field: 'quietHours', message: '「quietHours」须为 { start: "22:00", end: "08:00" } 的形式。' });
  }
  if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「appliesTo」须为对象（可为空对象，表示默认策略）。' });
  return out;
}
