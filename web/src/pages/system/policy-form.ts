import type { Policy } from './policies';

/** The policy as the form holds it: every number a field of its own, every "none" a switch. */
export interface PolicyForm {
  beforeDeadline: number[];
  afterDeadline: number[];
  overdueCadence: { untilHours: number; everyHours: number }[];
  escalateOn: boolean;
  escalateHours: number | null;
  keyOn: boolean;
  keyHours: number | null;
  followUpOn: boolean;
  followUpEvery: number | null;
  followUpAt: string;
  capOn: boolean;
  cap: number | null;
  decisionOn: boolean;
  decisionAfter: number | null;
  decisionEvery: number | null;
  decisionAt: string;
  notifyAt: string;
  quietOn: boolean;
  quietStart: string;
  quietEnd: string;
  quietDays: boolean;
  overdueClock: 'working' | 'calendar';
  weeklyOn: boolean;
  weeklyDays: number | null;
  monthEndOn: boolean;
  monthEndUrgeAt: string;
  monthEndUrgeDays: number | null;
  monthEndEscalate: number | null;
  quarterlySummary: boolean;
  rectificationHours: number | null;
  rectificationReportBy: string;
  fixedOn: boolean;
  fixedMode: 'monthly' | 'yearly';
  fixedMonthly: number[];
  fixedYearly: { months: number[]; day: number | null }[];
}

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function toForm(p: Policy): PolicyForm {
  const f = p.fixedReportDates;
  return {
    beforeDeadline: (p.beforeDeadline ?? []).map((h) => h.hours),
    afterDeadline: (p.afterDeadline ?? []).map((h) => h.hours),
    overdueCadence: p.overdueCadence ?? [],
    escalateOn: p.escalateToLeaderAfterHours != null,
    escalateHours: p.escalateToLeaderAfterHours ?? 48,
    keyOn: p.keySupervisionAfterHours != null,
    keyHours: p.keySupervisionAfterHours ?? 72,
    followUpOn: p.overdueFollowUp !== null,
    followUpEvery: p.overdueFollowUp?.everyWorkingDays ?? 1,
    followUpAt: p.overdueFollowUp?.at ?? '09:00',
    capOn: p.maxUrgesPerDay !== null,
    cap: p.maxUrgesPerDay ?? 6,
    decisionOn: p.decisionReminders !== null,
    decisionAfter: p.decisionReminders?.afterWorkingDays ?? 2,
    decisionEvery: p.decisionReminders?.everyWorkingDays ?? 2,
    decisionAt: p.decisionReminders?.at ?? '09:00',
    notifyAt: p.notifyAt ?? '09:00',
    quietOn: !p.quietHours || p.quietHours.start !== p.quietHours.end,
    quietStart: p.quietHours?.start ?? '22:00',
    quietEnd: p.quietHours?.end ?? '08:00',
    quietDays: p.quietDays !== false,
    overdueClock: p.overdueClock ?? 'working',
    weeklyOn: p.weeklyWhenLongerThanDays !== undefined,
    weeklyDays: p.weeklyWhenLongerThanDays ?? 28,
    monthEndOn: !!p.monthEndReport,
    monthEndUrgeAt: (p.monthEndReport?.urgeAt ?? ['08:00', '15:00']).join('、'),
    monthEndUrgeDays: p.monthEndReport?.urgeDays ?? 2,
    monthEndEscalate: p.monthEndReport?.escalateAfterDays ?? 2,
    quarterlySummary: !!p.quarterlySummary,
    rectificationHours: p.rectificationHours ?? null,
    rectificationReportBy: p.rectificationReportBy ?? '12:00',
    fixedOn: !!f,
    fixedMode: f && !Array.isArray(f) ? 'monthly' : 'yearly',
    fixedMonthly: f && !Array.isArray(f) ? f.monthly : [10],
    fixedYearly: f && Array.isArray(f) ? f.map((s) => ({ months: s.months, day: s.day })) : [{ months: [4, 7, 10, 12], day: 10 }],
  };
}

