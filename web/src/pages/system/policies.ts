/** 提醒策略 in the 督查室's words: the policy data the API keeps (R1–R10), named, described and compared. */
import type { ItemReminderChangesView, PolicyVersionView, PolicyView, ReminderChangeView, ReminderTimingView } from '../../api.gen';

/** The policies' answers as the service describes them (web/src/api.gen.ts). */
export type Policy = PolicyView;
export type PolicyVersion = PolicyVersionView;
export type TimingView = ReminderTimingView;
export type ChangeView = ReminderChangeView;
export type ItemChanges = ItemReminderChangesView;

/** What each policy is for, as the 督查室 knows them (the ids are the API's). */
export const POLICY_NAMES: Record<string, string> = {
  default: '通用',
  daily: '日常管理',
  key_task: '重点工作、重大改革',
  ongoing: '持续跟进',
  work_report: '政府工作报告',
  livelihood: '十件实事',
  rectification: '整改通知',
  open_ended: '无固定时限事项',
};

export const POLICY_HINTS: Record<string, string> = {
  default: '没有专门策略的事项按此提醒（13710 工作法的基本要求）。',
  daily: '“1”版块日常管理事项：截止前、逾期后提醒和催办，推进 1 个月以上的事项每周提醒。',
  key_task: '“2”版块重点工作和重大改革：在基本提醒之外，逐月反馈进展、每季度小结。',
  ongoing: '持续跟进事项：每周提醒，按月报告进展，直至全面落实。',
  work_report: '政府工作报告事项：在事项本身的提醒之外，另加固定的报送日期。',
  livelihood: '十件实事事项：在事项本身的提醒之外，另加每月固定的报送日期。',
  rectification: '督查室下发的整改通知：限期整改并按时报送，不催办、不升级。',
  open_ended: '未明确办理时限的事项：年终书面报告前提醒一次，不计逾期。',
};

export const policyName = (id: string) => POLICY_NAMES[id] ?? id;

/** What each field is called (for the versions list: 改了什么). */
export const FIELD_LABELS: Record<string, string> = {
  beforeDeadline: '截止前提醒',
  afterDeadline: '逾期后提醒',
  overdueCadence: '逾期催办频次',
  escalateToLeaderAfterHours: '报请分管领导协调',
  keySupervisionAfterHours: '转入重点督办',
  weeklyWhenLongerThanDays: '每周提醒',
  monthEndReport: '逐月反馈进展',
  quarterlySummary: '季度小结',
  fixedReportDates: '固定报送日期',
  rectificationHours: '整改时限',
  rectificationReportBy: '整改报送时刻',
  notifyAt: '日常提醒时刻',
  quietHours: '夜间免打扰时段',
  overdueClock: '逾期计时方式',
  quietDays: '节假日不发送',
  overdueFollowUp: '逾期持续催办',
  maxUrgesPerDay: '每群每日提醒上限',
  decisionReminders: '待审核、待审批、待审定提醒',
  appliesTo: '适用范围',
  layer: '策略类型',
};

const hours = (h: number) => (h % 24 === 0 && h >= 24 ? `${h / 24} 天（${h} 小时）` : `${h} 小时`);

/** One field's value in words. */
export function describe(field: string, p: Policy): string {
  switch (field) {
    case 'beforeDeadline':
      return p.beforeDeadline?.length ? p.beforeDeadline.map((h) => `截止前 ${hours(h.hours)}`).join('、') : '不提醒';
    case 'afterDeadline':
      return p.afterDeadline?.length ? p.afterDeadline.map((h) => `逾期 ${hours(h.hours)}`).join('、') : '不提醒';
    case 'overdueCadence':
      return p.overdueCadence?.length ? p.overdueCadence.map((s) => `逾期 ${s.untilHours} 小时内每 ${s.everyHours} 小时一次`).join('，') : '不催办';
    case 'escalateToLeaderAfterHours':
      return p.escalateToLeaderAfterHours == null ? '不报请' : `逾期 ${hours(p.escalateToLeaderAfterHours)}后报请`;
    case 'keySupervisionAfterHours':
      return p.keySupervisionAfterHours == null ? '不转入' : `逾期 ${hours(p.keySupervisionAfterHours)}后转入`;
    case 'weeklyWhenLongerThanDays':
      return p.weeklyWhenLongerThanDays === undefined
        ? '不提醒'
        : p.weeklyWhenLongerThanDays === 0
          ? '所有事项每周提醒'
          : `办理期限 ${p.weeklyWhenLongerThanDays} 天以上的每周提醒`;
    case 'monthEndReport':
      return p.monthEndReport
        ? `次月前 ${p.monthEndReport.urgeDays} 个工作日每日 ${p.monthEndReport.urgeAt.join('、')} 催报，超过 ${p.monthEndReport.escalateAfterDays} 日未报转督查室`
        : '不要求';
    case 'quarterlySummary':
      return p.quarterlySummary ? '要求' : '不要求';
    case 'fixedReportDates': {
      const f = p.fixedReportDates;
      if (!f) return '无';
      if (Array.isArray(f)) return f.map((s) => `每年 ${s.months.join('、')} 月 ${s.day} 日`).join('；');
      return `每月 ${f.monthly.join('、')} 日`;
    }
    case 'rectificationHours':
      return p.rectificationHours === undefined ? '—' : hours(p.rectificationHours);
    case 'rectificationReportBy':
      return p.rectificationReportBy ?? '—';
    case 'notifyAt':
      return p.notifyAt ?? '—';
    case 'quietHours':
      return p.quietHours ? (p.quietHours.start === p.quietHours.end ? '不设' : `${p.quietHours.start} 至次日 ${p.quietHours.end}`) : '—';
    case 'overdueClock':
      return p.overdueClock === 'calendar' ? '按自然时间' : '只计工作日';
    case 'quietDays':
      return p.quietDays === false ? '照常发送' : '不发送，顺延到下一个工作日';
    case 'overdueFollowUp':
      return p.overdueFollowUp === null ? '不催办' : `每 ${p.overdueFollowUp?.everyWorkingDays ?? 1} 个工作日 ${p.overdueFollowUp?.at ?? '09:00'} 催办一次`;
    case 'maxUrgesPerDay':
      return p.maxUrgesPerDay === null ? '不设上限' : `每天最多 ${p.maxUrgesPerDay ?? 6} 条`;
    case 'decisionReminders': {
      const d = p.decisionReminders;
      if (d === null) return '不提醒';
      return `第 ${d?.afterWorkingDays ?? 2} 个工作日起每 ${d?.everyWorkingDays ?? 2} 个工作日 ${d?.at ?? '09:00'} 提醒`;
    }
    default:
      return JSON.stringify((p as unknown as Record<string, unknown>)[field]) ?? '—';
  }
}

/** 改了什么: the fields whose meaning differs from the previous version, in words. */
export function differences(before: Policy | undefined, after: Policy): string[] {
  if (!before) return [];
  const fields = Object.keys(FIELD_LABELS).filter((f) => f !== 'appliesTo' && f !== 'layer');
  return fields.filter((f) => describe(f, before) !== describe(f, after)).map((f) => `${FIELD_LABELS[f]}：${describe(f, before)} → ${describe(f, after)}`);
}
