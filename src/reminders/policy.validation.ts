/**
 * R10: policies are data an admin edits — checked before they are saved, with messages that name the field in
 * Chinese (the field itself is in `field`) and say what to send. Pure.
 */
import type { FixedReportDates, ReminderPolicy } from './reminder.policy';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What a person reads for each policy field. */
const LABELS: Record<string, string> = {
  beforeDeadline: '截止前提醒',
  afterDeadline: '逾期后提醒',
  escalateToLeaderAfterHours: '报请分管领导（逾期小时数）',
  keySupervisionAfterHours: '转入重点督办（逾期小时数）',
  overdueCadence: '逾期催办频次',
  notifyAt: '日常提醒时刻',
  quietHours: '夜间免打扰时段',
  overdueClock: '逾期计时方式',
  quietDays: '节假日不发送',
  monthEndReport: '月底报送',
  quarterlySummary: '季度小结',
  weeklyWhenLongerThanDays: '每周提醒',
  rectificationHours: '整改时限',
  rectificationReportBy: '整改报送时刻',
  overdueFollowUp: '逾期持续催办',
  maxUrgesPerDay: '每群每日提醒上限',
  decisionReminders: '待审核、待审批、待审定提醒',
};

/** R8: { monthly: [10, 15] } or [{ months: [4, 7, 10, 12], day: 10 }] — months 1–12, days 1–31. */
function datesProblems(v: unknown): string | null {
  const day = (d: unknown) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 31;
  const month = (m: unknown) => Number.isInteger(m) && (m as number) >= 1 && (m as number) <= 12;
  const spec = v as FixedReportDates;
  if (Array.isArray(spec)) {
    if (spec.length > 0 && spec.every((s) => Array.isArray(s?.months) && s.months.length > 0 && s.months.every(month) && day(s.day))) return null;
  } else if (typeof spec === 'object' && spec !== null && Array.isArray(spec.monthly) && spec.monthly.length > 0 && spec.monthly.every(day)) return null;
  return '「定期报送日期」须写成 { "monthly": [10, 15] }（每月几日）或 [{ "months": [4, 7, 10, 12], "day": 10 }]（每年几月几日），月份 1–12，日期 1–31。';
}

export function policyProblems(p: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (typeof p !== 'object' || p === null) return [{ field: 'policy', message: '提醒策略须为对象。' }];
  const layer = (p as { layer?: unknown }).layer;
  if (layer !== undefined && layer !== 'base' && layer !== 'add_on')
    return [{ field: 'layer', message: '「策略层级」须为 base（完整策略）或 add_on（只在事项的策略之上加定期报送日期）。' }];
  const q = p as Partial<ReminderPolicy>;
  if ('composedOf' in p)
    out.push({ field: 'composedOf', message: '「合成来源」是系统合成事项策略时的标注，不能保存；请去掉该项，分别保存基础策略和附加策略。' });
  if (q.fixedReportDates !== undefined || layer === 'add_on') {
    const problem = datesProblems(q.fixedReportDates);
    if (problem) out.push({ field: 'fixedReportDates', message: problem });
  }
  if (layer === 'add_on') {
    // R8: an add-on only adds report dates: everything else comes from the item's own policy.
    if (typeof q.id !== 'string' || !/^[a-z0-9_]{1,32}$/.test(q.id)) out.push({ field: 'id', message: '「策略编号」须为 1–32 位小写字母、数字或下划线。' });
    // Issue 14: absent means the defaults (09:00 each working day; 6 a day) — null switches them off.
    const f = q.overdueFollowUp;
    if (f !== undefined && f !== null && !(typeof f.at === 'string' && HHMM.test(f.at) && Number.isInteger(f.everyWorkingDays) && f.everyWorkingDays >= 1))
      out.push({
        field: 'overdueFollowUp',
        message: '「逾期持续催办」须写明时刻和间隔工作日数，如 { "at": "09:00", "everyWorkingDays": 1 }，不启用请填 null。',
      });
    if (q.maxUrgesPerDay !== undefined && q.maxUrgesPerDay !== null && !(Number.isInteger(q.maxUrgesPerDay) && q.maxUrgesPerDay >= 1))
      out.push({ field: 'maxUrgesPerDay', message: '「每群每日提醒上限」须为正整数，不设上限请填 null。' });
    const d = q.decisionReminders;
    const days = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
    if (d !== undefined && d !== null && !(days(d.afterWorkingDays) && days(d.everyWorkingDays) && typeof d.at === 'string' && HHMM.test(d.at)))
      out.push({
        field: 'decisionReminders',
        message:
          '「待审核、待审批、待审定提醒」须写明首次提醒的工作日数、间隔工作日数和时刻，如 { "afterWorkingDays": 2, "everyWorkingDays": 2, "at": "09:00" }，不启用请填 null。',
      });
    if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「适用范围」须为对象，写明适用的来源或版块。' });
    const extra = Object.keys(p).filter((k) => !['id', 'version', 'layer', 'appliesTo', 'fixedReportDates'].includes(k));
    if (extra.length)
      out.push({
        field: extra[0],
        message: `附加策略只含适用范围和定期报送日期，请去掉 ${extra.map((k) => `「${LABELS[k] ?? k}」`).join('、')}，提醒节奏由事项本身的策略决定。`,
      });
    return out;
  }
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
  // Issue 14: absent means the defaults (09:00 each working day; 6 a day) — null switches them off.
  const f = q.overdueFollowUp;
  if (f !== undefined && f !== null && !(typeof f.at === 'string' && HHMM.test(f.at) && Number.isInteger(f.everyWorkingDays) && f.everyWorkingDays >= 1))
    out.push({ field: 'overdueFollowUp', message: '「逾期持续催办」须写明时刻和间隔工作日数，如 { "at": "09:00", "everyWorkingDays": 1 }，不启用请填 null。' });
  if (q.maxUrgesPerDay !== undefined && q.maxUrgesPerDay !== null && !(Number.isInteger(q.maxUrgesPerDay) && q.maxUrgesPerDay >= 1))
    out.push({ field: 'maxUrgesPerDay', message: '「每群每日提醒上限」须为正整数，不设上限请填 null。' });
  if (typeof q.appliesTo !== 'object' || q.appliesTo === null) out.push({ field: 'appliesTo', message: '「适用范围」须为对象（空对象表示默认策略）。' });
  return out;
}