const times = (s: string) =>
  s
    .split(/[、,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The form back into the policy the API keeps; fields the form does not show are kept as they were. */
export function fromForm(v: PolicyForm, original: Policy): Policy {
  const fixed = v.fixedOn
    ? v.fixedMode === 'monthly'
      ? { monthly: [...v.fixedMonthly].sort((a, b) => a - b) }
      : v.fixedYearly.map((s) => ({ months: [...s.months].sort((a, b) => a - b), day: Number(s.day) }))
    : undefined;
  if (original.layer === 'add_on')
    return { id: original.id, version: original.version, layer: 'add_on', appliesTo: original.appliesTo, fixedReportDates: fixed };
  const p: Policy = {
    ...original,
    beforeDeadline: v.beforeDeadline.map((hours) => ({ hours: Number(hours) })),
    afterDeadline: v.afterDeadline.map((hours) => ({ hours: Number(hours) })),
    overdueCadence: v.overdueCadence.map((s) => ({ untilHours: Number(s.untilHours), everyHours: Number(s.everyHours) })),
    escalateToLeaderAfterHours: v.escalateOn ? Number(v.escalateHours) : null,
    keySupervisionAfterHours: v.keyOn ? Number(v.keyHours) : null,
    overdueFollowUp: v.followUpOn ? { at: v.followUpAt, everyWorkingDays: Number(v.followUpEvery) } : null,
    maxUrgesPerDay: v.capOn ? Number(v.cap) : null,
    decisionReminders: v.decisionOn ? { afterWorkingDays: Number(v.decisionAfter), everyWorkingDays: Number(v.decisionEvery), at: v.decisionAt } : null,
    notifyAt: v.notifyAt,
    quietHours: v.quietOn ? { start: v.quietStart, end: v.quietEnd } : { start: '00:00', end: '00:00' },
    quietDays: v.quietDays,
    overdueClock: v.overdueClock,
    quarterlySummary: v.quarterlySummary || undefined,
  };
  if (v.weeklyOn) p.weeklyWhenLongerThanDays = Number(v.weeklyDays);
  else delete p.weeklyWhenLongerThanDays;
  if (v.monthEndOn) p.monthEndReport = { urgeAt: times(v.monthEndUrgeAt), urgeDays: Number(v.monthEndUrgeDays), escalateAfterDays: Number(v.monthEndEscalate) };
  else delete p.monthEndReport;
  if (!p.quarterlySummary) delete p.quarterlySummary;
  if (fixed) p.fixedReportDates = fixed;
  else delete p.fixedReportDates;
  if (original.rectificationHours !== undefined) {
    p.rectificationHours = Number(v.rectificationHours);
    p.rectificationReportBy = v.rectificationReportBy;
  }
  return p;
}

/** The API names a field of the policy; the form field it belongs to (or null: shown above the form). */
export function formFieldOf(apiField: string | undefined): (string | number)[] | null {
  if (!apiField) return null;
  const m = /^(beforeDeadline|afterDeadline)\[(\d+)\]/.exec(apiField);
  if (m) return [m[1], Number(m[2])];
  const c = /^overdueCadence\[(\d+)\]/.exec(apiField);
  if (c) return ['overdueCadence', Number(c[1]), 'everyHours'];
  const map: Record<string, string> = {
    escalateToLeaderAfterHours: 'escalateHours',
    keySupervisionAfterHours: 'keyHours',
    overdueFollowUp: 'followUpAt',
    maxUrgesPerDay: 'cap',
    decisionReminders: 'decisionAt',
    notifyAt: 'notifyAt',
    quietHours: 'quietStart',
    fixedReportDates: 'fixedMonthly',
    monthEndReport: 'monthEndUrgeAt',
  };
  return map[apiField] ? [map[apiField]] : null;
}
